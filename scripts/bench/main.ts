/**
 * `deno task bench [--quick] [--postgres] [--json FILE] [--cases N]
 * [--alternations N] [--keep-logs]`: how much the harness costs beyond the
 * engine (issue 9). It starts what it needs — the local llama-server (tiny
 * model, `-np 4 -t 1`, 8192 tokens a slot: `-c 32768`), an instant stub
 * engine, and the server (`scripts/bench/server.ts`) on a fresh embedded
 * database, or a throwaway PostgreSQL cluster with `--postgres` — and
 * measures, in this order:
 *
 * 1. `validation`: every schema compiled and checked in this process.
 * 2. `leaderboard_rps_ratio`: after seeding 100 runs with 100,000 results,
 *    `/` and `/api/runs/:id` against a hello-world route, 64 connections.
 * 3. `ingest_s`: the ten subsets through `POST /api/suites/import`.
 * 4. `harness_floor_s`: 500 cases on the stub engine (cold, then warm).
 * 5. `gpu_shaped_ratio`: 500 cases on the GPU-shaped stub (64 slots, 200 ms
 *    a request), harness against the bare load generator at 64 in flight,
 *    cold (fresh server) and warm, alternating (`./gpu_shaped.ts`).
 * 6. `harness_overhead_ratio`: N cases on llama-server through the API
 *    against the bare load generator, cold (fresh server) and warm,
 *    alternating; medians with min and max, and the server's CPU per case.
 * 7. `rss_mb`: a fresh server's memory idle, then over a run of the fixed
 *    cases repeated to 10,000 on the stub engine (`./memory.ts`).
 * 8. `scale_out`: 1, 2 and 4 `deno task worker` processes on a throwaway
 *    PostgreSQL cluster (whichever database the rest used), 16 requests in
 *    flight each, on the GPU-shaped stub (`./scale_out.ts`).
 *
 * `--quick`: 50 cases, one alternation, 500 schemas, 10,000 seeded
 * results, a 500-case memory run, 3-second loads, 200 GPU-shaped cases,
 * 300 scale-out cases.
 *
 * @example
 * ```sh
 * deno task bench --json bench.json
 * deno task bench --quick
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
import {
  generatorRun,
  harnessRun,
  measureIngest,
  measureLeaderboard,
} from "./figures.ts";
import { measureMemory, MEMORY_CASES, repeatCases } from "./memory.ts";
import { measureScaleOut } from "./scale_out.ts";
import { BENCH_TOKEN, type BenchServer, startBenchServer } from "./proc.ts";
import { type BenchResults, benchTable, spread } from "./report.ts";
import { GPU_SHAPE, measureGpuShaped } from "./gpu_shaped.ts";
import { seedHistory } from "./seed.ts";
import { measureValidation } from "./validation.ts";
import { ProcessGroup } from "../chaos/proc.ts";
import {
  llamaServerPaths,
  startLlamaServer,
} from "../../evaluators/targets/testing/llama_server.ts";
import {
  type Cluster,
  findPostgresBin,
  startCluster,
} from "../dev/pg_cluster.ts";
import { startStubEngine } from "../../evaluators/targets/testing/stub_engine.ts";
import { exitOnHelp } from "../../server/cli_help.ts";

/** The llama-server's slots and per-slot context (`-np 4 -c 32768`). */
const SLOTS = 4;
const CTX_PER_SLOT = 8192;
const FLOOR_CASES = 500;

exitOnHelp(
  `usage: deno task bench [--quick] [--postgres] [--json FILE] [--cases N]
  [--alternations N] [--keep-logs]

The performance benchmark: harness overhead against a bare load generator, the
floor on an instant stub engine, validation, ingest, leaderboard load, memory.`,
);

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    postgres: { type: "boolean", default: false },
    json: { type: "string" },
    cases: { type: "string" },
    alternations: { type: "string" },
    "keep-logs": { type: "boolean", default: false },
  },
});
const quick = values.quick;
const cases = Number(values.cases ?? (quick ? 50 : 200));
const alternations = Number(values.alternations ?? (quick ? 1 : 3));
if (![cases, alternations].every((n) => Number.isInteger(n) && n > 0)) {
  console.error("--cases and --alternations must be whole numbers above 0");
  Deno.exit(2);
}
const validationSchemas = quick ? 500 : Infinity;
const seededResults = quick ? 10_000 : 100_000;
const memoryCases = quick ? 500 : MEMORY_CASES;
const scaleOutCases = quick ? 300 : 2000;
const loadSeconds = quick ? 3 : 10;
const gpuCases = quick ? 200 : FLOOR_CASES;

const log = (message: string) =>
  console.error(`${new Date().toISOString().slice(11, 19)} bench: ${message}`);

async function ensureLlama(): Promise<void> {
  if (await llamaServerPaths()) return;
  log("llama-server is not set up: running scripts/dev/setup_llama_server.sh");
  const repo = decodeURIComponent(new URL("../../", import.meta.url).pathname);
  const setup = await new Deno.Command("bash", {
    args: [`${repo}scripts/dev/setup_llama_server.sh`],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!setup.success) throw new Error("the llama-server setup failed");
}

const benchStarted = performance.now();
const logDir = await Deno.makeTempDir({ prefix: "bench-logs-" });
const group = new ProcessGroup(logDir);
const cleanups: (() => Promise<void>)[] = [];
let failed = false;
try {
  const dir = benchDatasetDir();
  const all = await readBenchCases(dir);
  log(`${all.length} schemas from ${dir}`);

  // 1. Validation, alone on the machine.
  const forValidation = Number.isFinite(validationSchemas)
    ? Array.from(
      { length: validationSchemas },
      (_, i) => all[Math.floor(i * all.length / validationSchemas)],
    )
    : all;
  log(`validation: ${forValidation.length} schemas`);
  const validation = await measureValidation(
    forValidation.map((c) => c.schema),
  );

  // The database: PGlite in a temporary folder, or a throwaway cluster.
  let place: { dataDir?: string; databaseUrl?: string };
  if (values.postgres) {
    const bin = await findPostgresBin();
    if (!bin) throw new Error("--postgres: PostgreSQL is not installed");
    const cluster: Cluster = await startCluster(bin);
    cleanups.push(() => cluster.stop());
    place = { databaseUrl: cluster.url };
  } else {
    const dataDir = await Deno.makeTempDir({ prefix: "bench-db-" });
    cleanups.push(() => Deno.remove(dataDir, { recursive: true }));
    place = { dataDir };
  }
  log(`seeding ${seededResults} results`);
  const seeded = await seedHistory(place, seededResults);

  await ensureLlama();
  const llama = await startLlamaServer({
    slots: SLOTS,
    ctxPerSlot: CTX_PER_SLOT,
    threads: 1,
  });
  cleanups.push(() => llama.stop());
  const stub = await startStubEngine({ slots: SLOTS });
  cleanups.push(() => stub.stop());
  const gpuStub = await startStubEngine(GPU_SHAPE);
  cleanups.push(() => gpuStub.stop());
  log(`llama-server ${llama.buildInfo} at ${llama.url}; stub at ${stub.url}`);

  const start = () => startBenchServer(group, place);
  let server: BenchServer = await start();
  let api = new BenchClient(server.url, BENCH_TOKEN);

  // 2. Leaderboard under load.
  log(`leaderboard: ${loadSeconds} s a route at 64 connections`);
  const board = await measureLeaderboard(api, seeded.runId, loadSeconds);

  // 3. Ingest.
  log("ingest: ten subsets through the import API");
  const ingest = await measureIngest(api, dir);

  const llamaTarget = await api.target("bench-llama", llama.url);
  const stubTarget = await api.target("bench-stub", stub.url);
  const gpuTarget = await api.target("bench-gpu-stub", gpuStub.url);
  const makeSuite = async (name: string, picked: BenchCase[]) =>
    (await api.post("/api/suites", suiteBody(name, picked))).id as string;
  const sample = sampleCases(all, cases);
  const sampleSuite = await makeSuite(`bench/sample-${cases}`, sample);
  const floorCases = sampleCases(all, FLOOR_CASES);
  const floorSuite = await makeSuite(`bench/floor-${FLOOR_CASES}`, floorCases);
  const gpuPicked = sampleCases(all, gpuCases);
  const gpuSuite = await makeSuite(`bench/gpu-${gpuCases}`, gpuPicked);
  // The fixed cases (every usable one), repeated from the start.
  const memoryPicked = repeatCases(sampleCases(all, Infinity), memoryCases);
  const memorySuite = await makeSuite(
    `bench/memory-${memoryPicked.length}`,
    memoryPicked,
  );

  // 4. The floor: the same harness on an engine that answers at once.
  log(`floor: ${floorCases.length} cases on the stub engine`);
  const floorGenerator = await generatorRun(stub.url, floorCases);
  const floorCold = await harnessRun(
    api,
    server.pid,
    floorSuite,
    stubTarget,
    floorCases.length,
  );
  const floorWarm = await harnessRun(
    api,
    server.pid,
    floorSuite,
    stubTarget,
    floorCases.length,
  );
  await server.stop();

  // 5. The GPU-shaped engine: does the harness keep 64 slots busy?
  log(`gpu-shaped: ${gpuPicked.length} cases, ${GPU_SHAPE.slots} slots`);
  const gpu = await measureGpuShaped({
    start,
    engineUrl: gpuStub.url,
    suiteId: gpuSuite,
    targetId: gpuTarget,
    cases: gpuPicked,
    alternations,
    log,
  });

  // 6. Overhead: cold (fresh server) and warm, each beside a generator run.
  const ratios = { cold: [] as number[], warm: [] as number[] };
  const walls = { cold: [] as number[], warm: [] as number[] };
  const cpu = { cold: [] as number[], warm: [] as number[] };
  const generator: number[] = [];
  for (let a = 1; a <= alternations; a++) {
    server = await start();
    api = new BenchClient(server.url, BENCH_TOKEN);
    for (const side of ["cold", "warm"] as const) {
      log(`overhead ${a}/${alternations} ${side}: generator, then harness`);
      const bare = await generatorRun(llama.url, sample);
      const run = await harnessRun(
        api,
        server.pid,
        sampleSuite,
        llamaTarget,
        sample.length,
      );
      if (run.status !== "done") throw new Error(`a run ended ${run.status}`);
      generator.push(bare.wall_s);
      ratios[side].push(run.wall_s / bare.wall_s);
      walls[side].push(run.wall_s);
      cpu[side].push(run.cpu_ms_per_case);
      log(
        `  generator ${bare.wall_s.toFixed(1)} s ${
          JSON.stringify(bare.statuses)
        }, harness ${run.wall_s.toFixed(1)} s`,
      );
    }
    await server.stop();
  }

  // 7. Memory over a long run, in a fresh server.
  log(`memory: ${memoryPicked.length} cases on the stub engine`);
  server = await start();
  api = new BenchClient(server.url, BENCH_TOKEN);
  const memory = await measureMemory(api, server.pid, memorySuite, stubTarget);
  await server.stop();

  // 8. Scale-out, on PostgreSQL whatever the rest ran on.
  log(`scale-out: ${scaleOutCases} cases, 1, 2 and 4 workers`);
  const pgBin = await findPostgresBin();
  if (!pgBin) throw new Error("scale_out needs PostgreSQL, not installed");
  const scaleCluster = await startCluster(pgBin);
  cleanups.push(() => scaleCluster.stop());
  const scaleOut = await measureScaleOut({
    group,
    databaseUrl: scaleCluster.url,
    cases: all,
    caseCount: scaleOutCases,
    log,
  });

  const results: BenchResults = {
    harness_overhead_ratio: {
      cold: spread(ratios.cold),
      warm: spread(ratios.warm),
      harness_cold_s: spread(walls.cold),
      harness_warm_s: spread(walls.warm),
      generator_s: spread(generator),
      cpu_ms_per_case_cold: spread(cpu.cold),
      cpu_ms_per_case_warm: spread(cpu.warm),
      cases: sample.length,
      alternations,
    },
    harness_floor_s: {
      cold: floorCold.wall_s,
      warm: floorWarm.wall_s,
      generator_s: floorGenerator.wall_s,
      cpu_ms_per_case_cold: floorCold.cpu_ms_per_case,
      cpu_ms_per_case_warm: floorWarm.cpu_ms_per_case,
      cases: floorCases.length,
    },
    gpu_shaped_ratio: gpu,
    validation,
    ingest_s: ingest,
    leaderboard_rps_ratio: {
      board: board.ratio_board,
      run_api: board.ratio_run_api,
      hello_load: board.hello,
      board_load: board.board,
      run_api_load: board.run_api,
      connections: board.connections,
      duration_s: board.duration_s,
      seeded_runs: seeded.runs,
      seeded_results: seeded.results,
    },
    rss_mb: memory,
    scale_out: scaleOut,
    setup: {
      quick,
      database: values.postgres ? "postgresql" : "pglite",
      engine: `llama.cpp ${llama.buildInfo}, tiny model, -np ${SLOTS} -t 1 -c ${
        SLOTS * CTX_PER_SLOT
      }`,
      max_tokens: 256,
      concurrency: SLOTS,
      cores: navigator.hardwareConcurrency,
      wall_s: Math.round((performance.now() - benchStarted) / 1000),
    },
  };
  console.log(benchTable(results));
  console.log(`bench took ${results.setup.wall_s} s`);
  if (values.json) {
    await Deno.writeTextFile(values.json, JSON.stringify(results, null, 2));
    log(`figures written to ${values.json}`);
  }
} catch (error) {
  failed = true;
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
} finally {
  await group.stopAll(15_000);
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  if (failed || values["keep-logs"]) log(`logs kept in ${logDir}`);
  else await Deno.remove(logDir, { recursive: true }).catch(() => {});
}
Deno.exit(failed ? 1 : 0);
