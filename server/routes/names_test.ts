// Issue 18, item 4: a suite and a target are named by name or by id in
// every body and filter; a suite name means its latest version, a version
// is given apart; unknown or ambiguous is a 400 that lists the matches.
import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { ADMIN_HEADERS, testApp } from "../testing/api.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";

const schema = (n: number) => ({
  type: "object",
  properties: { n: { const: n } },
});

dbTest(
  "runs: suite and target by name (latest version, or suite_version), by id, and refusals that list the matches",
  async (database) => {
    const { call } = testApp(database);
    const v1 = (await call("POST", "/api/suites", {
      name: "jsb-glaive",
      cases: [{ key: "a", schema: schema(1) }],
    })).json;
    const v2 = (await call("POST", "/api/suites", {
      name: "jsb-glaive",
      cases: [{ key: "a", schema: schema(2) }, { key: "b", schema: schema(3) }],
    })).json;
    assert.equal(v2.version, 2);
    const target = (await call("POST", "/api/targets", {
      name: "tiny-local",
      kind: "openai-compatible",
      base_url: "http://127.0.0.1:9/v1",
      mode: "json_schema",
    })).json;

    const latest = await call("POST", "/api/runs", {
      suite: "jsb-glaive",
      target: "tiny-local",
    });
    assert.equal(latest.status, 202, JSON.stringify(latest.json));
    assert.equal(latest.json.suite_id, v2.id);
    assert.equal(latest.json.target_id, target.id);
    assert.equal(latest.json.case_count, 2);

    const first = await call("POST", "/api/runs", {
      suite: "jsb-glaive",
      suite_version: 1,
      target: target.id,
    });
    assert.equal(first.status, 202);
    assert.equal(first.json.suite_id, v1.id);

    const byIds = await call("POST", "/api/runs", {
      suite_id: v1.id,
      target_id: target.id,
    });
    assert.equal(byIds.status, 202);

    const typo = await call("POST", "/api/runs", {
      suite: "jsb-glaive",
      target: "tiny-locall",
    });
    assert.equal(typo.status, 400);
    assert.equal(typo.json.error.code, "unknown_target");
    assert.equal(typo.json.error.path, "/target");
    assert.match(typo.json.error.message, /tiny-local/);
    assert.deepEqual(
      typo.json.error.details.map((d: { message: string }) => d.message),
      ["tiny-local"],
    );

    const unknownSuite = await call("POST", "/api/runs", {
      suite: "glaive",
      target: "tiny-local",
    });
    assert.equal(unknownSuite.status, 400);
    assert.equal(unknownSuite.json.error.code, "unknown_suite");
    assert.match(unknownSuite.json.error.message, /jsb-glaive/);

    const noVersion = await call("POST", "/api/runs", {
      suite: "jsb-glaive",
      suite_version: 7,
      target: "tiny-local",
    });
    assert.equal(noVersion.status, 400);
    assert.match(noVersion.json.error.message, /v2, v1/);

    const both = await call("POST", "/api/runs", {
      suite: "jsb-glaive",
      suite_id: v1.id,
      target: "tiny-local",
    });
    assert.equal(both.status, 400);
    assert.equal(both.json.error.code, "invalid_reference");

    const none = await call("POST", "/api/runs", { target: "tiny-local" });
    assert.equal(none.status, 400);
    assert.equal(none.json.error.path, "/suite");

    // The filters take names too.
    const listed = await call(
      "GET",
      "/api/runs?suite=jsb-glaive&target=tiny-local",
    );
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.json.items.map((r: { id: string }) => r.id),
      [latest.json.id],
    );
    const ofV1 = await call(
      "GET",
      "/api/runs?suite=jsb-glaive&suite_version=1",
    );
    assert.deepEqual(
      ofV1.json.items.map((r: { id: string }) => r.id).sort(),
      [first.json.id, byIds.json.id].sort(),
    );
    const badFilter = await call("GET", "/api/runs?target=nobody");
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.json.error.path, "target");
  },
);

dbTest(
  "board: /?suite=NAME shows that suite's latest version, as its id does",
  async (database) => {
    const { app } = testApp(database);
    const suite = await seedSuite(database, "jsb-glaive", [
      { key: "a", schema: { type: "object" } },
    ]);
    await seedSuite(database, "other", [{
      key: "a",
      schema: { type: "string" },
    }]);
    const target = await seedTarget(database, { name: "engine-on-board" });
    await seedRun(database, {
      suite,
      target,
      results: () => ({ outcome: "valid" }),
    });
    const byName = await (await app.request("/?suite=jsb-glaive")).text();
    const byId = await (await app.request(`/?suite=${suite.id}`)).text();
    assert.match(byName, /engine-on-board/);
    assert.match(byId, /engine-on-board/);
    const json = await (await app.request(
      "/api/leaderboard.json?suite=jsb-glaive",
    )).json();
    assert.equal(json.items.length, 1);
    const elsewhere = await (await app.request("/?suite=other")).text();
    assert.doesNotMatch(elsewhere, /engine-on-board/);
    const ranking = await (await app.request(
      "/api/suites/jsb-glaive/ranking",
    )).json();
    assert.equal(ranking.suite_id, suite.id);
    assert.equal(ranking.items.length, 1);
  },
);

dbTest(
  "an unknown method on a known path is a 405 with Allow; an unknown path stays a 404",
  async (database) => {
    const { call, app } = testApp(database);
    const wrong = await call("DELETE", "/api/targets/some-target");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.json.error.code, "method_not_allowed");
    const res = await app.request("/api/runs", {
      method: "PUT",
      headers: ADMIN_HEADERS,
    });
    await res.body?.cancel();
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD, POST");
    assert.equal((await call("GET", "/api/nowhere")).status, 404);
  },
);

dbTest(
  "runs list: an unknown suite with a malformed target id is one 400, and the process lives on",
  async (database) => {
    const { call } = testApp(database);
    // Before, the suite's lookup was under way when the target's filter
    // threw; its rejection then went unhandled and ended the process.
    const res = await call(
      "GET",
      `/api/runs?suite=${crypto.randomUUID()}&target_id=junk`,
    );
    assert.equal(res.status, 400);
    assert.equal(res.json.error.path, "suite");
    // Let any stray rejection surface before the test ends.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await call("GET", "/api/runs")).status, 200);
  },
);
