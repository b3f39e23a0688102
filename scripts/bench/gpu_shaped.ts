/**
 * `gpu_shaped_ratio` of `deno task bench`: does the harness keep a fast
 * engine busy? The engine is the stub shaped like llama.cpp on a GPU
 * ({@link GPU_SHAPE}: 64 slots, 40 ms to the first token and 2 ms a token
 * after it, 81 tokens, so 200 ms a request and at most 320 requests a
 * second); the harness (a run through `POST /api/runs`, 64 cases in flight)
 * and the bare load generator (64 requests in flight) each send it the same
 * cases. The ratio is the harness's throughput divided by the generator's
 * (the generator's wall time ÷ the harness's): 1 when the harness is never
 * what limits the run. Cold is the first run in a fresh server process (no
 * validator compiled), warm the second; each beside its own generator run,
 * alternated.
 *
 * As a program, `deno task bench:gpu [--cases N] [--alternations N]
 * [--postgres]` (default 500 and 3) measures this figure alone, on PGlite
 * in a temporary folder or a throwaway PostgreSQL cluster, and prints it as
 * JSON: quicker than the whole bench while working
 * on the hot path.
 *
 * @example
 * ```ts
 * import { GPU_SHAPE, measureGpuShaped } from "./gpu_shaped.ts";
 * import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
 * import type { BenchCase } from "./cases.ts";
 * import type { BenchServer } from "./proc.ts";
 * declare const cases: BenchCase[];
 * declare const start: () => Promise<BenchServer>;
 * declare const suiteId: string;
 * declare const targetId: string;
 * const engine = await startStubEngine(GPU_SHAPE);
 * const figure = await measureGpuShaped({
 *   start, engineUrl: engine.url, suiteId, targetId, cases, alternations: 3,
 * });
 * console.log(figure.warm.median);
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { BenchClient } from "./api.ts";
import {
  type BenchCase,
  benchDatasetDir,
  readBenchCases,
  sampleCases,
  suiteBody,
} from "./cases.ts";
import { generatorRun, harnessRun } from "./figures.ts";
import { BENCH_TOKEN, type BenchServer, startBenchServer } from "./proc.ts";
import { ProcessGroup } from "../chaos/proc.ts";
import {
  type Cluster,
  findPostgresBin,
  startCluster,
} from "../dev/pg_cluster.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { type Spread, spread } from "./report.ts";
import {
  type EngineLatency,
  generationMs,
} from "../../evaluators/targets/testing/engine_latency.ts";
import { exitOnHelp } from "../../server/cli_help.ts";

/**
 * The GPU-shaped stub's options: 64 slots, 40 ms + 2 ms a token, 81 tokens
 * a reply (200 ms a request).
 *
 * @example
 * ```ts
 * import { generationMs } from "../../evaluators/targets/testing/engine_latency.ts";
 * generationMs(GPU_SHAPE.latency); // 200
 * ```
 */
export const GPU_SHAPE: {
  slots: number;
  latency: Required<EngineLatency>;
} = {
  slots: 64,
  latency: { firstTokenMs: 40, perTokenMs: 2, tokens: 81 },
};

/**
 * The figure: ratios (harness throughput ÷ the generator's), the times
 * they come from, the server's CPU per case, and the shape of the engine.
 *
 * @example
 * ```ts
 * import type { GpuShapedFigure } from "./gpu_shaped.ts";
 * declare const figure: GpuShapedFigure;
 * figure.cold.median >= 0.9; // the goal
 * ```
 */
export interface GpuShapedFigure {
  cold: Spread;
  warm: Spread;
  harness_cold_s: Spread;
  harness_warm_s: Spread;
  generator_s: Spread;
  cpu_ms_per_case_cold: Spread;
  cpu_ms_per_case_warm: Spread;
  /** The generator's throughput, cases a second (median). */
  generator_cases_per_s: number;
  /** What the engine allows: slots ÷ the time of a request, a second. */
  engine_limit_per_s: number;
  slots: number;
  ms_per_request: number;
  concurrency: number;
  cases: number;
  alternations: number;
}

/**
 * What {@link measureGpuShaped} needs: a way to start a fresh server (on
 * the bench's database, where the suite and target already are), the
 * GPU-shaped engine, and the cases of `suiteId`.
 *
 * @example
 * ```ts
 * import type { BenchCase } from "./cases.ts";
 * import type { BenchServer } from "./proc.ts";
 * declare const cases: BenchCase[];
 * declare const start: () => Promise<BenchServer>;
 * const o: GpuShapedOptions = { start, engineUrl: "http://127.0.0.1:9", suiteId: "s", targetId: "t", cases, alternations: 1 };
 * ```
 */
export interface GpuShapedOptions {
  start: () => Promise<BenchServer>;
  engineUrl: string;
  suiteId: string;
  targetId: string;
  cases: readonly BenchCase[];
  alternations: number;
  /** Progress lines; default none. */
  log?: (message: string) => void;
}

/**
 * Alternates, `alternations` times: a fresh server, then generator +
 * harness cold, generator + harness warm, all at the engine's 64 slots.
 *
 * @example
 * ```ts
 * import type { GpuShapedOptions } from "./gpu_shaped.ts";
 * declare const options: GpuShapedOptions;
 * const figure = await measureGpuShaped(options);
 * console.log(figure.cold, figure.warm);
 * ```
 */
export async function measureGpuShaped(
  options: GpuShapedOptions,
): Promise<GpuShapedFigure> {
  const concurrency = GPU_SHAPE.slots;
  const n = options.cases.length;
  const sides = ["cold", "warm"] as const;
  const ratio = { cold: [] as number[], warm: [] as number[] };
  const wall = { cold: [] as number[], warm: [] as number[] };
  const cpu = { cold: [] as number[], warm: [] as number[] };
  const generator: number[] = [];
  for (let a = 1; a <= options.alternations; a++) {
    const server = await options.start();
    try {
      const api = new BenchClient(server.url, BENCH_TOKEN);
      for (const side of sides) {
        const bare = await generatorRun(
          options.engineUrl,
          options.cases,
          concurrency,
        );
        const run = await harnessRun(
          api,
          server.pid,
          options.suiteId,
          options.targetId,
          n,
          concurrency,
        );
        if (run.status !== "done") {
          throw new Error(`a GPU-shaped run ended ${run.status}`);
        }
        generator.push(bare.wall_s);
        ratio[side].push(bare.wall_s / run.wall_s);
        wall[side].push(run.wall_s);
        cpu[side].push(run.cpu_ms_per_case);
        options.log?.(
          `  gpu-shaped ${a}/${options.alternations} ${side}: generator ${
            bare.wall_s.toFixed(2)
          } s ${JSON.stringify(bare.statuses)}, harness ${
            run.wall_s.toFixed(2)
          } s`,
        );
      }
    } finally {
      await server.stop();
    }
  }
  const msPerRequest = generationMs(GPU_SHAPE.latency);
  return {
    cold: spread(ratio.cold),
    warm: spread(ratio.warm),
    harness_cold_s: spread(wall.cold),
    harness_warm_s: spread(wall.warm),
    generator_s: spread(generator),
    cpu_ms_per_case_cold: spread(cpu.cold),
    cpu_ms_per_case_warm: spread(cpu.warm),
    generator_cases_per_s: n / spread(generator).median,
    engine_limit_per_s: GPU_SHAPE.slots * 1000 / msPerRequest,
    slots: GPU_SHAPE.slots,
    ms_per_request: msPerRequest,
    concurrency,
    cases: n,
    alternations: options.alternations,
  };
}

if (import.meta.main) {
  exitOnHelp(
    `usage: deno task bench:gpu [--cases N] [--alternations N] [--postgres]

The bench's gpu_shaped_ratio alone, printed as JSON.`,
  );
  // The figure alone, on PGlite in a temporary folder: see the README.
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      cases: { type: "string", default: "500" },
      alternations: { type: "string", default: "3" },
      postgres: { type: "boolean", default: false },
    },
  });
  const cases = Number(values.cases);
  const alternations = Number(values.alternations);
  if (![cases, alternations].every((n) => Number.isInteger(n) && n > 0)) {
    console.error("--cases and --alternations must be whole numbers above 0");
    Deno.exit(2);
  }
  const dataDir = await Deno.makeTempDir({ prefix: "bench-gpu-db-" });
  const logDir = await Deno.makeTempDir({ prefix: "bench-gpu-logs-" });
  const group = new ProcessGroup(logDir);
  const engine = await startStubEngine(GPU_SHAPE);
  let cluster: Cluster | undefined;
  let failed = false;
  try {
    let place: { dataDir?: string; databaseUrl?: string } = { dataDir };
    if (values.postgres) {
      const bin = await findPostgresBin();
      if (!bin) throw new Error("--postgres: PostgreSQL is not installed");
      cluster = await startCluster(bin);
      place = { databaseUrl: cluster.url };
    }
    const picked = sampleCases(await readBenchCases(benchDatasetDir()), cases);
    const start = () => startBenchServer(group, place);
    const first = await start();
    const api = new BenchClient(first.url, BENCH_TOKEN);
    const targetId = await api.target("bench-gpu-stub", engine.url);
    const suite = await api.post("/api/suites", suiteBody("bench/gpu", picked));
    await first.stop();
    const figure = await measureGpuShaped({
      start,
      engineUrl: engine.url,
      suiteId: suite.id as string,
      targetId,
      cases: picked,
      alternations,
      log: (message) => console.error(message),
    });
    console.log(JSON.stringify({ gpu_shaped_ratio: figure }, null, 2));
  } catch (error) {
    failed = true;
    console.error(`gpu-shaped bench failed: ${(error as Error).stack}`);
  } finally {
    await group.stopAll(15_000);
    await engine.stop();
    await cluster?.stop().catch(() => {});
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    if (failed) console.error(`logs kept in ${logDir}`);
    else await Deno.remove(logDir, { recursive: true }).catch(() => {});
  }
  Deno.exit(failed ? 1 : 0);
}
