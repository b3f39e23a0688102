// A fresh server's board: no run has finished, so it says what to do next,
// with the commands and a link to the smoke suite, and the filter of a
// board with rows lists every suite, those without rows too.
import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";
import { seedSuite } from "../testing/seed.ts";
import { seedFixture } from "../testing/fixture.ts";

dbTest(
  "empty board: the next steps, the commands, the smoke suite",
  async (database) => {
    const { app } = testApp(database);
    const smoke = await seedSuite(database, "smoke", [
      { key: "a", schema: { type: "object" } },
      { key: "b", schema: { type: "string" } },
    ]);
    const res = await app.request("/");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h2 id="get-started">Nothing on the board yet<\/h2>/);
    assert.ok(!html.includes("No finished public runs match."));
    // The exact commands: import a subset, create a target, start a run.
    assert.match(html, /deno task import jsonschemabench --from hub --subsets/);
    assert.match(html, /\/api\/targets/);
    assert.match(
      html,
      /deno task run --suite smoke --target my-llama --public/,
    );
    // The smoke suite, linked to its page.
    assert.match(
      html,
      new RegExp(`<a href="/suites/${smoke.id}">smoke suite</a>`),
    );
    assert.match(html, /\(2 cases\)/);
  },
);

dbTest(
  "board filter: every suite that exists, rows or not",
  async (database) => {
    const { app } = testApp(database);
    await seedFixture(database);
    const lonely = await seedSuite(database, "lonely", [
      { key: "a", schema: { type: "object" } },
    ]);
    const html = await (await app.request("/")).text();
    assert.match(
      html,
      new RegExp(
        `<option value="${lonely.id}" ?>lonely v1 \\(0 rows\\)</option>`,
      ),
    );
    assert.match(
      html,
      /<option value="all" ?>All suites \(grouped\)<\/option>/,
    );
    // Chosen, it shows no rows and says where to look instead.
    const none = await (await app.request(`/?suite=${lonely.id}`)).text();
    assert.match(none, /id="no-rows"/);
    assert.match(none, /show every suite/);
  },
);
