/**
 * The machinery a chaos scenario is built from: fresh databases, server
 * and worker processes, waiting on runs, and the steps most scenarios begin
 * and end with ({@link midRun}, {@link twoWorkersMidRun},
 * {@link finishRun}). The context and timings are in `context.ts`, the
 * HTTP calls in `api.ts`.
 *
 * @example
 * ```ts
 * import { finishRun, twoWorkersMidRun } from "./harness.ts";
 * import { type Context, NOT_FINISHED, type ScenarioDb } from "./context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const { workers, run, at } = await twoWorkersMidRun(ctx, db);
 * workers[0].kill("SIGKILL"); // break something a third of the way in
 * const { figures, problems, timedOut } = await finishRun(db, run, at, "kill");
 * if (timedOut) problems.push(NOT_FINISHED);
 * ```
 * @module
 */
import postgres from "postgres";
import { createRun, type Run, setupSuite } from "./api.ts";
import {
  CHAOS_TOKEN,
  type Context,
  freePort,
  LEASE_MS,
  note,
  RUN_TIMEOUT_MS,
  type ScenarioDb,
  seconds,
  sleep,
  START_TIMEOUT_MS,
} from "./context.ts";
import { createDatabase, installAudit } from "./pg.ts";
import { type RunFigures, runFigures, runProgress } from "./pg_figures.ts";
import type { ChildProc } from "./proc.ts";
import { judge } from "./verdict.ts";

/**
 * Creates the database of one scenario (dropping an older one of its name).
 *
 * @example
 * ```ts
 * import type { Context } from "./context.ts";
 * declare const ctx: Context;
 * const db = await freshDatabase(ctx, "worker-kill"); // chaos_worker_kill_<pid>
 * ```
 */
export async function freshDatabase(
  ctx: Context,
  scenario: string,
): Promise<ScenarioDb> {
  const name = `chaos_${scenario.replace(/-/g, "_")}_${ctx.tag}`;
  return { name, url: await createDatabase(ctx.adminUrl, name) };
}

/**
 * A server process (`server/main.ts`); resolves once it listens (and has
 * applied the migrations). With `runWorker`, it runs a worker in-process
 * named `workerId`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "./context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const { proc, base } = await startServer(ctx, db, { runWorker: true, workerId: "server-a" });
 * ```
 */
export async function startServer(
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

/**
 * A worker process (`server/worker_main.ts`); resolves once its loop has
 * started.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "./context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const worker = await startWorker(ctx, db, "worker-1");
 * ```
 */
export async function startWorker(
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

/**
 * Where a run stood when {@link waitRun} returned.
 *
 * @example
 * ```ts
 * const at: RunProgress = { stored: 100, finished: false, timedOut: false };
 * ```
 */
export interface RunProgress {
  stored: number;
  finished: boolean;
  timedOut: boolean;
}

/**
 * Polls the database until `until` holds for the run's progress, or
 * `timeoutMs` passes (then the last progress, with `timedOut`). Database
 * errors (a restart) are waited out.
 *
 * @example
 * ```ts
 * import type { ScenarioDb } from "./context.ts";
 * declare const db: ScenarioDb;
 * const end = await waitRun(db, "7", (p) => p.finished);
 * ```
 */
export async function waitRun(
  db: ScenarioDb,
  runId: string,
  until: (p: { stored: number; finished: boolean }) => boolean,
  timeoutMs: number = RUN_TIMEOUT_MS,
  everyMs = 100,
): Promise<RunProgress> {
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

/**
 * A run just created, as {@link startRun} leaves it: the server, the
 * worker processes and the run.
 *
 * @example
 * ```ts
 * declare const started: StartedRun;
 * started.workers.map((w) => w.name); // ["worker-1", "worker-2"]
 * ```
 */
export interface StartedRun {
  server: { proc: ChildProc; base: string; port: number };
  workers: ChildProc[];
  run: Run;
}

/**
 * A run under way, as {@link midRun} leaves it: a {@link StartedRun} and
 * its progress when a third of it was done.
 *
 * @example
 * ```ts
 * declare const started: MidRun;
 * started.at.stored; // about a third of started.run.caseCount
 * ```
 */
export interface MidRun extends StartedRun {
  at: RunProgress;
}

/**
 * The steps most scenarios begin with: a server (running a worker
 * in-process named `serverWorker`, if given), the audit trigger, worker
 * processes named `workers`, the suite and a target at `engineUrl`
 * (default: the llama-server), and a run.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "./context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const { workers, run } = await startRun(ctx, db, { workers: ["worker-1", "worker-2"] });
 * ```
 */
export async function startRun(
  ctx: Context,
  db: ScenarioDb,
  options: { serverWorker?: string; workers: string[]; engineUrl?: string },
): Promise<StartedRun> {
  const server = await startServer(
    ctx,
    db,
    options.serverWorker
      ? { runWorker: true, workerId: options.serverWorker }
      : { runWorker: false },
  );
  await installAudit(db.url);
  const workers = await Promise.all(
    options.workers.map((name) => startWorker(ctx, db, name)),
  );
  const ids = await setupSuite(
    ctx,
    server.base,
    options.engineUrl ?? ctx.llamaUrl,
  );
  const run = await createRun(server.base, ids);
  return { server, workers, run };
}

/**
 * {@link startRun}, then a wait until a third of the run's cases are done:
 * where a scenario breaks something.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "./context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const { server, workers, run, at } = await midRun(ctx, db, {
 *   serverWorker: "server-a",
 *   workers: ["worker-1"],
 * });
 * ```
 */
export async function midRun(
  ctx: Context,
  db: ScenarioDb,
  options: { serverWorker?: string; workers: string[] },
): Promise<MidRun> {
  const started = await startRun(ctx, db, options);
  const third = Math.max(1, Math.floor(ctx.cases / 3));
  const at = await waitRun(db, started.run.id, (p) => p.stored >= third);
  return { ...started, at };
}

/**
 * {@link midRun} with a server that runs no worker and two worker
 * processes, `worker-1` and `worker-2`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "./context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const { workers: [w1, w2], run } = await twoWorkersMidRun(ctx, db);
 * ```
 */
export function twoWorkersMidRun(
  ctx: Context,
  db: ScenarioDb,
): Promise<MidRun> {
  return midRun(ctx, db, { workers: ["worker-1", "worker-2"] });
}

/**
 * The steps most scenarios end with: waits until the run has finished,
 * reads its figures, and judges them ({@link judge}, expecting `status`).
 * Given `at` (see {@link midRun}), a run that was already over (or never
 * got a third of the way) before the `fault` is a problem too. `timedOut`
 * says the run did not finish in time ({@link NOT_FINISHED}).
 *
 * @example
 * ```ts
 * import type { ScenarioDb } from "./context.ts";
 * declare const db: ScenarioDb;
 * declare const started: MidRun;
 * const { figures, problems, timedOut } = await finishRun(db, started.run, started.at, "kill");
 * ```
 */
export async function finishRun(
  db: ScenarioDb,
  run: Run,
  at?: RunProgress,
  fault = "fault",
  status = "done",
): Promise<{ figures: RunFigures; problems: string[]; timedOut: boolean }> {
  const end = await waitRun(db, run.id, (p) => p.finished);
  const figures = await runFigures(db.url, run.id);
  const problems = judge(figures, run.caseCount, status);
  if (at && (at.finished || at.timedOut)) {
    problems.push(`the run did not reach a third before the ${fault}`);
  }
  return { figures, problems, timedOut: end.timedOut };
}
