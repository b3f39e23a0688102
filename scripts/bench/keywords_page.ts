/**
 * How long `/keywords` takes to render with many runs stored: seeds an
 * in-memory PGlite with one suite of `--cases` cases (default 500, a mix
 * of keywords and format values), `--targets` targets (default 20) and
 * `--runs` runs in all (default 100, spread over the targets), tallies
 * them with the start-up backfill, then requests `/keywords?suite=` and
 * prints the backfill's time, the first request's, and the median and
 * worst of the next `--requests` (default 20). A figure for the issue's
 * closing note, not a goal: nothing here fails on a slow answer.
 *
 * @example
 * ```sh
 * deno run -A scripts/bench/keywords_page.ts --runs 100
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { backfillKeywordStats } from "../../server/db/queries/keyword_stats.ts";
import { openTestDatabase } from "../../server/testing/database.ts";
import { testApp } from "../../server/testing/api.ts";
import {
  seedBulkRun,
  seedSuite,
  seedTarget,
} from "../../server/testing/seed.ts";

const SHAPES: unknown[] = [
  { type: "object", properties: { a: { type: "integer", minimum: 0 } } },
  { type: "string", format: "email" },
  { type: "string", format: "date", maxLength: 10 },
  { anyOf: [{ type: "string", pattern: "^a" }, { type: "null" }] },
  { $ref: "#/$defs/x", $defs: { x: { type: "array", uniqueItems: true } } },
  {
    type: "object",
    patternProperties: { "^x": { type: "number", multipleOf: 2 } },
    required: ["x1"],
  },
];

/**
 * Seeds, tallies and times the page; returns the figures in milliseconds.
 *
 * @example
 * ```ts
 * const figures = await measureKeywordsPage({ cases: 50, targets: 2, runs: 4, requests: 3 });
 * console.log(figures.medianMs);
 * ```
 */
export async function measureKeywordsPage(
  options: { cases: number; targets: number; runs: number; requests: number },
) {
  const database = await openTestDatabase("pglite");
  try {
    const suite = await seedSuite(
      database,
      "bench-keywords",
      Array.from({ length: options.cases }, (_, i) => ({
        key: `c${i}`,
        schema: SHAPES[i % SHAPES.length],
      })),
    );
    const targets = [];
    for (let t = 0; t < options.targets; t++) {
      targets.push(await seedTarget(database, { name: `target-${t}` }));
    }
    for (let r = 0; r < options.runs; r++) {
      await seedBulkRun(database, {
        suite,
        target: targets[r % targets.length],
        seed: r,
        finishedAt: new Date(Date.UTC(2026, 0, 1, 0, r)),
      });
    }
    let started = performance.now();
    const tallied = await backfillKeywordStats(database);
    const backfillMs = performance.now() - started;
    const { app } = testApp(database);
    const path = `/keywords?suite=${suite.id}`;
    const once = async () => {
      const t0 = performance.now();
      const res = await app.request(path);
      await res.text();
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      return performance.now() - t0;
    };
    started = performance.now();
    const firstMs = await once();
    const times: number[] = [];
    for (let i = 0; i < options.requests; i++) times.push(await once());
    times.sort((a, b) => a - b);
    return {
      tallied,
      backfillMs,
      firstMs,
      medianMs: times[Math.floor(times.length / 2)] ?? firstMs,
      worstMs: times[times.length - 1] ?? firstMs,
    };
  } finally {
    await database.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      cases: { type: "string", default: "500" },
      targets: { type: "string", default: "20" },
      runs: { type: "string", default: "100" },
      requests: { type: "string", default: "20" },
    },
  });
  const options = {
    cases: Number(values.cases),
    targets: Number(values.targets),
    runs: Number(values.runs),
    requests: Number(values.requests),
  };
  const f = await measureKeywordsPage(options);
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(
    `/keywords with ${options.runs} runs of ${options.cases} cases on ${options.targets} targets (${
      options.runs * options.cases
    } results): backfill of ${f.tallied} tallies ${
      ms(f.backfillMs)
    }; first request ${ms(f.firstMs)}; next ${options.requests}: median ${
      ms(f.medianMs)
    }, worst ${ms(f.worstMs)}`,
  );
}
