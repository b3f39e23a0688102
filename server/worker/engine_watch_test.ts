// The engine gate's edges: a run whose cases are all done finishes even
// while its engine is down; a cancel closes a wait; a refused connection
// through the OpenAI SDK is no suspect.
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { createTarget } from "../../evaluators/targets/registry.ts";
import { runCase } from "../../evaluators/run_case.ts";
import { DEFAULT_TEMPLATE } from "../../evaluators/prompt.ts";
import { SchemaValidator } from "../../evaluators/validation/validate.ts";
import { markEngineDown } from "../db/queries/engines.ts";
import { runs } from "../db/schema.ts";
import { dbTest } from "../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";
import { testApp } from "../testing/api.ts";
import { Worker } from "./worker.ts";

function deadPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

dbTest(
  "engine gate: a run with every case done finishes done though its engine is down",
  async (database) => {
    const suite = await seedSuite(database, "all done", [
      { key: "a", schema: { type: "object" } },
      { key: "b", schema: { type: "object" } },
    ]);
    const target = await seedTarget(database, { name: "gone" });
    const run = await seedRun(database, {
      suite,
      target,
      results: () => ({ outcome: "valid" }),
    });
    // As if the last result had just been written: running, not finished.
    await database.db.update(runs).set({
      status: "running",
      finishedAt: null,
      engineKey: "http://127.0.0.1:9",
    }).where(eq(runs.id, run.id));
    await markEngineDown(database, "http://127.0.0.1:9");
    const worker = new Worker(database, {
      workerId: "gate",
      pollMs: 20,
      probeMs: 50,
      engineDownMaxMs: 1000,
    });
    worker.start();
    try {
      let row = run;
      for (let i = 0; i < 200 && !row.finishedAt; i++) {
        await new Promise((r) => setTimeout(r, 20));
        [row] = await database.db.select().from(runs).where(
          eq(runs.id, run.id),
        );
      }
      assert.equal(row.status, "done");
      assert.equal(row.failureReason, null);
    } finally {
      await worker.stop();
    }
  },
);

dbTest(
  "engine gate: cancelling a waiting run closes its wait",
  async (database) => {
    const { call, worker } = testApp(database, {
      worker: { pollMs: 20, probeMs: 50 },
    });
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "wait then cancel",
        cases: [{ key: "a", schema: { type: "object" } }],
      });
      const target = await call("POST", "/api/targets", {
        name: "nobody",
        kind: "llamacpp",
        base_url: `http://127.0.0.1:${deadPort()}`,
        mode: "json_schema",
      });
      const made = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      let seen = await call("GET", `/api/runs/${made.json.id}`);
      for (
        let i = 0;
        i < 200 && seen.json.status !== "waiting_for_engine";
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
        seen = await call("GET", `/api/runs/${made.json.id}`);
      }
      assert.equal(seen.json.status, "waiting_for_engine");
      const cancelled = await call("POST", `/api/runs/${made.json.id}/cancel`);
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.json));
      const first = await call("GET", `/api/runs/${made.json.id}`);
      assert.equal(first.json.status, "cancelled");
      assert.equal(first.json.waiting_since, null);
      await new Promise((r) => setTimeout(r, 300));
      const later = await call("GET", `/api/runs/${made.json.id}`);
      assert.equal(later.json.engine_waited_ms, first.json.engine_waited_ms);
    } finally {
      await worker.stop();
    }
  },
);

Deno.test("engine gate: a refused connection through the OpenAI SDK never reached the engine (no suspect)", async () => {
  const result = await runCase({
    kase: { key: "k", schema: { type: "object" } },
    target: createTarget({
      name: "compatible",
      kind: "openai-compatible",
      baseUrl: `http://127.0.0.1:${deadPort()}/v1`,
      model: "m",
      mode: "json_schema",
      settings: {},
      params: {},
      apiKeyEnv: null,
    }, () => undefined),
    mode: "json_schema",
    params: { timeout_ms: 5000 },
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    backoffMs: 1,
    probe: () => Promise.resolve(false),
  });
  assert.deepEqual(result.engineDown, { suspect: false }, result.errorMessage!);
});
