/**
 * `rss_mb` of `deno task bench`: the server's resident memory when it has
 * just started (idle), over a long run on the instant stub engine (at 25%
 * and at 100% of the cases) and at its peak. The long run is the bench's
 * fixed cases (every usable JSONSchemaBench schema, 7,544) repeated from the
 * start up to {@link MEMORY_CASES} ({@link repeatCases}), so a flat line
 * after warm-up means nothing grows with the number of cases.
 *
 * As a program, `deno run -A scripts/bench/memory.ts [--cases N]
 * [--postgres]` measures this figure alone (default 10,000 cases, PGlite
 * in a temporary folder) and prints it as JSON.
 *
 * @example
 * ```ts
 * import { measureMemory } from "./memory.ts";
 * import type { BenchClient } from "./api.ts";
 * import type { BenchServer } from "./proc.ts";
 * declare const api: BenchClient;
 * declare const server: BenchServer;
 * declare const suiteId: string;
 * declare const targetId: string;
 * const m = await measureMemory(api, server.pid, suiteId, targetId);
 * console.log(m.idle_mb, m.growth_pct);
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { BenchClient, type Json } from "./api.ts";
import {
  type BenchCase,
  benchDatasetDir,
  readBenchCases,
  sampleCases,
  suiteBody,
} from "./cases.ts";
import { BENCH_CONCURRENCY, BENCH_PARAMS } from "./figures.ts";
import { BENCH_TOKEN, memoryMb, startBenchServer } from "./proc.ts";
import { ProcessGroup } from "../chaos/proc.ts";
import {
  type Cluster,
  findPostgresBin,
  startCluster,
} from "../dev/pg_cluster.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";

/**
 * The cases of the full memory run.
 *
 * @example
 * ```ts
 * MEMORY_CASES; // 10000
 * ```
 */
export const MEMORY_CASES = 10_000;

/**
 * `cases` in order, then again from the start, until there are `n`; the
 * repeats get `#2`, `#3`, … after their key (a suite's keys are unique).
 *
 * @example
 * ```ts
 * const c = { key: "a", subset: "s", schema: {} };
 * repeatCases([c], 2).map((x) => x.key); // ["a", "a#2"]
 * ```
 */
export function repeatCases(
  cases: readonly BenchCase[],
  n: number,
): BenchCase[] {
  if (cases.length === 0) return [];
  return Array.from({ length: n }, (_, i) => {
    const c = cases[i % cases.length];
    const round = Math.floor(i / cases.length);
    return round === 0 ? c : { ...c, key: `${c.key}#${round + 1}` };
  });
}

/**
 * The memory figure, in MB of resident memory (`VmRSS`; the peak is
 * `VmHWM`, the most the process ever held).
 *
 * @example
 * ```ts
 * const m: MemoryFigure = {
 *   idle_mb: 250, at_25pct_mb: 400, end_mb: 410, peak_mb: 450,
 *   growth_pct: 2.5, cases: 10000, wall_s: 80,
 * };
 * ```
 */
export interface MemoryFigure {
  /** After start, before any run. */
  idle_mb: number;
  at_25pct_mb: number;
  end_mb: number;
  peak_mb: number;
  /** From 25% done to the end. */
  growth_pct: number;
  cases: number;
  wall_s: number;
}

/**
 * Runs `suiteId` (all of its cases) on `targetId` in the server `pid`,
 * which has just started, sampling its resident memory every 250 ms and
 * the run's progress every second; growth is from the first sample at 25%
 * done to the end. The run must end `done`.
 *
 * @example
 * ```ts
 * import type { BenchClient } from "./api.ts";
 * declare const api: BenchClient;
 * declare const pid: number;
 * (await measureMemory(api, pid, "suite-id", "target-id")).peak_mb;
 * ```
 */
export async function measureMemory(
  api: BenchClient,
  pid: number,
  suiteId: string,
  targetId: string,
): Promise<MemoryFigure> {
  const idle = await memoryMb(pid);
  const samples: { done: number; total: number; rss: number }[] = [];
  let done = 0;
  let total = 0;
  let lastProgress = 0;
  const { run, wallMs } = await api.runToEnd(
    {
      suite_id: suiteId,
      target_id: targetId,
      options: { ...BENCH_PARAMS, concurrency: BENCH_CONCURRENCY },
    },
    250,
    async () => {
      if (performance.now() - lastProgress >= 1000) {
        lastProgress = performance.now();
        const runs = await api.get(`/api/runs?suite_id=${suiteId}&limit=1`);
        const id = (runs.items as Json[])[0]?.id;
        if (id) {
          const progress = (await api.get(`/api/runs/${id}`)).progress as {
            done: number;
            total: number;
          };
          done = progress.done;
          total = progress.total;
        }
      }
      samples.push({ done, total, rss: (await memoryMb(pid)).rssMb });
    },
  );
  if (run.status !== "done") throw new Error(`memory run: ${run.status}`);
  const end = await memoryMb(pid);
  const quarter = samples.find((s) => s.total > 0 && s.done >= s.total / 4);
  const at25 = quarter?.rss ?? idle.rssMb;
  return {
    idle_mb: idle.rssMb,
    at_25pct_mb: at25,
    end_mb: end.rssMb,
    peak_mb: end.peakMb,
    growth_pct: (end.rssMb - at25) / at25 * 100,
    cases: total,
    wall_s: wallMs / 1000,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      cases: { type: "string", default: String(MEMORY_CASES) },
      postgres: { type: "boolean", default: false },
    },
  });
  const n = Number(values.cases);
  if (!Number.isInteger(n) || n <= 0) {
    console.error("--cases must be a whole number above 0");
    Deno.exit(2);
  }
  const dataDir = await Deno.makeTempDir({ prefix: "bench-memory-db-" });
  const logDir = await Deno.makeTempDir({ prefix: "bench-memory-logs-" });
  const group = new ProcessGroup(logDir);
  const engine = await startStubEngine({ slots: BENCH_CONCURRENCY });
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
    const all = sampleCases(await readBenchCases(benchDatasetDir()), Infinity);
    const first = await startBenchServer(group, place);
    const api = new BenchClient(first.url, BENCH_TOKEN);
    const targetId = await api.target("bench-stub", engine.url);
    const suite = await api.post(
      "/api/suites",
      suiteBody(`bench/memory-${n}`, repeatCases(all, n)),
    );
    await first.stop();
    const server = await startBenchServer(group, place);
    const figure = await measureMemory(
      new BenchClient(server.url, BENCH_TOKEN),
      server.pid,
      suite.id as string,
      targetId,
    );
    await server.stop();
    console.log(JSON.stringify({ rss_mb: figure }, null, 2));
  } catch (error) {
    failed = true;
    console.error(`memory bench failed: ${(error as Error).stack}`);
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
