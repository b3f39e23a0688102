import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { testApp, type TestAppOptions } from "../testing/api.ts";

/** The worker of these tests: a 50 ms poll and a 30 s lease. */
const WORKER: TestAppOptions = { worker: { pollMs: 50, leaseMs: 30_000 } };

dbTest(
  "targets: create, list, name taken, bad bodies, no secret anywhere",
  async (database) => {
    const { call } = testApp(database, WORKER);
    const body = {
      name: "local",
      kind: "llamacpp",
      base_url: "http://127.0.0.1:9",
      mode: "json_schema",
      api_key_env: "LOCAL_LLAMA_API_KEY",
      hardware: "2 vCPU",
    };
    const created = await call("POST", "/api/targets", body);
    assert.equal(created.status, 201);
    assert.match(created.json.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.json.api_key_env, "LOCAL_LLAMA_API_KEY");
    assert.equal((await call("POST", "/api/targets", body)).status, 409);
    const list = await call("GET", "/api/targets");
    assert.deepEqual(list.json.items.map((t: { name: string }) => t.name), [
      "local",
    ]);
    for (
      const [bad, path] of [
        [{ ...body, name: "x", kind: "nope" }, "/kind"],
        [{ ...body, name: "x", mode: "free" }, "/mode"],
        [{ ...body, name: "x", base_url: undefined }, "/base_url"],
        [{ ...body, name: "x", api_key_env: "DATABASE_URL" }, "/api_key_env"],
        [{ ...body, name: "x", base_url: "file:///etc/passwd" }, "/base_url"],
      ] as const
    ) {
      const res = await call("POST", "/api/targets", bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.json.error.path, path);
    }
  },
);

dbTest("runs: bad bodies and unknown ids", async (database) => {
  const { call } = testApp(database, WORKER);
  const suite = await call("POST", "/api/suites", {
    name: "s",
    cases: [{ key: "a", schema: {} }],
  });
  const target = await call("POST", "/api/targets", {
    name: "t",
    kind: "llamacpp",
    base_url: "http://127.0.0.1:9",
    mode: "json_schema",
  });
  assert.equal(
    (await call("POST", "/api/runs", { suite_id: suite.json.id })).status,
    400,
  );
  const unknownSuite = await call("POST", "/api/runs", {
    suite_id: crypto.randomUUID(),
    target_id: target.json.id,
  });
  assert.equal(unknownSuite.status, 404);
  assert.equal(unknownSuite.json.error.path, "/suite_id");
  const badOption = await call("POST", "/api/runs", {
    suite_id: suite.json.id,
    target_id: target.json.id,
    options: { temperature: -1 },
  });
  assert.equal(badOption.status, 400);
  assert.equal(badOption.json.error.path, "/options/temperature");
  assert.equal(
    (await call("GET", `/api/runs/${crypto.randomUUID()}`)).status,
    404,
  );
});

dbTest(
  "runs: an unreachable engine ends every case as infra_error, nothing lost, and the run failed (engine_down)",
  async (database) => {
    const { worker, call, finished } = testApp(database, WORKER);
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "down",
        cases: [{ key: "a", schema: { type: "object" } }, {
          key: "b",
          schema: { type: "string" },
        }],
      });
      const target = await call("POST", "/api/targets", {
        name: "nowhere",
        kind: "llamacpp",
        base_url: "http://127.0.0.1:9",
        mode: "json_schema",
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
        options: { retries: 1 },
      });
      assert.equal(run.status, 202);
      const done = await finished(run.json.id, 30_000);
      // It measured nothing (issue 14): failed, not done.
      assert.equal(done.status, "failed");
      assert.equal(done.failure_reason, "engine_down");
      assert.equal(done.progress.by_outcome.infra_error, 2);
      assert.equal(done.scores.empirical_coverage.n, 0);
      assert.match(done.engine.error, /could not describe/);
      const results = await call("GET", `/api/runs/${run.json.id}/results`);
      assert.ok(
        results.json.items.every((
          r: { attempts: number; error_message: string },
        ) => /transport/.test(r.error_message)),
      );
    } finally {
      await worker.stop();
    }
  },
);
