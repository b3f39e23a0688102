/**
 * The stored history the leaderboard figure reads: 100 finished public
 * runs holding `results` results in all (2 suites, 25 targets, 2 runs of
 * each target on each suite), written straight into the database before
 * the server opens it.
 *
 * @example
 * ```ts
 * import { seedHistory } from "./seed.ts";
 * declare const dataDir: string;
 * const { runId } = await seedHistory({ dataDir }, 100_000);
 * ```
 * @module
 */
import { sql } from "drizzle-orm";
import { DATA_ONLY, openServices } from "../../server/boot.ts";
import { readEnv } from "../../server/env.ts";
import {
  seedBulkRun,
  seedSuite,
  seedTarget,
} from "../../server/testing/seed.ts";

const SUITES = 2;
const TARGETS = 25;
const RUNS = 100;

/**
 * Seeds the runs; resolves with the id of the last one (the run whose
 * report is loaded) and the counts actually stored.
 *
 * @example
 * ```ts
 * declare const databaseUrl: string;
 * const seeded = await seedHistory({ databaseUrl }, 10_000); // 100 runs of 100 cases
 * ```
 */
export async function seedHistory(
  place: { dataDir?: string; databaseUrl?: string },
  results: number,
): Promise<{ runId: string; runs: number; results: number }> {
  const services = await openServices(
    readEnv(
      place.databaseUrl
        ? { DATABASE_URL: place.databaseUrl }
        : { DATA_DIR: place.dataDir },
    ),
    DATA_ONLY,
  );
  const { database } = services;
  try {
    const cases = Math.max(1, Math.round(results / RUNS));
    const suites = [];
    for (let s = 0; s < SUITES; s++) {
      suites.push(
        await seedSuite(
          database,
          `bench-history-${s}`,
          Array.from({ length: cases }, (_, i) => ({
            key: `case-${i}`,
            subset: `subset-${i % 4}`,
            schema: {
              type: "object",
              properties: { id: { type: "integer" }, name: { type: "string" } },
              required: i % 2 ? ["id"] : ["id", "name"],
            },
          })),
        ),
      );
    }
    const targets = [];
    for (let t = 0; t < TARGETS; t++) {
      targets.push(
        await seedTarget(database, {
          name: `bench-history-${String(t).padStart(2, "0")}`,
          kind: t % 3 ? "llamacpp" : "openai",
          mode: t % 5 ? "json_schema" : "prompt_only",
        }),
      );
    }
    let runId = "";
    for (let r = 0; r < RUNS; r++) {
      const run = await seedBulkRun(database, {
        suite: suites[Math.floor(r / TARGETS) % SUITES],
        target: targets[r % TARGETS],
        seed: r,
        finishedAt: new Date(Date.UTC(2025, 0, 1, 0, r)),
        engine: {
          engine: "llama.cpp",
          version: `b${1 + Math.floor(r / 50)}`,
          model: "m",
        },
      });
      runId = run.id;
    }
    const [{ n }] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from results`,
    );
    return { runId, runs: RUNS, results: n };
  } finally {
    await services.close();
  }
}
