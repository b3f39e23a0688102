import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { dbTest } from "../../testing/database.ts";
import { seedRun, seedSuite, seedTarget } from "../../testing/seed.ts";
import { runs } from "../schema.ts";
import { backfillAccuracy } from "./accuracy_backfill.ts";
import { getRun } from "./runs.ts";

dbTest(
  "accuracy backfill: a quality run stored without its accuracy gets it, once",
  async (database) => {
    const quality = await seedSuite(
      database,
      "quality",
      ["a", "b", "c", "d"].map((key, i) => ({
        key,
        schema: { type: "object" },
        prompt: `question ${i}`,
        task: { family: "arithmetic", expected: i, checker: "exact" },
      })),
    );
    const schemas = await seedSuite(database, "schemas", [
      { key: "x", schema: { type: "object" } },
    ]);
    const target = await seedTarget(database, { name: "t" });
    const old = await seedRun(database, {
      suite: quality,
      target,
      results: (_key, i) => ({ outcome: "valid", correct: i < 3 }),
    });
    const schemaOnly = await seedRun(database, {
      suite: schemas,
      target,
      results: () => ({ outcome: "valid" }),
    });
    const stored = old.summary?.accuracy;
    assert.equal(stored?.n, 4);
    // As an earlier worker stored it: no accuracy in the summary.
    await database.db.update(runs).set({
      summary: sql`${runs.summary} - 'accuracy'`,
    }).where(eq(runs.id, old.id));
    assert.equal(
      (await getRun(database, old.id))?.summary?.accuracy,
      undefined,
    );

    assert.equal(await backfillAccuracy(database), 1);
    const filled = (await getRun(database, old.id))?.summary;
    assert.deepEqual(filled?.accuracy, stored);
    assert.equal(filled?.accuracy?.value, 0.75);
    // The rest of the summary is as it was.
    assert.equal(filled?.done, 4);
    // A schema-only run is left as it is; a second pass writes nothing.
    assert.equal(
      (await getRun(database, schemaOnly.id))?.summary?.accuracy,
      undefined,
    );
    assert.equal(await backfillAccuracy(database), 0);
  },
);
