/**
 * The results of `deno task bench`: the JSON document (`--json FILE`, one
 * top-level key per figure) and the readable table, where every ratio
 * stands beside the baseline it is divided by, with the issue's goal and
 * whether it is met.
 *
 * @example
 * ```ts
 * import { benchTable, spread } from "./report.ts";
 * import type { BenchResults } from "./report.ts";
 * declare const results: BenchResults;
 * spread([1.2, 1.1, 1.3]); // { median: 1.2, min: 1.1, max: 1.3 }
 * console.log(benchTable(results));
 * ```
 * @module
 */
import type { ValidationFigure } from "./validation.ts";
import type { IngestFigure, RouteLoad } from "./figures.ts";
import type { GpuShapedFigure } from "./gpu_shaped.ts";
import type { MemoryFigure } from "./memory.ts";
import type { ScaleOutFigure } from "./scale_out.ts";

/**
 * A median with its range.
 *
 * @example
 * ```ts
 * const s: Spread = { median: 1.04, min: 1.01, max: 1.09 };
 * ```
 */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/**
 * The median, min and max of `values`.
 *
 * @example
 * ```ts
 * spread([3, 1, 2]).median; // 2
 * ```
 */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2
    ? sorted[mid]
    : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * Everything one bench run measured.
 *
 * @example
 * ```ts
 * import type { BenchResults } from "./report.ts";
 * declare const file: string;
 * declare const results: BenchResults;
 * await Deno.writeTextFile(file, JSON.stringify(results, null, 2));
 * ```
 */
export interface BenchResults {
  harness_overhead_ratio: {
    cold: Spread;
    warm: Spread;
    harness_cold_s: Spread;
    harness_warm_s: Spread;
    generator_s: Spread;
    cpu_ms_per_case_cold: Spread;
    cpu_ms_per_case_warm: Spread;
    cases: number;
    alternations: number;
  };
  harness_floor_s: {
    cold: number;
    warm: number;
    generator_s: number;
    cpu_ms_per_case_cold: number;
    cpu_ms_per_case_warm: number;
    cases: number;
  };
  /** Harness throughput ÷ the load generator's on the GPU-shaped stub. */
  gpu_shaped_ratio: GpuShapedFigure;
  validation: ValidationFigure;
  ingest_s: IngestFigure;
  leaderboard_rps_ratio: {
    board: number;
    run_api: number;
    hello_load: RouteLoad;
    board_load: RouteLoad;
    run_api_load: RouteLoad;
    connections: number;
    duration_s: number;
    seeded_runs: number;
    seeded_results: number;
  };
  rss_mb: MemoryFigure;
  /** Cases a second with 1, 2 and 4 worker processes on PostgreSQL. */
  scale_out: ScaleOutFigure;
  /** What ran: engine build, database, sizes (text, not figures). */
  setup: Record<string, string | number | boolean>;
}

const f = (x: number, digits = 2) =>
  Number.isFinite(x) ? x.toFixed(digits) : String(x);
const range = (s: Spread, digits = 2) =>
  `${f(s.median, digits)} (${f(s.min, digits)}–${f(s.max, digits)})`;
const verdict = (ok: boolean) => ok ? "met" : "MISSED";

/**
 * The readable table: figure, value, the baseline beside it, goal, met.
 *
 * @example
 * ```ts
 * import type { BenchResults } from "./report.ts";
 * declare const results: BenchResults;
 * console.log(benchTable(results));
 * ```
 */
export function benchTable(r: BenchResults): string {
  const o = r.harness_overhead_ratio;
  const fl = r.harness_floor_s;
  const g = r.gpu_shaped_ratio;
  const v = r.validation;
  const lb = r.leaderboard_rps_ratio;
  const m = r.rss_mb;
  const so = r.scale_out;
  const rows: string[][] = [
    ["figure", "value: median (min–max)", "beside its baseline", "goal", ""],
    [
      "harness_overhead_ratio cold",
      range(o.cold, 3),
      `harness ${range(o.harness_cold_s, 1)} s / generator ${
        range(o.generator_s, 1)
      } s`,
      "≤ 1.10",
      verdict(o.cold.median <= 1.10),
    ],
    [
      "harness_overhead_ratio warm",
      range(o.warm, 3),
      `harness ${range(o.harness_warm_s, 1)} s / generator`,
      "≤ 1.05",
      verdict(o.warm.median <= 1.05),
    ],
    [
      "harness CPU per case",
      `cold ${range(o.cpu_ms_per_case_cold, 1)} ms`,
      `warm ${range(o.cpu_ms_per_case_warm, 1)} ms (server process)`,
      "",
      "",
    ],
    [
      `harness_floor_s (${fl.cases} cases)`,
      `cold ${f(fl.cold)} s, warm ${f(fl.warm)} s`,
      `generator on the stub ${f(fl.generator_s)} s; CPU ${
        f(fl.cpu_ms_per_case_cold, 1)
      }/${f(fl.cpu_ms_per_case_warm, 1)} ms a case`,
      "cold ≤ 2 s, warm ≤ 0.5 s, CPU warm ≤ 1 ms",
      verdict(
        fl.cold <= 2 && fl.warm <= 0.5 && fl.cpu_ms_per_case_warm <= 1,
      ),
    ],
    [
      `gpu_shaped_ratio cold (${g.cases} cases)`,
      range(g.cold, 3),
      `generator ${range(g.generator_s)} s / harness ${
        range(g.harness_cold_s)
      } s`,
      "≥ 0.90",
      verdict(g.cold.median >= 0.90),
    ],
    [
      "gpu_shaped_ratio warm",
      range(g.warm, 3),
      `generator / harness ${range(g.harness_warm_s)} s`,
      "≥ 0.90",
      verdict(g.warm.median >= 0.90),
    ],
    [
      `GPU-shaped stub (${g.slots} slots, ${f(g.ms_per_request, 0)} ms)`,
      `CPU cold ${range(g.cpu_ms_per_case_cold, 1)} ms`,
      `warm ${range(g.cpu_ms_per_case_warm, 1)} ms a case; generator ${
        f(g.generator_cases_per_s, 0)
      } cases/s, engine limit ${f(g.engine_limit_per_s, 0)}`,
      "",
      "",
    ],
    [
      "validation warm (compiled)",
      `p50 ${f(v.warm.p50_ms, 3)} ms, p99 ${f(v.warm.p99_ms, 3)} ms`,
      `total ${f(v.warm.total_s)} s for ${v.compiled} validators`,
      "≤ 0.2 ms",
      verdict(v.warm.p50_ms <= 0.2),
    ],
    [
      "validation cold (compile + check)",
      `p50 ${f(v.cold.p50_ms)} ms, p99 ${f(v.cold.p99_ms)} ms`,
      `total ${f(v.cold.total_s, 1)} s; ${v.compiled}/${v.schemas} compile`,
      "",
      "",
    ],
    [
      "ingest_s",
      `${f(r.ingest_s.ingest_s)} s`,
      `${r.ingest_s.schemas} schemas, ${r.ingest_s.suites} suites, ${
        f(r.ingest_s.mb, 1)
      } MB${
        r.ingest_s.refused_suites
          ? `; ${r.ingest_s.refused_suites} subset(s) REFUSED`
          : ""
      }`,
      "≤ 20 s",
      verdict(r.ingest_s.ingest_s <= 20),
    ],
    [
      "leaderboard_rps_ratio /",
      f(lb.board, 3),
      `${f(lb.board_load.rps, 0)} / hello ${f(lb.hello_load.rps, 0)} req/s`,
      "≥ 0.33",
      verdict(lb.board >= 0.33),
    ],
    [
      "leaderboard_rps_ratio /api/runs/:id",
      f(lb.run_api, 3),
      `${f(lb.run_api_load.rps, 0)} / hello ${f(lb.hello_load.rps, 0)} req/s`,
      "≥ 0.33",
      verdict(lb.run_api >= 0.33),
    ],
    [
      `latency at ${lb.connections} connections`,
      `/ p50 ${f(lb.board_load.p50_ms, 0)} p99 ${
        f(lb.board_load.p99_ms, 0)
      } ms`,
      `run ${f(lb.run_api_load.p50_ms, 0)}/${
        f(lb.run_api_load.p99_ms, 0)
      } ms; hello ${f(lb.hello_load.p50_ms, 0)}/${
        f(lb.hello_load.p99_ms, 0)
      } ms`,
      "/ p99 ≤ 20 ms",
      verdict(lb.board_load.p99_ms <= 20),
    ],
    [
      "rss_mb idle (fresh server)",
      `${f(m.idle_mb, 0)} MB`,
      "after start, before any run",
      "≤ 300 MB",
      verdict(m.idle_mb <= 300),
    ],
    [
      `rss_mb growth (${m.cases} cases on the stub)`,
      `${f(m.growth_pct, 1)}%`,
      `${f(m.at_25pct_mb, 0)} MB at 25% → ${f(m.end_mb, 0)} MB at 100%`,
      "≤ 10%",
      verdict(m.growth_pct <= 10),
    ],
    [
      "rss_mb peak",
      `${f(m.peak_mb, 0)} MB`,
      `the most the server held (VmHWM), ${f(m.wall_s, 0)} s run`,
      "≤ 600 MB",
      verdict(m.peak_mb <= 600),
    ],
    [
      `scale_out 4 workers ÷ 1 (${so.cases} cases)`,
      f(so.ratio_4, 2),
      `${f(so.cases_per_s_4, 0)} / ${
        f(so.cases_per_s_1, 0)
      } cases/s; 2 workers ${f(so.cases_per_s_2, 0)} (×${f(so.ratio_2, 2)})`,
      "≥ 3",
      verdict(so.ratio_4 >= 3),
    ],
    [
      `scale_out setting`,
      `${so.per_worker} in flight a worker`,
      `${so.slots} slots, ${
        f(so.ms_per_request, 0)
      } ms a request, cap ${so.slots}; engine limit ${
        f(so.engine_limit_per_s, 0)
      } cases/s`,
      "",
      "",
    ],
  ];
  const widths = rows[0].map((_, i) =>
    Math.max(...rows.map((row) => row[i].length))
  );
  const line = (row: string[]) =>
    row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [
    line(rows[0]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
  ].join("\n");
}

/**
 * Every number under the figure keys, by path, for checks: a figure that is
 * missing or not finite shows up here.
 *
 * @example
 * ```ts
 * numericLeaves({ a: { b: 1 } }); // [["a.b", 1]]
 * ```
 */
export function numericLeaves(
  value: unknown,
  path = "",
): [string, unknown][] {
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      numericLeaves(v, path ? `${path}.${k}` : k)
    );
  }
  return [[path, value]];
}
