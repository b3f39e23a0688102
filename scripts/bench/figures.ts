/**
 * The measurements of `deno task bench` that go through a running server:
 * ingest, leaderboard load, one harness run beside one bare load-generator
 * run (overhead and floor); memory is in `./memory.ts`. The orchestration
 * (which server, which engine, how often) is in `scripts/bench/main.ts`.
 *
 * @example
 * ```ts
 * import { measureIngest } from "./figures.ts";
 * import type { BenchClient } from "./api.ts";
 * declare const api: BenchClient;
 * declare const datasetDir: string;
 * const ingest = await measureIngest(api, datasetDir);
 * console.log(ingest.ingest_s);
 * ```
 * @module
 */
import { BenchApiError, type BenchClient } from "./api.ts";
import type { BenchCase } from "./cases.ts";
import { cpuMs } from "./proc.ts";
import { HELLO_PATH } from "./server.ts";
import { httpLoad, type HttpLoadResult } from "./http_load.ts";
import { runLoadGenerator } from "./load_generator.ts";

/**
 * The generation parameters of every engine run, harness and generator
 * alike: greedy, a fixed seed, at most 256 tokens.
 *
 * @example
 * ```ts
 * BENCH_PARAMS.max_tokens; // 256
 * ```
 */
export const BENCH_PARAMS = { temperature: 0, max_tokens: 256, seed: 0 };

/**
 * How many requests are in flight, on both sides: the engine's 4 slots.
 *
 * @example
 * ```ts
 * import type { BenchCase } from "./cases.ts";
 * import { runLoadGenerator } from "./load_generator.ts";
 * declare const cases: BenchCase[];
 * declare const url: string;
 * await runLoadGenerator({ url, cases, concurrency: BENCH_CONCURRENCY, params: BENCH_PARAMS });
 * ```
 */
export const BENCH_CONCURRENCY = 4;

/**
 * The ingest figure.
 *
 * @example
 * ```ts
 * const f: IngestFigure = { ingest_s: 12.3, schemas: 7553, suites: 10, refused_suites: 0, mb: 71 };
 * ```
 */
export interface IngestFigure {
  ingest_s: number;
  /** Schemas stored. */
  schemas: number;
  /** Suites stored. */
  suites: number;
  /** Subset files the server refused (a 4xx; the reason is logged). */
  refused_suites: number;
  mb: number;
}

/**
 * Posts every `<Subset>.jsonl` of `dir` to `POST /api/suites/import`, one
 * after the other, and times the whole.
 *
 * @example
 * ```ts
 * import type { BenchClient } from "./api.ts";
 * declare const api: BenchClient;
 * declare const dir: string;
 * (await measureIngest(api, dir)).schemas; // 7553
 * ```
 */
export async function measureIngest(
  api: BenchClient,
  dir: string,
): Promise<IngestFigure> {
  const files: { subset: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".jsonl")) continue;
    files.push({
      subset: entry.name.slice(0, -".jsonl".length),
      bytes: await Deno.readFile(`${dir}/${entry.name}`),
    });
  }
  files.sort((a, b) => a.subset.localeCompare(b.subset));
  let schemas = 0;
  let bytes = 0;
  const refused: string[] = [];
  const started = performance.now();
  for (const file of files) {
    const name = encodeURIComponent(`jsonschemabench/${file.subset}`);
    bytes += file.bytes.length;
    try {
      const suite = await api.request(
        "POST",
        `/api/suites/import?name=${name}&subset=${file.subset}`,
        file.bytes,
        "application/x-ndjson",
      );
      schemas += suite.case_count as number;
    } catch (error) {
      if (!(error instanceof BenchApiError) || error.status >= 500) throw error;
      refused.push(file.subset);
      console.error(`ingest: ${file.subset} refused: ${error.message}`);
    }
  }
  return {
    ingest_s: (performance.now() - started) / 1000,
    schemas,
    suites: files.length - refused.length,
    refused_suites: refused.length,
    mb: bytes / 1e6,
  };
}

/**
 * One route under load: requests per second and latency.
 *
 * @example
 * ```ts
 * const r: RouteLoad = { rps: 850, p50_ms: 70, p99_ms: 120, errors: 0 };
 * ```
 */
export interface RouteLoad {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

function routeLoad(r: HttpLoadResult): RouteLoad {
  return {
    rps: r.rps,
    p50_ms: r.p50Ms,
    p99_ms: r.p99Ms,
    errors: r.errors + r.non2xx,
  };
}

/**
 * The leaderboard figure: `/`, `/api/runs/:id` and the hello-world route
 * at `connections` connections for `durationS` each (after a one-second
 * warm-up), and each page's rate divided by hello's.
 *
 * @example
 * ```ts
 * import type { BenchClient } from "./api.ts";
 * declare const api: BenchClient;
 * declare const runId: string;
 * const f = await measureLeaderboard(api, runId, 5);
 * f.ratio_board; // 0.4
 * ```
 */
export async function measureLeaderboard(
  api: BenchClient,
  runId: string,
  durationS: number,
  connections = 64,
) {
  // Requests still in flight when autocannon stops keep the server busy:
  // one more request, answered after them, waits them out.
  const drain = async (url: string) => {
    const res = await fetch(url, { headers: api.headers });
    await res.body?.cancel();
  };
  // As a browser asks: every route may answer compressed (only the kept
  // board does).
  const headers = { ...api.headers, "accept-encoding": "gzip, deflate, br" };
  const load = async (path: string) => {
    const url = `${api.url}${path}`;
    await httpLoad({ url, connections, durationS: 1, headers });
    await drain(url);
    const result = await httpLoad({ url, connections, durationS, headers });
    await drain(url);
    return routeLoad(result);
  };
  const hello = await load(HELLO_PATH);
  const board = await load("/");
  const report = await load(`/api/runs/${runId}`);
  return {
    ratio_board: board.rps / hello.rps,
    ratio_run_api: report.rps / hello.rps,
    hello,
    board,
    run_api: report,
    connections,
    duration_s: durationS,
  };
}

/**
 * One harness run and its figures: wall time, the server's CPU per case,
 * and how the run ended.
 *
 * @example
 * ```ts
 * const h: HarnessRun = { wall_s: 61.2, cpu_ms_per_case: 4.1, cases: 200, status: "done" };
 * ```
 */
export interface HarnessRun {
  wall_s: number;
  cpu_ms_per_case: number;
  cases: number;
  status: string;
}

/**
 * Runs `suiteId` on `targetId` through `POST /api/runs` until it ends,
 * `concurrency` cases in flight (default {@link BENCH_CONCURRENCY}),
 * reading the server's CPU time before and after.
 *
 * @example
 * ```ts
 * import type { BenchClient } from "./api.ts";
 * import type { BenchServer } from "./proc.ts";
 * declare const api: BenchClient;
 * declare const server: BenchServer;
 * declare const suiteId: string;
 * declare const targetId: string;
 * const h = await harnessRun(api, server.pid, suiteId, targetId, 200);
 * ```
 */
export async function harnessRun(
  api: BenchClient,
  pid: number,
  suiteId: string,
  targetId: string,
  cases: number,
  concurrency: number = BENCH_CONCURRENCY,
): Promise<HarnessRun> {
  const cpuBefore = await cpuMs(pid);
  const { run, wallMs } = await api.runToEnd({
    suite_id: suiteId,
    target_id: targetId,
    options: { ...BENCH_PARAMS, concurrency },
  });
  const cpu = await cpuMs(pid) - cpuBefore;
  return {
    wall_s: wallMs / 1000,
    cpu_ms_per_case: cpu / cases,
    cases,
    status: run.status as string,
  };
}

/**
 * The bare load generator on the same cases, at the same concurrency
 * (`concurrency`, default {@link BENCH_CONCURRENCY}).
 *
 * @example
 * ```ts
 * import type { BenchCase } from "./cases.ts";
 * declare const cases: BenchCase[];
 * declare const llama: { url: string };
 * const s = await generatorRun(llama.url, cases); // 57.9
 * ```
 */
export async function generatorRun(
  engineUrl: string,
  cases: readonly BenchCase[],
  concurrency: number = BENCH_CONCURRENCY,
): Promise<{ wall_s: number; statuses: Record<string, number> }> {
  const { wallMs, statuses } = await runLoadGenerator({
    url: engineUrl,
    cases,
    concurrency,
    params: BENCH_PARAMS,
  });
  return { wall_s: wallMs / 1000, statuses };
}
