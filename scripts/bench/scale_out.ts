/**
 * `scale_out` of `deno task bench`: do claims, leases and a target's shared
 * cap let `deno task worker` processes add up? On PostgreSQL, an API-only
 * server (`RUN_WORKER=false`) and 1, 2 and 4 worker processes, each
 * allowed {@link SCALE_OUT.perWorker} requests in flight (the run's
 * `concurrency`), run the same cases on the GPU-shaped stub
 * (`GPU_SHAPE` of `./gpu_shaped.ts`) with
 * {@link SCALE_OUT.slots} slots and {@link SCALE_OUT.msPerRequest} ms a
 * request, the target's `max_concurrency` (the cap all workers share)
 * {@link SCALE_OUT.slots}. One worker is then held back by the engine's
 * latency (16 ÷ 0.2 s = 80 cases a second at most), four may reach the
 * engine's 320. The figure is cases a second with each count and the
 * ratio to one worker's.
 *
 * The cases are {@link SCALE_OUT.schemas} schemas of the bench's sample
 * repeated (so each worker compiles few validators), and each count runs
 * once unmeasured to warm its workers: what is measured is the queue, not
 * the compiler.
 *
 * As a program, `deno run -A scripts/bench/scale_out.ts [--cases N]`
 * (default 2,000) measures this figure alone on a throwaway cluster and
 * prints it as JSON.
 *
 * @example
 * ```ts
 * import { measureScaleOut } from "./scale_out.ts";
 * import type { ProcessGroup } from "../chaos/proc.ts";
 * import type { BenchCase } from "./cases.ts";
 * declare const group: ProcessGroup;
 * declare const databaseUrl: string;
 * declare const cases: BenchCase[];
 * const figure = await measureScaleOut({ group, databaseUrl, cases, caseCount: 2000 });
 * console.log(figure.ratio_4);
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
import { BENCH_PARAMS } from "./figures.ts";
import { repeatCases } from "./memory.ts";
import { BENCH_TOKEN, startBenchServer } from "./proc.ts";
import { ProcessGroup } from "../chaos/proc.ts";
import { findPostgresBin, startCluster } from "../dev/pg_cluster.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { generationMs } from "../../evaluators/targets/testing/engine_latency.ts";
import { GPU_SHAPE } from "./gpu_shaped.ts";

/**
 * The setting of the figure.
 *
 * @example
 * ```ts
 * SCALE_OUT.slots * 1000 / SCALE_OUT.msPerRequest; // 320 cases/s, the engine's limit
 * ```
 */
export const SCALE_OUT = {
  workers: [1, 2, 4] as const,
  perWorker: 16,
  slots: GPU_SHAPE.slots,
  msPerRequest: generationMs(GPU_SHAPE.latency),
  schemas: 50,
};

/**
 * The figure: cases a second with each number of workers, and the ratios.
 *
 * @example
 * ```ts
 * const f: ScaleOutFigure = {
 *   cases_per_s_1: 78, cases_per_s_2: 150, cases_per_s_4: 280,
 *   ratio_2: 1.92, ratio_4: 3.59, cases: 2000, per_worker: 16,
 *   slots: 64, ms_per_request: 200, engine_limit_per_s: 320,
 * };
 * ```
 */
export interface ScaleOutFigure {
  cases_per_s_1: number;
  cases_per_s_2: number;
  cases_per_s_4: number;
  /** Two workers' cases a second ÷ one's. */
  ratio_2: number;
  /** Four workers' ÷ one's (goal ≥ 3). */
  ratio_4: number;
  cases: number;
  per_worker: number;
  slots: number;
  ms_per_request: number;
  engine_limit_per_s: number;
}

/** What {@link measureScaleOut} needs. */
export interface ScaleOutOptions {
  group: ProcessGroup;
  /** A PostgreSQL database, migrated or empty. */
  databaseUrl: string;
  /** The bench's cases; {@link SCALE_OUT.schemas} of them are used. */
  cases: readonly BenchCase[];
  /** Cases of each measured run. */
  caseCount: number;
  /** Progress lines; default none. */
  log?: (message: string) => void;
}

/**
 * Starts its own GPU-shaped stub and API server, then for each count
 * starts the workers, runs the warm-up and the measured run, and stops
 * them.
 *
 * @example
 * ```ts
 * import type { ScaleOutOptions } from "./scale_out.ts";
 * declare const options: ScaleOutOptions;
 * (await measureScaleOut(options)).cases_per_s_4;
 * ```
 */
export async function measureScaleOut(
  options: ScaleOutOptions,
): Promise<ScaleOutFigure> {
  const { group, databaseUrl } = options;
  const engine = await startStubEngine(GPU_SHAPE);
  const server = await startBenchServer(group, { databaseUrl }, {
    env: { RUN_WORKER: "false" },
  });
  try {
    const api = new BenchClient(server.url, BENCH_TOKEN);
    const target = await api.post("/api/targets", {
      name: "bench-scale-out",
      kind: "llamacpp",
      base_url: engine.url,
      mode: "json_schema",
      settings: { endpoint: "chat" },
      max_concurrency: SCALE_OUT.slots,
    });
    const distinct = sampleCases(options.cases, SCALE_OUT.schemas);
    const suite = async (name: string, n: number) =>
      (await api.post("/api/suites", suiteBody(name, repeatCases(distinct, n))))
        .id as string;
    const warmSuite = await suite(
      "bench/scale-out-warm",
      SCALE_OUT.schemas * 4,
    );
    const mainSuite = await suite("bench/scale-out", options.caseCount);
    const run = async (suiteId: string) => {
      const { run, wallMs } = await api.runToEnd({
        suite_id: suiteId,
        target_id: target.id as string,
        options: { ...BENCH_PARAMS, concurrency: SCALE_OUT.perWorker },
      }, 100);
      if (run.status !== "done") {
        throw new Error(`a scale-out run ended ${run.status}`);
      }
      return wallMs / 1000;
    };
    const rate: Record<number, number> = {};
    for (const count of SCALE_OUT.workers) {
      const workers = Array.from(
        { length: count },
        (_, i) =>
          group.spawn(`scale-worker-${count}-${i}`, [
            "run",
            "-A",
            "server/worker_main.ts",
          ], {
            DATABASE_URL: databaseUrl,
            WORKER_ID: `scale-${count}-${i}`,
          }),
      );
      try {
        await Promise.all(
          workers.map((w) => w.waitForLine(/started/, 120_000)),
        );
        await run(warmSuite);
        const wallS = await run(mainSuite);
        rate[count] = options.caseCount / wallS;
        options.log?.(
          `  scale-out: ${count} worker(s), ${wallS.toFixed(2)} s, ${
            rate[count].toFixed(0)
          } cases/s`,
        );
      } finally {
        await Promise.all(workers.map((w) => w.stop(15_000)));
      }
    }
    return {
      cases_per_s_1: rate[1],
      cases_per_s_2: rate[2],
      cases_per_s_4: rate[4],
      ratio_2: rate[2] / rate[1],
      ratio_4: rate[4] / rate[1],
      cases: options.caseCount,
      per_worker: SCALE_OUT.perWorker,
      slots: SCALE_OUT.slots,
      ms_per_request: SCALE_OUT.msPerRequest,
      engine_limit_per_s: SCALE_OUT.slots * 1000 / SCALE_OUT.msPerRequest,
    };
  } finally {
    await server.stop();
    await engine.stop();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { cases: { type: "string", default: "2000" } },
  });
  const caseCount = Number(values.cases);
  if (!Number.isInteger(caseCount) || caseCount <= 0) {
    console.error("--cases must be a whole number above 0");
    Deno.exit(2);
  }
  const logDir = await Deno.makeTempDir({ prefix: "bench-scale-logs-" });
  const group = new ProcessGroup(logDir);
  let failed = false;
  const bin = await findPostgresBin();
  if (!bin) {
    console.error("scale-out: PostgreSQL is not installed");
    Deno.exit(2);
  }
  const cluster = await startCluster(bin);
  try {
    const figure = await measureScaleOut({
      group,
      databaseUrl: cluster.url,
      cases: await readBenchCases(benchDatasetDir()),
      caseCount,
      log: (message) => console.error(message),
    });
    console.log(JSON.stringify({ scale_out: figure }, null, 2));
  } catch (error) {
    failed = true;
    console.error(`scale-out bench failed: ${(error as Error).stack}`);
  } finally {
    await group.stopAll(15_000);
    await cluster.stop().catch(() => {});
    if (failed) console.error(`logs kept in ${logDir}`);
    else await Deno.remove(logDir, { recursive: true }).catch(() => {});
  }
  Deno.exit(failed ? 1 : 0);
}
