import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { getRun } from "../db/queries/runs.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";
import { liveReport, runReport, storedReport } from "./report.ts";

const CASES = Array.from({ length: 12 }, (_, i) => ({
  key: `k${i}`,
  subset: i % 2 ? "odd" : "even",
  schema: { type: "object", required: ["a"] },
}));

/** JSON round trip: jsonb reorders keys, the content must be the same. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const sorted = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sorted)
    : value && typeof value === "object"
    ? Object.fromEntries(
      Object.entries(value).sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sorted(v)]),
    )
    : value;

dbTest(
  "a finished run's report from its summary equals the one from its results",
  async (database) => {
    const suite = await seedSuite(database, "report", CASES);
    const target = await seedTarget(database, { name: "t" });
    const seeded = await seedRun(database, {
      suite,
      target,
      results: (_key, i) => ({
        outcome: i % 3 ? "valid" : "schema_violation",
        failingKeywords: i % 3 ? undefined : ["required"],
        latencyMs: 100 + i,
        ttftMs: 10 + i,
        completionTokens: 5 + i,
        promptTokens: 50,
      }),
    });
    const run = (await getRun(database, seeded.id))!;
    const stored = await storedReport(database, run);
    assert.ok(stored, "a finished run is served from its summary");
    assert.deepEqual(
      sorted(plain(stored)),
      sorted(plain(await liveReport(database, run))),
    );
    assert.deepEqual(
      sorted(plain(await runReport(database, run))),
      sorted(plain(stored)),
    );
  },
);

dbTest(
  "running runs and quality runs are computed from their results",
  async (database) => {
    const suite = await seedSuite(database, "report", CASES);
    const target = await seedTarget(database, { name: "t" });
    const running = await seedRun(database, {
      suite,
      target,
      results: (_key, i) => i < 6 ? { outcome: "valid" } : null,
    });
    assert.equal(await storedReport(database, running), null);
    assert.equal((await runReport(database, running)).progress.done, 6);
    const quality = await seedRun(database, {
      suite,
      target,
      results: (_key, i) => ({ outcome: "valid", correct: i % 2 === 0 }),
    });
    const report = await runReport(
      database,
      (await getRun(database, quality.id))!,
    );
    assert.equal(
      (report.scores as { accuracy?: { n: number } }).accuracy?.n,
      12,
    );
  },
);
