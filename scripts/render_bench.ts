/**
 * How long the public pages take to render on a database of realistic
 * size: seeds an in-memory PGlite with 100 finished public runs holding
 * 100,000 results (2 suites of 1,000 cases, 25 targets, 2 runs of each
 * target on each suite), then requests the leaderboard (and, for
 * comparison, a run report, a page of its case list and a target's
 * history) several times and prints the median. Not a test.
 *
 * ```sh
 * deno run -A scripts/render_bench.ts [--requests 15]
 * ```
 *
 * @example
 * ```sh
 * deno run -A scripts/render_bench.ts --requests 9
 * ```
 * @module
 */
import { sql } from "drizzle-orm";
import { parseArgs } from "node:util";
import { createApp } from "../server/app.ts";
import { openDatabase } from "../server/db/client.ts";
import { migrateDatabase } from "../server/db/migrate.ts";
import type { RunRow } from "../server/db/queries/runs.ts";
import { readEnv } from "../server/env.ts";
import {
  seedBulkRun,
  seedSuite,
  seedTarget,
} from "../server/pages/test_seed.ts";

const SUITES = 2;
const CASES = 1000;
const TARGETS = 25;
const RUNS_PER_PAIR = 2;

const { values } = parseArgs({
  args: Deno.args,
  options: { requests: { type: "string", default: "15" } },
});
const requests = Number(values.requests);
if (!Number.isInteger(requests) || requests < 1) {
  console.error("--requests must be a whole number above 0");
  Deno.exit(2);
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const database = await openDatabase({ memory: true });
await migrateDatabase(database);
const app = createApp({
  database,
  env: readEnv({ LOAD_BUILTIN_SUITES: "false" }),
});

const seedStart = performance.now();
const suites = [];
for (let s = 0; s < SUITES; s++) {
  suites.push(
    await seedSuite(
      database,
      `bench-${s}`,
      Array.from({ length: CASES }, (_, i) => ({
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
      name: `target-${String(t).padStart(2, "0")}`,
      kind: t % 3 ? "llamacpp" : "openai",
      mode: t % 5 ? "json_schema" : "prompt_only",
    }),
  );
}
const runs: RunRow[] = [];
let seed = 0;
for (let r = 0; r < RUNS_PER_PAIR; r++) {
  for (const suite of suites) {
    for (const target of targets) {
      runs.push(
        await seedBulkRun(database, {
          suite,
          target,
          seed: seed++,
          finishedAt: new Date(Date.UTC(2025, 0, 1 + r, 0, seed)),
          engine: { engine: "llama.cpp", version: `b${r + 1}`, model: "m" },
        }),
      );
    }
  }
}
const [{ n }] = await database.rows<{ n: number }>(
  sql`select count(*)::int as n from results`,
);
console.log(
  `seeded ${runs.length} runs, ${n} results in ${
    ((performance.now() - seedStart) / 1000).toFixed(1)
  } s`,
);

async function time(label: string, path: string): Promise<void> {
  const first = await app.request(path);
  if (first.status !== 200) throw new Error(`${path}: ${first.status}`);
  const bytes = (await first.text()).length;
  const samples = [];
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const res = await app.request(path);
    await res.text();
    samples.push(performance.now() - start);
  }
  console.log(
    `${label.padEnd(34)} median ${median(samples).toFixed(1).padStart(7)} ms` +
      `  min ${
        Math.min(...samples).toFixed(1).padStart(7)
      } ms  (${requests} requests, ${bytes} bytes)`,
  );
}

const latest = runs[runs.length - 1];
await time("leaderboard /", "/");
await time("leaderboard sorted and filtered", "/?kind=llamacpp&sort=ttft");
await time("leaderboard.csv", "/api/leaderboard.csv");
await time("run report /runs/:id", `/runs/${latest.id}`);
await time(
  "case list, page 10, filtered",
  `/runs/${latest.id}?outcome=valid&page=10`,
);
await time("target history /targets/:id", `/targets/${latest.targetId}`);
await database.close();
