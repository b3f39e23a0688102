import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import type { PriceTable } from "../../evaluators/metrics/price_table.ts";
import { AdaptiveLimit } from "../../evaluators/targets/transport/adaptive_limit.ts";
import type { Database } from "../db/client.ts";
import { createRun } from "../db/queries/runs.ts";
import type { TargetRow } from "../db/queries/targets.ts";
import { runs, targets } from "../db/schema.ts";
import { resolveRunOptions } from "../runs/options.ts";
import { dbTest } from "../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";
import {
  concurrencyFor,
  openRunContext,
  type RunPreparation,
  startRunContext,
  targetConfig,
} from "./run_context.ts";

const PRICES: PriceTable = {
  updated: "2025-01-01",
  currency: "USD",
  models: {
    "openai/gpt-x": { input_per_mtok: 1, output_per_mtok: 2 },
    "openai/gpt-reported": { input_per_mtok: 3, output_per_mtok: 4 },
  },
};

const cases = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `c${i}`,
    schema: { type: "string" },
  }));

function preparation(database: Database): RunPreparation {
  return {
    database,
    secret: () => undefined,
    allowedHosts: [],
    prices: PRICES,
    limits: new Map(),
  };
}

Deno.test("concurrencyFor: the run's own concurrency, under the target's cap", () => {
  const engine = { engine: "llama.cpp", slots: 8 };
  assert.deepEqual(concurrencyFor({ concurrency: 3 }, null, engine), {
    concurrency: 3,
    targetCap: 8,
  });
  assert.deepEqual(concurrencyFor({ concurrency: 16 }, 2, engine), {
    concurrency: 2,
    targetCap: 2,
  });
});

Deno.test("concurrencyFor: the engine's slots, else 4, and at least 1", () => {
  assert.deepEqual(
    concurrencyFor({ concurrency: null }, null, { engine: "x", slots: 2 }),
    { concurrency: 2, targetCap: 2 },
  );
  assert.deepEqual(
    concurrencyFor({ concurrency: null }, null, { engine: "x" }),
    {
      concurrency: 4,
      targetCap: undefined,
    },
  );
  assert.deepEqual(
    concurrencyFor({ concurrency: null }, null, { engine: "x", slots: 0 }),
    { concurrency: 4, targetCap: undefined },
  );
  assert.deepEqual(concurrencyFor({ concurrency: 0 }, null, { engine: "x" }), {
    concurrency: 1,
    targetCap: undefined,
  });
});

Deno.test("targetConfig: the adapter's view of a stored target", () => {
  const row: TargetRow = {
    id: crypto.randomUUID(),
    description: null,
    name: "t",
    kind: "llamacpp",
    baseUrl: "http://127.0.0.1:9",
    model: null,
    mode: "json_schema",
    settings: { adapt: true },
    params: { top_k: 1 },
    hardware: null,
    apiKeyEnv: null,
    maxConcurrency: null,
    pricing: null,
    retiredAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  assert.deepEqual(targetConfig(row), {
    name: "t",
    kind: "llamacpp",
    baseUrl: "http://127.0.0.1:9",
    model: null,
    mode: "json_schema",
    settings: { adapt: true },
    params: { top_k: 1 },
    apiKeyEnv: null,
  });
});

dbTest(
  "openRunContext: a started run keeps its engine; limits are per target",
  async (database) => {
    const suite = await seedSuite(database, "ctx", cases(3));
    const target = await seedTarget(database, { name: "ctx-target" });
    await database.db.update(targets).set({ maxConcurrency: 2 })
      .where(eq(targets.id, target.id));
    const run = await seedRun(database, {
      suite,
      target,
      results: () => null,
      engine: { engine: "llama.cpp", version: "b1", slots: 8 },
    });
    const prep = preparation(database);
    const ctx = await openRunContext(prep, run);
    assert.ok(ctx);
    assert.equal(ctx.targetId, target.id);
    assert.equal(ctx.concurrency, 2);
    assert.equal(ctx.targetCap, 2);
    assert.equal(ctx.inflight.size, 0);
    // llamacpp runs on the user's own hardware: free unless the table says otherwise.
    assert.deepEqual(ctx.price, { input_per_mtok: 0, output_per_mtok: 0 });
    assert.ok(ctx.limit instanceof AdaptiveLimit);
    assert.equal(prep.limits.get(target.id), ctx.limit);
    const again = await openRunContext(prep, run);
    assert.equal(again?.limit, ctx.limit);
    const [stored] = await database.db.select().from(runs)
      .where(eq(runs.id, run.id));
    assert.equal(stored.engine?.version, "b1");
  },
);

dbTest(
  "startRunContext: an engine that cannot be reached leaves the run unstarted; one that answers its health but not /props is recorded, and the run starts",
  async (database) => {
    const suite = await seedSuite(database, "ctx", cases(2));
    const target = await seedTarget(database, { name: "ctx-down" });
    const { run } = await createRun(database, {
      suiteId: suite.id,
      targetId: target.id,
      trigger: "api",
      options: resolveRunOptions({}, target),
    });
    const ctx = await openRunContext(preparation(database), run);
    assert.ok(ctx);
    assert.equal(ctx.started, false);
    assert.equal(
      await startRunContext(preparation(database), ctx),
      "unreachable",
    );
    let [stored] = await database.db.select().from(runs)
      .where(eq(runs.id, run.id));
    assert.equal(stored.status, "queued");
    assert.equal(stored.engine, null);

    // Up (its /health answers) but /props fails: recorded, and it starts.
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) =>
        new URL(req.url).pathname === "/health"
          ? Response.json({ status: "ok" })
          : new Response("broken", { status: 500 }),
    );
    try {
      await database.db.update(targets).set({
        baseUrl: `http://127.0.0.1:${server.addr.port}`,
      }).where(eq(targets.id, target.id));
      const up = await openRunContext(preparation(database), run);
      assert.ok(up);
      assert.equal(await startRunContext(preparation(database), up), "started");
      assert.equal(up.concurrency, 4);
      [stored] = await database.db.select().from(runs)
        .where(eq(runs.id, run.id));
      assert.equal(stored.status, "running");
      assert.equal(stored.engine?.engine, "llamacpp");
      assert.equal(stored.engineKey, `http://127.0.0.1:${server.addr.port}`);
      assert.match(
        String(stored.engine?.error),
        /could not describe the engine/,
      );
    } finally {
      await server.shutdown();
    }
  },
);

dbTest("openRunContext: null when the target is gone", async (database) => {
  const suite = await seedSuite(database, "ctx", cases(1));
  const target = await seedTarget(database, { name: "ctx-gone" });
  const run = await seedRun(database, { suite, target, results: () => null });
  const ctx = await openRunContext(preparation(database), {
    ...run,
    targetId: crypto.randomUUID(),
  });
  assert.equal(ctx, null);
});
