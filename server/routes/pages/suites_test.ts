// The suite pages through the whole app: every suite with its facts, one
// suite's keywords and paginated cases, a case's schema, all escaped.
import assert from "node:assert/strict";
import { dbTest } from "../../testing/database.ts";
import { testApp } from "../../testing/api.ts";
import { seedSuite } from "../../testing/seed.ts";

const HOSTILE = "</code></pre><script>alert(1)</script>";

dbTest(
  "suite pages: list, one suite's cases by page, a case's schema",
  async (database) => {
    const { app } = testApp(database);
    const suite = await seedSuite(
      database,
      "pages",
      Array.from({ length: 53 }, (_, i) => ({
        key: i === 0 ? `a/${HOSTILE}` : `c${String(i).padStart(2, "0")}`,
        subset: i % 2 ? "odd" : "even",
        schema: i === 0
          ? { type: "string", description: HOSTILE, pattern: "^a" }
          : { type: "object", properties: { n: { minimum: i } } },
      })),
    );
    const get = async (path: string) => {
      const res = await app.request(path);
      return { status: res.status, html: await res.text() };
    };
    const list = await get("/suites");
    assert.equal(list.status, 200);
    assert.match(
      list.html,
      new RegExp(`<a href="/suites/${suite.id}">pages</a>`),
    );
    assert.match(list.html, /even \(27\), odd \(26\)/);
    assert.ok(list.html.includes(suite.hash.slice(0, 12)));
    assert.ok(list.html.includes(`href="/?suite=${suite.id}"`));

    const first = await get(`/suites/${suite.id}`);
    assert.equal(first.status, 200);
    const keys = (html: string) =>
      [...html.matchAll(
        /<th scope="row"><a href="\/suites\/[^/]+\/cases\/[^"]+">([^<]*)<\/a>/g,
      )]
        .map((m) => m[1]);
    assert.equal(keys(first.html).length, 50);
    assert.match(first.html, /rel="next"/);
    assert.deepEqual(keys((await get(`/suites/${suite.id}?page=2`)).html), [
      "c50",
      "c51",
      "c52",
    ]);
    // Keyword counts, most used first.
    assert.match(first.html, /<code>type<\/code> <strong>53<\/strong>/);
    assert.match(first.html, /<code>properties<\/code> <strong>52<\/strong>/);
    // The hostile key and schema come back as text.
    assert.ok(!first.html.includes("<script>alert"));
    const hostile = await get(
      `/suites/${suite.id}/cases/${encodeURIComponent(`a/${HOSTILE}`)}`,
    );
    assert.equal(hostile.status, 200);
    assert.ok(!hostile.html.includes("<script>alert"));
    assert.match(hostile.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(hostile.html, /<pre id="schema"/);
    assert.equal((await get(`/suites/${suite.id}/cases/nope`)).status, 404);
    assert.equal((await get(`/suites/${crypto.randomUUID()}`)).status, 404);
  },
);
