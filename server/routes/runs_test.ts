import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { testApp, type TestAppOptions } from "../testing/api.ts";
import {
  startStubEngine,
  type StubEngine,
} from "../../evaluators/targets/testing/stub_engine.ts";

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
  assert.equal(unknownSuite.status, 400);
  assert.equal(unknownSuite.json.error.code, "unknown_suite");
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
  "runs: an engine that is down when the run starts makes it wait; it starts when the engine comes up, and no case is lost",
  async (database) => {
    const { worker, call, finished } = testApp(database, {
      worker: { ...WORKER.worker, probeMs: 100 },
    });
    worker.start();
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    let engine: StubEngine | undefined;
    try {
      const suite = await call("POST", "/api/suites", {
        name: "down",
        cases: [{ key: "a", schema: { type: "object" } }, {
          key: "b",
          schema: { type: "object" },
        }],
      });
      const target = await call("POST", "/api/targets", {
        name: "later",
        kind: "llamacpp",
        base_url: `http://127.0.0.1:${port}`,
        mode: "json_schema",
      });
      const run = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      assert.equal(run.status, 202);
      let seen = await call("GET", `/api/runs/${run.json.id}`);
      for (
        let i = 0;
        i < 200 && seen.json.status !== "waiting_for_engine";
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
        seen = await call("GET", `/api/runs/${run.json.id}`);
      }
      assert.equal(seen.json.status, "waiting_for_engine");
      assert.equal(seen.json.started_at, null);
      engine = await startStubEngine({ port, reply: "{}" });
      const done = await finished(run.json.id, 30_000);
      assert.equal(done.status, "done");
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(done.progress.by_outcome).filter(([, n]) => n),
        ),
        { valid: 2 },
      );
      assert.equal(done.engine.version, "stub-engine");
      assert.ok(done.engine_waited_ms > 0);
      assert.equal(done.waiting_since, null);
    } finally {
      await worker.stop();
      await engine?.stop();
    }
  },
);
