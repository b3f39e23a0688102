/**
 * `deno task chaos [--cases N] [--scenarios a,b]`: fault scenarios for the
 * queue. Each scenario gets a fresh database, a server process
 * (`server/main.ts`) and worker processes (`server/worker_main.ts`) as it
 * needs, posts a synthetic suite of N short bounded cases through the HTTP
 * API, breaks something mid-run, and checks from the database that every
 * case ended with exactly one outcome.
 *
 * Scenarios: `worker-kill` (kill -9 one of two workers), `worker-pause`
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
 * @example
 * ```sh
 * deno task chaos
 * deno task chaos --cases 100 --scenarios worker-kill,cancel
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import {
  type Cluster,
  findPostgresBin,
  startCluster,
} from "../dev/pg_cluster.ts";
import { type LlamaServer, startLlamaServer } from "../dev/llama_server.ts";
import { type ChildProc, ProcessGroup } from "./proc.ts";
import { startCountingProxy } from "./proxy.ts";
import {
  type ClusterPlace,
  createDatabase,
  dropDatabase,
  installAudit,
  leaseHolders,
  lockWaiters,
  restartPostgres,
  rowsHeldBy,
  type RunFigures,
  runFigures,
  runProgress,
  sessionState,
  snapshotResults,
  writesByWriter,
} from "./pg.ts";
import { ADMIN_HEADERS, TEST_ADMIN_TOKEN } from "../../server/testing/api.ts";

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

/** How long a worker holds a claim without renewal: a dead worker's cases come back after it. */
const LEASE_MS = 3000;
/** The longest a run may take before its scenario fails. */
const RUN_TIMEOUT_MS = 120_000;
/**
 * How long a process may take to exit after SIGTERM before it is killed.
 * Every run is over by then, so nothing is lost by killing it.
 */
const STOP_GRACE_MS = 2000;
/** The longest a process may take to start. */
const START_TIMEOUT_MS = 60_000;

/** What every scenario is given. */
interface Context {
  adminUrl: string;
  llamaUrl: string;
  slots: number;
  cluster: ClusterPlace | null;
  cases: number;
  group: ProcessGroup;
  tag: string;
}

/**
 * One scenario's verdict: the four counts every line shows, the extra
 * figures, and what went wrong (empty: PASS).
 *
 * @example
 * ```ts
 * const outcome: ScenarioOutcome = { name: "cancel", expected: 300, stored: 300, duplicates: 0, lost: 0, extras: [], problems: [] };
 * formatLine(outcome); // "cancel: cases expected 300, results stored 300, duplicates 0, lost 0 — PASS"
 * ```
 */
export interface ScenarioOutcome {
  name: string;
  expected: number;
  stored: number;
  duplicates: number;
  lost: number;
  extras: string[];
  problems: string[];
  /** Set when the scenario could not run here (neither PASS nor FAIL). */
  skipped?: string;
}

/**
 * The one line printed for a scenario.
 *
 * @example
 * ```ts
 * formatLine({ name: "x", expected: 3, stored: 3, duplicates: 0, lost: 0, extras: ["re-run 1"], problems: [] });
 * // "x: cases expected 3, results stored 3, duplicates 0, lost 0, re-run 1 — PASS"
 * ```
 */
export function formatLine(outcome: ScenarioOutcome): string {
  if (outcome.skipped) {
    return `${outcome.name}: not run (${outcome.skipped}) — SKIP`;
  }
  const parts = [
    `cases expected ${outcome.expected}`,
    `results stored ${outcome.stored}`,
    `duplicates ${outcome.duplicates}`,
    `lost ${outcome.lost}`,
    ...outcome.extras,
  ];
  const verdict = outcome.problems.length
    ? `FAIL (${outcome.problems.join("; ")})`
    : "PASS";
  return `${outcome.name}: ${parts.join(", ")} — ${verdict}`;
}

/**
 * The synthetic suite: `cases` short cases with a bounded answer (an enum
 * letter and an enum number), each with its own key, title and prompt.
 *
 * @example
 * ```ts
 * chaosSuite(2).cases[1].key; // "chaos-00002"
 * ```
 */
export function chaosSuite(cases: number): {
  name: string;
  description: string;
  cases: { key: string; prompt: string; schema: Record<string, unknown> }[];
} {
  return {
    name: "chaos",
    description: "scripts/chaos/main.ts: short bounded cases",
    cases: Array.from({ length: cases }, (_, i) => {
      const n = String(i + 1).padStart(5, "0");
      return {
        key: `chaos-${n}`,
        prompt: `Case ${n}: answer with a letter c and a number n.`,
        schema: {
          title: `chaos case ${n}`,
          type: "object",
          properties: {
            c: { enum: ["a", "b", "c"] },
            n: { type: "integer", enum: [1, 2, 3] },
          },
          required: ["c", "n"],
          additionalProperties: false,
        },
      };
    }),
  };
}

let verbose = false;
const startedAt = Date.now();

/** With --verbose: a timestamped step on stderr. */
function note(message: string): void {
  if (verbose) {
    console.error(`  [${seconds(Date.now() - startedAt)}] ${message}`);
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The servers' bootstrap admin token: the harness creates and reads runs. */
const CHAOS_TOKEN = TEST_ADMIN_TOKEN;

async function api<T>(
  base: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined
      ? { authorization: `Bearer ${CHAOS_TOKEN}` }
      : { ...ADMIN_HEADERS, authorization: `Bearer ${CHAOS_TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  }
  return JSON.parse(text) as T;
}

/** A fresh database for one scenario: created, and dropped at the end. */
interface ScenarioDb {
  url: string;
  name: string;
}

async function freshDatabase(ctx: Context, scenario: string) {
  const name = `chaos_${scenario.replace(/-/g, "_")}_${ctx.tag}`;
  return { name, url: await createDatabase(ctx.adminUrl, name) };
}

/** A server process; resolves once it listens (and has applied the migrations). */
async function startServer(
  ctx: Context,
  db: ScenarioDb,
  options: { runWorker: boolean; port?: number; workerId?: string },
): Promise<{ proc: ChildProc; base: string; port: number }> {
  const port = options.port ?? freePort();
  const proc = ctx.group.spawn(
    options.workerId ?? "server",
    ["run", "-A", "server/main.ts"],
    {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: db.url,
      RUN_WORKER: String(options.runWorker),
      LOAD_BUILTIN_SUITES: "false",
      ADMIN_TOKEN: CHAOS_TOKEN,
      WRITE_RATE_PER_MINUTE: "1000000",
      MAX_RUNS_IN_FLIGHT_PER_TOKEN: "1000",
      WORKER_LEASE_MS: String(LEASE_MS),
      ...(options.workerId ? { WORKER_ID: options.workerId } : {}),
    },
  );
  const t = Date.now();
  await proc.waitForLine(/listening on/, START_TIMEOUT_MS);
  note(`${proc.name} listening on ${port} after ${seconds(Date.now() - t)}`);
  return { proc, base: `http://127.0.0.1:${port}`, port };
}

/** A worker process; resolves once its loop has started. */
async function startWorker(
  ctx: Context,
  db: ScenarioDb,
  workerId: string,
): Promise<ChildProc> {
  const proc = ctx.group.spawn(
    workerId,
    ["run", "-A", "server/worker_main.ts"],
    {
      DATABASE_URL: db.url,
      WORKER_ID: workerId,
      WORKER_LEASE_MS: String(LEASE_MS),
    },
  );
  const t = Date.now();
  await proc.waitForLine(/^worker .* started/, START_TIMEOUT_MS);
  note(`${workerId} started after ${seconds(Date.now() - t)}`);
  return proc;
}

/** Posts the suite and a llama.cpp target (at `baseUrl`); returns their ids. */
async function setupSuite(
  ctx: Context,
  base: string,
  baseUrl: string,
): Promise<{ suiteId: string; targetId: string }> {
  const suite = await api<{ id: string }>(
    base,
    "POST",
    "/api/suites",
    chaosSuite(ctx.cases),
  );
  const target = await api<{ id: string }>(base, "POST", "/api/targets", {
    name: "chaos llama",
    kind: "llamacpp",
    base_url: baseUrl,
    mode: "json_schema",
    params: { max_tokens: 64 },
  });
  return { suiteId: suite.id, targetId: target.id };
}

async function createRun(
  base: string,
  ids: { suiteId: string; targetId: string },
): Promise<{ id: string; caseCount: number }> {
  const run = await api<{ id: string; case_count: number }>(
    base,
    "POST",
    "/api/runs",
    { suite_id: ids.suiteId, target_id: ids.targetId },
  );
  note(`run ${run.id} created with ${run.case_count} cases`);
  return { id: run.id, caseCount: run.case_count };
}

/**
 * Polls the database until `until` holds for the run's progress, or
 * `timeoutMs` passes (then the last progress, with `timedOut`). Database
 * errors (a restart) are waited out.
 */
async function waitRun(
  db: ScenarioDb,
  runId: string,
  until: (p: { stored: number; finished: boolean }) => boolean,
  timeoutMs = RUN_TIMEOUT_MS,
  everyMs = 100,
): Promise<{ stored: number; finished: boolean; timedOut: boolean }> {
  const sql = postgres(db.url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 5,
  });
  const deadline = Date.now() + timeoutMs;
  let last = { stored: 0, finished: false };
  try {
    while (Date.now() < deadline) {
      try {
        last = await runProgress(sql, runId);
        if (until(last)) {
          note(
            `run at ${last.stored} done${last.finished ? ", finished" : ""}`,
          );
          return { ...last, timedOut: false };
        }
      } catch { /* the database is restarting: try again */ }
      await sleep(everyMs);
    }
    return { ...last, timedOut: true };
  } finally {
    await sql.end({ timeout: 2 }).catch(() => {});
  }
}

/** Checks every scenario shares: the run ended with `status`, one outcome per case. */
function judge(
  figures: RunFigures,
  caseCount: number,
  status: string,
): string[] {
  const problems: string[] = [];
  if (figures.expected !== caseCount) {
    problems.push(
      `the run has ${caseCount} cases, the suite ${figures.expected}`,
    );
  }
  if (figures.status !== status) {
    problems.push(`status ${figures.status}, expected ${status}`);
  }
  if (!figures.finished) problems.push("the run has no finish time");
  if (figures.stored !== figures.expected) {
    problems.push(`${figures.stored} results for ${figures.expected} cases`);
  }
  if (figures.duplicates) {
    problems.push(`${figures.duplicates} duplicated cases`);
  }
  if (figures.lost) problems.push(`${figures.lost} cases without an outcome`);
  if (figures.overwrites) {
    problems.push(`${figures.overwrites} stored outcomes changed afterwards`);
  }
  if (figures.writes !== figures.stored) {
    problems.push(
      `${figures.writes} outcome writes for ${figures.stored} results`,
    );
  }
  return problems;
}

function outcomeOf(
  name: string,
  figures: RunFigures,
  extras: string[],
  problems: string[],
): ScenarioOutcome {
  return {
    name,
    expected: figures.expected,
    stored: figures.stored,
    duplicates: figures.duplicates,
    lost: figures.lost,
    extras,
    problems,
  };
}

function alive(procs: ChildProc[]): string[] {
  return procs.filter((p) => p.status).map((p) =>
    `${p.name} exited (code ${p.status!.code}${
      p.status!.signal ? `, ${p.status!.signal}` : ""
    }; log ${p.logPath})`
  );
}

/**
 * The one of `names` holding the most leases on the run, once one holds
 * two or more (polled for up to three seconds; then the busiest so far, or
 * the first name).
 */
async function busiest(
  db: ScenarioDb,
  runId: string,
  names: string[],
): Promise<string> {
  const deadline = Date.now() + 3000;
  let best = { name: names[0], n: 0 };
  while (Date.now() < deadline) {
    const holders = await leaseHolders(db.url, runId);
    const [top] = names.map((name) => ({ name, n: holders[name] ?? 0 }))
      .sort((a, b) => b.n - a.n);
    if (top.n >= 2) return top.name;
    if (top.n > best.n) best = top;
    await sleep(20);
  }
  return best.name;
}

function third(ctx: Context): number {
  return Math.max(1, Math.floor(ctx.cases / 3));
}

async function workerKill(ctx: Context, db: ScenarioDb) {
  const { base } = await startServer(ctx, db, { runWorker: false });
  await installAudit(db.url);
  const [w1, w2] = await Promise.all([
    startWorker(ctx, db, "worker-1"),
    startWorker(ctx, db, "worker-2"),
  ]);
  const ids = await setupSuite(ctx, base, ctx.llamaUrl);
  const run = await createRun(base, ids);
  const at = await waitRun(db, run.id, (p) => p.stored >= third(ctx));
  // Kill the worker that holds the most cases now, so that some come back.
  const holder = await busiest(db, run.id, ["worker-1", "worker-2"]);
  const [victim, survivor] = holder === "worker-2" ? [w2, w1] : [w1, w2];
  victim.kill("SIGKILL");
  await victim.exited;
  const held = (await leaseHolders(db.url, run.id))[victim.name] ?? 0;
  const end = await waitRun(db, run.id, (p) => p.finished);
  const figures = await runFigures(db.url, run.id);
  const problems = judge(figures, run.caseCount, "done");
  if (at.finished || at.timedOut) {
    problems.push("the run did not reach a third before the kill");
  }
  if (end.timedOut) {
    problems.push(`not finished within ${seconds(RUN_TIMEOUT_MS)}`);
  }
  if (figures.rerun < held) {
    problems.push(
      `the killed worker held ${held} cases but only ${figures.rerun} were run again`,
    );
  }
  problems.push(...alive([survivor]));
  return outcomeOf("worker-kill", figures, [
    `re-run ${figures.rerun}`,
    `killed ${victim.name} at ${at.stored} done holding ${held}`,
    `overwrites ${figures.overwrites}`,
    `run ${seconds((figures.seconds ?? 0) * 1000)}`,
  ], problems);
}

/**
 * SIGSTOPs one of `procs` (taking turns), retrying (SIGCONT, a short random
 * wait, the next one) until `accept` holds of the stopped one, for up to
 * `timeoutMs` or until `stop()` says there is no point. `accept` gets a
 * connection and where the process's database sessions stand. Returns the
 * process left stopped (none: every one is running again), the tries, and
 * the advisory locks its sessions hold.
 */
async function freeze(
  db: ScenarioDb,
  procs: ChildProc[],
  accept: (
    sql: postgres.Sql,
    proc: ChildProc,
    state: { inTransaction: number; advisoryLocks: number },
  ) => Promise<boolean>,
  timeoutMs: number,
  stop: (sql: postgres.Sql) => Promise<boolean> = () => Promise.resolve(false),
): Promise<{ proc?: ChildProc; tries: number; advisoryLocks: number }> {
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  const deadline = Date.now() + timeoutMs;
  let tries = 0;
  let current: ChildProc | undefined;
  try {
    while (Date.now() < deadline && !await stop(sql)) {
      current = procs[tries++ % procs.length];
      current.kill("SIGSTOP");
      // Let the statement it had sent, if any, finish on the server side.
      await sleep(15);
      const state = await sessionState(sql, current.name);
      if (await accept(sql, current, state)) {
        return { proc: current, tries, advisoryLocks: state.advisoryLocks };
      }
      current.kill("SIGCONT");
      current = undefined;
      await sleep(Math.random() * 25);
    }
    return { tries, advisoryLocks: 0 };
  } catch (error) {
    current?.kill("SIGCONT");
    throw error;
  } finally {
    await sql.end({ timeout: 2 }).catch(() => {});
  }
}

async function claimFreeze(ctx: Context, db: ScenarioDb) {
  const { base } = await startServer(ctx, db, { runWorker: false });
  await installAudit(db.url);
  const workers = await Promise.all([
    startWorker(ctx, db, "worker-1"),
    startWorker(ctx, db, "worker-2"),
  ]);
  const ids = await setupSuite(ctx, base, ctx.llamaUrl);
  const run = await createRun(base, ids);
  const at = await waitRun(db, run.id, (p) => p.stored >= third(ctx));
  // A worker that stalls (a long GC pause, a frozen VM, a partition that
  // leaves its connection open) inside a transaction: the others must go
  // on. It stays frozen for a lease and five seconds more. Best inside the
  // claim, holding the target's advisory lock; after ten seconds of tries,
  // inside any transaction; not once fewer than ten cases are left.
  const watchMs = LEASE_MS + 5000;
  const preferUntil = Date.now() + 10_000;
  const frozen = await freeze(
    db,
    workers,
    (_, __, state) =>
      Promise.resolve(
        state.inTransaction > 0 &&
          (state.advisoryLocks > 0 || Date.now() > preferUntil),
      ),
    20_000,
    async (sql) => (await runProgress(sql, run.id)).stored >= ctx.cases - 10,
  );
  let before = 0;
  let after = 0;
  const waiting = new Map<string, string>();
  if (frozen.proc) {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      before = (await runProgress(sql, run.id)).stored;
      const until = Date.now() + watchMs;
      while (Date.now() < until) {
        for (const w of await lockWaiters(sql)) {
          waiting.set(w.name, `${w.waitEvent}: ${w.query}`);
        }
        await sleep(250);
      }
      after = (await runProgress(sql, run.id)).stored;
    } finally {
      frozen.proc.kill("SIGCONT");
      await sql.end({ timeout: 2 }).catch(() => {});
    }
  }
  const end = await waitRun(db, run.id, (p) => p.finished);
  const figures = await runFigures(db.url, run.id);
  const problems = judge(figures, run.caseCount, "done");
  if (at.finished || at.timedOut) {
    problems.push("the run did not reach a third before the freeze");
  }
  const progress = after - before;
  const wanted = Math.min(5, run.caseCount - before);
  const name = frozen.proc?.name;
  if (!frozen.proc) {
    problems.push(
      `no worker was caught inside a transaction before the last ten cases (${frozen.tries} tries): nothing was tested`,
    );
  } else if (progress < wanted) {
    const blocked = [...waiting].map(([who, what]) =>
      `${who} waited on a lock (${what})`
    );
    problems.push(
      `while ${name} was frozen inside a transaction${
        frozen.advisoryLocks
          ? ` holding ${frozen.advisoryLocks} advisory lock`
          : ""
      }, the others finished ${progress} cases in ${seconds(watchMs)}${
        blocked.length ? `: ${blocked.join(", ")}` : ""
      }`,
    );
  }
  if (end.timedOut) {
    problems.push(`not finished within ${seconds(RUN_TIMEOUT_MS)}`);
  }
  problems.push(...alive(workers));
  return outcomeOf("claim-freeze", figures, [
    `re-run ${figures.rerun}`,
    ...(frozen.proc
      ? [
        `froze ${name} inside a transaction at ${before} done (try ${frozen.tries}, advisory locks held ${frozen.advisoryLocks})`,
        `others finished ${progress} in ${seconds(watchMs)}`,
      ]
      : [`no freeze inside a transaction in ${frozen.tries} tries`]),
    `overwrites ${figures.overwrites}`,
  ], problems);
}

async function workerPause(ctx: Context, db: ScenarioDb) {
  const { base } = await startServer(ctx, db, { runWorker: false });
  await installAudit(db.url);
  const [w1, w2] = await Promise.all([
    startWorker(ctx, db, "worker-1"),
    startWorker(ctx, db, "worker-2"),
  ]);
  const ids = await setupSuite(ctx, base, ctx.llamaUrl);
  const run = await createRun(base, ids);
  const at = await waitRun(db, run.id, (p) => p.stored >= third(ctx));
  const holder = await busiest(db, run.id, ["worker-1", "worker-2"]);
  const paused = holder === "worker-2" ? w2 : w1;
  // Frozen between transactions (claim-freeze covers a freeze inside one)
  // while it holds cases under a live lease.
  const frozen = await freeze(db, [paused], async (sql, proc, state) => {
    if (state.inTransaction > 0) return false;
    const [{ n }] = await sql`
      select count(*)::int as n from results
      where run_id = ${run.id} and outcome is null
        and lease_owner = ${proc.name} and lease_expires_at > now()`;
    return Number(n) > 0;
  }, 10_000);
  const pausedAt = Date.now();
  let held: number[] = [];
  let taken = false;
  try {
    held = await rowsHeldBy(db.url, run.id, paused.name);
    // Frozen past its lease: wait until another worker has claimed (or
    // finished) every case it held, so that its writes come too late.
    const deadline = Date.now() + LEASE_MS + 10_000;
    while (Date.now() < deadline) {
      const still = new Set(await rowsHeldBy(db.url, run.id, paused.name));
      if (held.every((id) => !still.has(id))) {
        taken = true;
        break;
      }
      await sleep(100);
    }
  } finally {
    paused.kill("SIGCONT");
  }
  const frozenMs = Date.now() - pausedAt;
  const end = await waitRun(db, run.id, (p) => p.finished);
  const figures = await runFigures(db.url, run.id);
  const problems = judge(figures, run.caseCount, "done");
  if (at.finished || at.timedOut) {
    problems.push("the run did not reach a third before the pause");
  }
  if (!frozen.proc) {
    problems.push(
      `${paused.name} was never frozen outside a transaction holding cases (${frozen.tries} tries)`,
    );
  } else if (!taken) {
    problems.push(
      `the paused worker's ${held.length} cases were not taken over within ${
        seconds(LEASE_MS + 10_000)
      }`,
    );
  }
  if (end.timedOut) {
    problems.push(`not finished within ${seconds(RUN_TIMEOUT_MS)}`);
  }
  problems.push(...alive([w1, w2]));
  return outcomeOf("worker-pause", figures, [
    `re-run ${figures.rerun}`,
    `paused ${paused.name} at ${at.stored} done holding ${held.length} for ${
      seconds(frozenMs)
    }`,
    `overwrites ${figures.overwrites}`,
    `run ${seconds((figures.seconds ?? 0) * 1000)}`,
  ], problems);
}

async function serverKill(ctx: Context, db: ScenarioDb) {
  const first = await startServer(ctx, db, {
    runWorker: true,
    workerId: "server-a",
  });
  await installAudit(db.url);
  const ids = await setupSuite(ctx, first.base, ctx.llamaUrl);
  const run = await createRun(first.base, ids);
  const at = await waitRun(db, run.id, (p) => p.stored >= third(ctx));
  await busiest(db, run.id, ["server-a"]);
  first.proc.kill("SIGKILL");
  await first.proc.exited;
  const held = (await leaseHolders(db.url, run.id))["server-a"] ?? 0;
  const restartedAt = Date.now();
  const second = await startServer(ctx, db, {
    runWorker: true,
    workerId: "server-b",
    port: first.port,
  });
  const upMs = Date.now() - restartedAt;
  const end = await waitRun(db, run.id, (p) => p.finished);
  const figures = await runFigures(db.url, run.id);
  const problems = judge(figures, run.caseCount, "done");
  if (at.finished || at.timedOut) {
    problems.push("the run did not reach a third before the kill");
  }
  if (end.timedOut) {
    problems.push(`not finished within ${seconds(RUN_TIMEOUT_MS)}`);
  }
  if (figures.rerun < held) {
    problems.push(
      `the killed server held ${held} cases but only ${figures.rerun} were run again`,
    );
  }
  const report = await api<{ status: string }>(
    second.base,
    "GET",
    `/api/runs/${run.id}`,
  );
  if (report.status !== figures.status) {
    problems.push(
      `the API says ${report.status}, the database ${figures.status}`,
    );
  }
  problems.push(...alive([second.proc]));
  return outcomeOf("server-kill", figures, [
    `re-run ${figures.rerun}`,
    `killed at ${at.stored} done holding ${held}`,
    `listening again after ${seconds(upMs)}`,
    `overwrites ${figures.overwrites}`,
    `run ${seconds((figures.seconds ?? 0) * 1000)}`,
  ], problems);
}

async function concurrencyCap(ctx: Context, db: ScenarioDb) {
  const proxy = startCountingProxy(ctx.llamaUrl);
  try {
    const { base } = await startServer(ctx, db, { runWorker: false });
    await installAudit(db.url);
    const workers = await Promise.all([
      startWorker(ctx, db, "worker-1"),
      startWorker(ctx, db, "worker-2"),
    ]);
    const ids = await setupSuite(ctx, base, proxy.url);
    const run = await createRun(base, ids);
    const end = await waitRun(db, run.id, (p) => p.finished);
    const figures = await runFigures(db.url, run.id);
    const writers = await writesByWriter(db.url, run.id);
    const problems = judge(figures, run.caseCount, "done");
    if (end.timedOut) {
      problems.push(`not finished within ${seconds(RUN_TIMEOUT_MS)}`);
    }
    if (proxy.maxInflight > ctx.slots) {
      problems.push(
        `${proxy.maxInflight} requests in flight at once on ${ctx.slots} slots`,
      );
    }
    if (proxy.requests < figures.stored) {
      problems.push(
        `${proxy.requests} requests for ${figures.stored} results: the proxy was bypassed`,
      );
    }
    problems.push(...alive(workers));
    return outcomeOf("concurrency-cap", figures, [
      `re-run ${figures.rerun}`,
      `max in flight ${proxy.maxInflight} (slots ${ctx.slots})`,
      `requests ${proxy.requests}`,
      `written by ${
        Object.entries(writers).map(([w, n]) => `${w} ${n}`).join(" / ")
      }`,
      `overwrites ${figures.overwrites}`,
    ], problems);
  } finally {
    await proxy.stop();
  }
}

async function cancel(ctx: Context, db: ScenarioDb) {
  const server = await startServer(ctx, db, {
    runWorker: true,
    workerId: "server-a",
  });
  await installAudit(db.url);
  const worker = await startWorker(ctx, db, "worker-1");
  const ids = await setupSuite(ctx, server.base, ctx.llamaUrl);
  const run = await createRun(server.base, ids);
  const at = await waitRun(db, run.id, (p) => p.stored >= third(ctx));
  const cancelled = await api<{ status: string; skipped: number }>(
    server.base,
    "POST",
    `/api/runs/${run.id}/cancel`,
  );
  const before = await snapshotResults(db.url, run.id);
  await sleep(LEASE_MS + 1000);
  const after = await snapshotResults(db.url, run.id);
  const end = await waitRun(db, run.id, (p) => p.finished, 10_000);
  let changed = 0;
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(id) !== after.get(id)) changed++;
  }
  const figures = await runFigures(db.url, run.id);
  const problems = judge(figures, run.caseCount, "cancelled");
  if (at.finished || at.timedOut) {
    problems.push("the run did not reach a third before the cancel");
  }
  if (cancelled.status !== "cancelled") {
    problems.push(`the cancel answered status ${cancelled.status}`);
  }
  if (changed) {
    problems.push(`${changed} result rows changed after the cancel returned`);
  }
  if (end.timedOut) problems.push("not finished 10 s after the cancel");
  problems.push(...alive([server.proc, worker]));
  const skipped = figures.outcomes.skipped ?? 0;
  return outcomeOf("cancel", figures, [
    `re-run ${figures.rerun}`,
    `cancelled at ${at.stored} done`,
    `skipped ${skipped} (the cancel said ${cancelled.skipped})`,
    `changed after cancel ${changed}`,
    `overwrites ${figures.overwrites}`,
  ], problems);
}

async function postgresRestart(ctx: Context, db: ScenarioDb) {
  const server = await startServer(ctx, db, {
    runWorker: true,
    workerId: "server-a",
  });
  await installAudit(db.url);
  const worker = await startWorker(ctx, db, "worker-1");
  const ids = await setupSuite(ctx, server.base, ctx.llamaUrl);
  const run = await createRun(server.base, ids);
  const at = await waitRun(db, run.id, (p) => p.stored >= third(ctx));
  const downMs = await restartPostgres(ctx.cluster!, 2000);
  const end = await waitRun(db, run.id, (p) => p.finished);
  const figures = await runFigures(db.url, run.id);
  const problems = judge(figures, run.caseCount, "done");
  if (at.finished || at.timedOut) {
    problems.push("the run did not reach a third before the restart");
  }
  if (end.timedOut) {
    problems.push(`not finished within ${seconds(RUN_TIMEOUT_MS)}`);
  }
  const dead = alive([server.proc, worker]);
  problems.push(...dead);
  if (!server.proc.status) {
    try {
      const report = await api<{ status: string }>(
        server.base,
        "GET",
        `/api/runs/${run.id}`,
      );
      if (report.status !== figures.status) {
        problems.push(
          `the API says ${report.status}, the database ${figures.status}`,
        );
      }
    } catch (error) {
      problems.push(
        `the API fails after the restart: ${(error as Error).message}`,
      );
    }
  }
  return outcomeOf("postgres-restart", figures, [
    `re-run ${figures.rerun}`,
    `restarted at ${at.stored} done`,
    `down and up again in ${seconds(downMs)}`,
    `overwrites ${figures.overwrites}`,
    `run ${seconds((figures.seconds ?? 0) * 1000)}`,
  ], problems);
}

async function throughput(ctx: Context, db: ScenarioDb) {
  const proxy = startCountingProxy(ctx.llamaUrl);
  try {
    const { base } = await startServer(ctx, db, { runWorker: false });
    await installAudit(db.url);
    const ids = await setupSuite(ctx, base, proxy.url);
    const total: ScenarioOutcome = {
      name: "throughput",
      expected: 0,
      stored: 0,
      duplicates: 0,
      lost: 0,
      extras: [],
      problems: [],
    };
    let rerun = 0;
    let stopped = 0;
    let signalled = 0;
    const rates: string[] = [];
    for (const count of [1, 2, 4]) {
      const workers = await Promise.all(
        Array.from(
          { length: count },
          (_, i) => startWorker(ctx, db, `worker-${count}-${i + 1}`),
        ),
      );
      proxy.reset();
      const run = await createRun(base, ids);
      const end = await waitRun(db, run.id, (p) => p.finished);
      const figures = await runFigures(db.url, run.id);
      total.expected += figures.expected;
      total.stored += figures.stored;
      total.duplicates += figures.duplicates;
      total.lost += figures.lost;
      rerun += figures.rerun;
      const label = `${count} worker${count > 1 ? "s" : ""}`;
      total.problems.push(
        ...judge(figures, run.caseCount, "done").map((p) => `${label}: ${p}`),
      );
      if (end.timedOut) total.problems.push(`${label}: not finished in time`);
      if (proxy.maxInflight > ctx.slots) {
        total.problems.push(
          `${label}: ${proxy.maxInflight} requests in flight on ${ctx.slots} slots`,
        );
      }
      total.problems.push(...alive(workers));
      const rate = figures.seconds ? figures.stored / figures.seconds : 0;
      rates.push(
        `${label} ${rate.toFixed(1)} cases/s (mean in flight ${
          proxy.meanInflight.toFixed(1)
        })`,
      );
      const stops = await Promise.all(
        workers.map((w) => w.stop(STOP_GRACE_MS)),
      );
      stopped += stops.filter((s) => !s.killed).length;
      signalled += stops.length;
    }
    total.extras = [
      `re-run ${rerun}`,
      ...rates,
      `workers exited within ${
        seconds(STOP_GRACE_MS)
      } of SIGTERM ${stopped} of ${signalled}`,
    ];
    return total;
  } finally {
    await proxy.stop();
  }
}

const RUNNERS: Record<
  ScenarioName,
  (ctx: Context, db: ScenarioDb) => Promise<ScenarioOutcome>
> = {
  "worker-kill": workerKill,
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

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(
    `usage: deno task chaos [--cases N] [--scenarios ${
      SCENARIOS.join(",")
    }] [--verbose] [--keep-logs]`,
  );
  Deno.exit(2);
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
  if (parsed.values.help) usage();
  verbose = parsed.values.verbose ?? false;
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
