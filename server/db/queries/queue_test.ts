import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { dbTest } from "../../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../../testing/seed.ts";
import { results } from "../schema.ts";
import { claimResults, releaseLeases } from "./queue.ts";
import { setEngineKey } from "./run_lifecycle.ts";

dbTest(
  "claims: many at once, never past the target's shared cap, suspects alone on their engine",
  async (database) => {
    const suite = await seedSuite(
      database,
      "claims",
      Array.from({ length: 8 }, (_, i) => ({
        key: `c${i}`,
        schema: { type: "object", title: `case ${i}` },
      })),
    );
    const target = await seedTarget(database, { name: "t" });
    const run = await seedRun(database, { suite, target, results: () => null });
    await setEngineKey(database, run.id, "http://engine");
    const common = {
      runId: run.id,
      leaseMs: 60_000,
      targetId: target.id,
      targetCap: 5,
      engineKey: "http://engine",
    };
    const first = await claimResults(database, {
      ...common,
      workerId: "w1",
      limit: 3,
    });
    assert.equal(first.length, 3);
    assert.deepEqual(first.map((k) => k.key), ["c0", "c1", "c2"]);
    assert.deepEqual(first[0].schema, { type: "object", title: "case 0" });
    assert.equal(first[0].attempts, 1);
    // The cap counts the other worker's leases: 2 of the 5 are left.
    const second = await claimResults(database, {
      ...common,
      workerId: "w2",
      limit: 5,
    });
    assert.deepEqual(second.map((k) => k.key), ["c3", "c4"]);
    assert.equal(
      (await claimResults(database, { ...common, workerId: "w2", limit: 5 }))
        .length,
      0,
    );
    // c5 was in flight when the engine went down: a suspect. Nothing is
    // claimed while anything is in flight on the engine, then c5 alone.
    const [suspect] = await database.db.update(results).set({ suspect: true })
      .where(eq(results.id, second[1].resultId + 1)).returning();
    await releaseLeases(database, "w1", first.map((k) => k.resultId));
    assert.equal(
      (await claimResults(database, { ...common, workerId: "w1", limit: 5 }))
        .length,
      0,
      "w2 still has cases in flight on the engine",
    );
    await releaseLeases(database, "w2", second.map((k) => k.resultId));
    const alone = await claimResults(database, {
      ...common,
      workerId: "w1",
      limit: 5,
    });
    assert.deepEqual(alone.map((k) => k.resultId), [suspect.id]);
    assert.equal(alone[0].suspect, true);
    // Without an engine key or a cap, the limit alone counts.
    const rest = await claimResults(database, {
      runId: run.id,
      workerId: "w3",
      limit: 10,
      leaseMs: 60_000,
    });
    assert.equal(rest.length, 7);
  },
);
