/**
 * `deno task chaos [--cases N] [--scenarios a,b]`: fault scenarios for the
 * queue. Each scenario gets a fresh database, a server process
 * (`server/main.ts`) and worker processes (`server/worker_main.ts`) as it
 * needs, posts a synthetic suite of N short bounded cases through the HTTP
 * API, breaks something mid-run, and checks from the database that every
 * case ended with exactly one outcome.
 *
 * Scenarios: `worker-kill` (kill -9 one of two workers), `flush-kill`
 * (kill -9 a worker while its batched result write is half done), `worker-pause`
 * (SIGSTOP a worker until another has taken its cases, then SIGCONT: its
 * late writes must be rejected), `claim-freeze` (SIGSTOP a worker inside a
 * database transaction: the others must go on), `server-kill` (kill -9 the server and its
 * in-process worker, start it again),
 * `concurrency-cap` (two workers through a counting proxy: never more
 * requests in flight than the engine has slots), `cancel` (nothing changes
 * after the cancel returns), `postgres-restart` (the database goes away for
 * two seconds; nobody is restarted) and `throughput` (1, 2 and 4 workers).
 *
 * It starts a throwaway PostgreSQL cluster and a 4-slot llama-server on free
 * ports, unless `DATABASE_URL` (a server where it may create databases) and
 * `LLAMA_URL` are given; with `DATABASE_URL`, `postgres-restart` is skipped.
 * It prints one line per scenario and a summary, stops everything it
 * started, and exits 1 when a scenario failed (2 on bad arguments). The
 * processes' logs stay in a temporary folder, named on stderr, when
 * something failed (or with `--keep-logs`); `--verbose` prints each step on
 * stderr.
 *
 * Every figure comes from the database: results with an outcome, cases
 * with more than one row, cases without an outcome, rows claimed more than
 * once (`re-run`), and, from an audit trigger installed in each scenario's
 * database, outcomes written over (`overwrites`, which must be 0).
 *
 * This file reads the arguments, starts PostgreSQL and llama-server, and
 * runs the scenarios one after the other. Each scenario is a file of
 * `scenarios/`, built from `harness.ts` (processes, runs, the steps most
 * scenarios begin and end with), `faults.ts` (whom to break, and when),
 * `api.ts`, `pg.ts` and `pg_figures.ts`, and judged by `verdict.ts`.
 *
 * @example
 * ```sh
 * deno task chaos
 * deno task chaos --cases 100 --scenarios worker-kill,cancel
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import {
  type Cluster,
  findPostgresBin,
  startCluster,
} from "../dev/pg_cluster.ts";
import {
  type LlamaServer,
  startLlamaServer,
} from "../../evaluators/targets/testing/llama_server.ts";
import {
  type Context,
  note,
  type ScenarioDb,
  seconds,
  setVerbose,
  STOP_GRACE_MS,
} from "./context.ts";
import { freshDatabase } from "./harness.ts";
import { type ClusterPlace, dropDatabase } from "./pg.ts";
import { ProcessGroup } from "./proc.ts";
import { formatLine, type ScenarioOutcome } from "./verdict.ts";
import { cancel } from "./scenarios/cancel.ts";
import { claimFreeze } from "./scenarios/claim_freeze.ts";
import { concurrencyCap } from "./scenarios/concurrency_cap.ts";
import { flushKill } from "./scenarios/flush_kill.ts";
import { postgresRestart } from "./scenarios/postgres_restart.ts";
import { serverKill } from "./scenarios/server_kill.ts";
import { throughput } from "./scenarios/throughput.ts";
import { workerKill } from "./scenarios/worker_kill.ts";
import { workerPause } from "./scenarios/worker_pause.ts";

/**
 * Every scenario, in the order they run.
 *
 * @example
 * ```ts
 * SCENARIOS.includes("cancel"); // true
 * ```
 */
export const SCENARIOS = [
  "worker-kill",
  "flush-kill",
  "worker-pause",
  "claim-freeze",
  "server-kill",
  "concurrency-cap",
  "cancel",
  "postgres-restart",
  "throughput",
] as const;

/**
 * A scenario's name.
 *
 * @example
 * ```ts
 * const name: ScenarioName = "worker-kill";
 * ```
 */
export type ScenarioName = (typeof SCENARIOS)[number];

const RUNNERS: Record<
  ScenarioName,
  (ctx: Context, db: ScenarioDb) => Promise<ScenarioOutcome>
> = {
  "worker-kill": workerKill,
  "flush-kill": flushKill,
  "worker-pause": workerPause,
  "claim-freeze": claimFreeze,
  "server-kill": serverKill,
  "concurrency-cap": concurrencyCap,
  cancel,
  "postgres-restart": postgresRestart,
  throughput,
};

async function runScenario(
  ctx: Context,
  name: ScenarioName,
): Promise<ScenarioOutcome> {
  if (name === "postgres-restart" && !ctx.cluster) {
    return {
      name,
      expected: 0,
      stored: 0,
      duplicates: 0,
      lost: 0,
      extras: [],
      problems: [],
      skipped: "DATABASE_URL is given: not a cluster of ours to restart",
    };
  }
  let db: ScenarioDb | undefined;
  try {
    db = await freshDatabase(ctx, name);
    return await RUNNERS[name](ctx, db);
  } catch (error) {
    console.error(`${name}: ${(error as Error).stack ?? error}`);
    return {
      name,
      expected: ctx.cases,
      stored: 0,
      duplicates: 0,
      lost: 0,
      extras: [],
      problems: [`error: ${(error as Error).message.split("\n")[0]}`],
    };
  } finally {
    await ctx.group.stopAll(STOP_GRACE_MS);
    note("processes stopped");
    if (db) await dropDatabase(ctx.adminUrl, db.name).catch(() => {});
  }
}

function usage(message?: string, code = 2): never {
  if (message) console.error(message);
  (code === 0 ? console.log : console.error)(
    `usage: deno task chaos [--cases N] [--scenarios ${
      SCENARIOS.join(",")
    }] [--verbose] [--keep-logs]`,
  );
  Deno.exit(code);
}

function parseCli(
  args: string[],
): { cases: number; scenarios: ScenarioName[]; keepLogs: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        cases: { type: "string" },
        scenarios: { type: "string" },
        verbose: { type: "boolean", short: "v" },
        "keep-logs": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    usage((error as Error).message);
  }
  if (parsed.values.help) usage(undefined, 0);
  setVerbose(parsed.values.verbose ?? false);
  const cases = Number(parsed.values.cases ?? 300);
  if (!Number.isInteger(cases) || cases < 3 || cases > 20000) {
    usage(
      `--cases: a whole number from 3 to 20000, got ${parsed.values.cases}`,
    );
  }
  const names = parsed.values.scenarios
    ? parsed.values.scenarios.split(",").map((s) => s.trim()).filter(Boolean)
    : [...SCENARIOS];
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      usage(`--scenarios: unknown scenario ${name}`);
    }
  }
  return {
    cases,
    scenarios: names as ScenarioName[],
    keepLogs: parsed.values["keep-logs"] ?? false,
  };
}

async function engineSlots(url: string): Promise<number> {
  const response = await fetch(`${url}/props`, {
    signal: AbortSignal.timeout(10_000),
  });
  const props = await response.json() as { total_slots?: unknown };
  const slots = Number(props.total_slots);
  if (!response.ok || !Number.isInteger(slots) || slots < 1) {
    throw new Error(`${url}/props gives no slot count`);
  }
  return slots;
}

async function main(): Promise<number> {
  const { cases, scenarios, keepLogs } = parseCli(Deno.args);
  const started = Date.now();
  const logDir = await Deno.makeTempDir({ prefix: "chaos-logs-" });
  const group = new ProcessGroup(logDir);
  let cluster: Cluster | undefined;
  let llama: LlamaServer | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    stopping ??= (async () => {
      await group.stopAll(STOP_GRACE_MS).catch(() => {});
      await llama?.stop().catch(() => {});
      await cluster?.stop().catch(() => {});
    })();
  const onSignal = () => {
    group.killAll();
    stopAll().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  globalThis.addEventListener("unload", () => group.killAll());
  let failed = 0;
  let passed = 0;
  let skipped = 0;
  try {
    const givenDb = Deno.env.get("DATABASE_URL")?.trim();
    const givenLlama = Deno.env.get("LLAMA_URL")?.trim()?.replace(/\/$/, "");
    let place: ClusterPlace | null = null;
    let adminUrl: string;
    if (givenDb) {
      adminUrl = givenDb;
    } else {
      const binDir = await findPostgresBin();
      if (!binDir) {
        throw new Error(
          "PostgreSQL is not installed and DATABASE_URL is not set",
        );
      }
      cluster = await startCluster(binDir);
      adminUrl = cluster.url;
      place = { binDir, dir: cluster.dir, port: cluster.port };
    }
    let llamaUrl: string;
    if (givenLlama) {
      llamaUrl = givenLlama;
    } else {
      llama = await startLlamaServer({ slots: 4, ctxPerSlot: 2048 });
      llamaUrl = llama.url;
    }
    const slots = await engineSlots(llamaUrl);
    console.error(
      `chaos: ${cases} cases, PostgreSQL ${
        givenDb ? "from DATABASE_URL" : "throwaway cluster"
      }, llama-server ${
        givenLlama ? "from LLAMA_URL" : "started here"
      } (${slots} slots), logs in ${logDir}`,
    );
    const ctx: Context = {
      adminUrl,
      llamaUrl,
      slots,
      cluster: place,
      cases,
      group,
      tag: `${Deno.pid}`,
    };
    for (const name of scenarios) {
      const scenarioStarted = Date.now();
      const outcome = await runScenario(ctx, name);
      console.log(formatLine(outcome));
      console.error(`  (${name}: ${seconds(Date.now() - scenarioStarted)})`);
      if (outcome.skipped) skipped++;
      else if (outcome.problems.length) failed++;
      else passed++;
    }
  } catch (error) {
    console.error(`chaos: ${(error as Error).message}`);
    failed++;
  } finally {
    await stopAll();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  console.log(
    `chaos: ${passed} passed, ${failed} failed, ${skipped} skipped, ${cases} cases a run, ${
      seconds(Date.now() - started)
    } in all — ${failed ? "FAIL" : "PASS"}`,
  );
  if (failed || keepLogs) {
    console.error(`chaos: the processes' logs are in ${logDir}`);
  } else {
    await Deno.remove(logDir, { recursive: true }).catch(() => {});
  }
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
