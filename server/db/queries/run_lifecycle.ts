/**
 * A run's life after its creation: the start (with the engine's
 * description), an early stop (cancelled, budget spent), and the finish,
 * exactly once, when no result is pending.
 *
 * @example
 * ```ts
 * import { finishRun, startRun } from "./run_lifecycle.ts";
 * import type { Database } from "../client.ts";
 * import type { RunSummary } from "../../../evaluators/metrics/scores.ts";
 * declare const database: Database;
 * declare const id: string;
 * declare const summary: RunSummary;
 * await startRun(database, id, { engine: "llama.cpp" });
 * await finishRun(database, id, summary);
 * ```
 * @module
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { RunSummary } from "../../../evaluators/metrics/scores.ts";
import type { EngineDescription } from "../../../evaluators/targets/target.ts";
import type { Database } from "../client.ts";
import { results, runs } from "../schema.ts";
import type { RunRow } from "./runs.ts";
import { ACTIVE_STATUSES } from "../../runs/status.ts";

/** Closes a wait for the engine: its time is added to the run's total. */
const endOfWait = {
  engineWaitedMs: sql`${runs.engineWaitedMs} + coalesce(
    (extract(epoch from now() - ${runs.waitingSince}) * 1000)::int, 0)`,
  waitingSince: null,
};

/**
 * Why a run failed, as stored (`server/runs/failure.ts` has the reasons).
 *
 * @example
 * ```ts
 * import type { RunFailure } from "./run_lifecycle.ts";
 * const failure: RunFailure = { reason: "engine_down", message: "the engine could not be reached" };
 * ```
 */
export interface RunFailure {
  reason: string;
  message: string;
}

/**
 * Marks a queued run as running with the engine's description (once).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * import type { RunRow } from "./runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * await startRun(database, run.id, { engine: "llama.cpp", version: "b6000" });
 * ```
 */
export async function startRun(
  database: Database,
  id: string,
  engine: EngineDescription,
  engineKey?: string,
): Promise<void> {
  await database.db.update(runs).set({
    status: "running",
    engine,
    startedAt: new Date(),
    ...(engineKey ? { engineKey } : {}),
  })
    .where(and(eq(runs.id, id), eq(runs.status, "queued")));
}

/**
 * Stores the engine a started run sends to (runs started before engine
 * keys were kept).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await setEngineKey(database, id, "http://127.0.0.1:8080");
 * ```
 */
export async function setEngineKey(
  database: Database,
  id: string,
  engineKey: string,
): Promise<void> {
  await database.db.update(runs).set({ engineKey }).where(eq(runs.id, id));
}

/**
 * Statuses of runs that stopped early but may still have cases in flight
 * (`failed` here: an engine that refused the key, `failRun`).
 */
export const STOPPED_STATUSES = [
  "cancelled",
  "budget_exceeded",
  "failed",
] as const;

/**
 * Finishes a run exactly once: only when no result is pending and it has not
 * been finished before. A running run becomes `done`, or `failed` with
 * `failure` (`server/runs/failure.ts`: it measured nothing); a stopped one
 * (`cancelled`, `budget_exceeded`, `failed`) keeps its status. `partial` is
 * the judgement of `server/runs/partial.ts`. Returns true for the one
 * caller that finished it.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * import type { RunSummary } from "../../../evaluators/metrics/scores.ts";
 * declare const id: string;
 * declare const summary: RunSummary;
 * if (await finishRun(database, id, summary)) console.log("finished");
 * ```
 */
export async function finishRun(
  database: Database,
  id: string,
  summary: RunSummary,
  flags: string[] = [],
  partial: { partial: boolean; partialReason: string | null } = {
    partial: false,
    partialReason: null,
  },
  failure: RunFailure | null = null,
): Promise<boolean> {
  const pending = database.db.select({ one: sql`1` }).from(results).where(
    and(eq(results.runId, id), isNull(results.outcome)),
  );
  const active = inArray(runs.status, [...ACTIVE_STATUSES]);
  const rows = await database.db.update(runs).set({
    status: sql`case when ${active} then ${
      failure ? "failed" : "done"
    } else ${runs.status} end`,
    ...(failure
      ? {
        failureReason:
          sql`case when ${active} then ${failure.reason} else ${runs.failureReason} end`,
        error:
          sql`case when ${active} then ${failure.message} else ${runs.error} end`,
      }
      : {}),
    summary,
    flags,
    ...endOfWait,
    partial: partial.partial,
    partialReason: partial.partialReason,
    finishedAt: new Date(),
  }).where(and(
    eq(runs.id, id),
    isNull(runs.finishedAt),
    inArray(runs.status, [...ACTIVE_STATUSES, ...STOPPED_STATUSES]),
    sql`not exists (${pending})`,
  )).returning({ id: runs.id });
  return rows.length === 1;
}

/**
 * Stops an active run with `status` (`cancelled`, `budget_exceeded`):
 * no case is claimed after it. Returns false when the run was not active.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await stopRun(database, id, "budget_exceeded", "spent $1.02 of $1.00");
 * ```
 */
export async function stopRun(
  database: Database,
  id: string,
  status: Exclude<(typeof STOPPED_STATUSES)[number], "failed">,
  reason: string,
): Promise<boolean> {
  const rows = await database.db.update(runs)
    .set({ status, error: reason, ...endOfWait })
    .where(and(eq(runs.id, id), inArray(runs.status, [...ACTIVE_STATUSES])))
    .returning({ id: runs.id });
  return rows.length === 1;
}

/**
 * Fails an active run at once (`auth_failed`: the engine refused the key):
 * no case is claimed after it; the caller skips the rest and finishes it.
 * Returns false when the run was not active.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await failRun(database, id, {
 *   reason: "auth_failed",
 *   message: "the engine refused the API key: HTTP 401: bad key",
 * });
 * ```
 */
export async function failRun(
  database: Database,
  id: string,
  failure: RunFailure,
): Promise<boolean> {
  const rows = await database.db.update(runs).set({
    status: "failed",
    failureReason: failure.reason,
    error: failure.message,
    ...endOfWait,
  })
    .where(and(eq(runs.id, id), inArray(runs.status, [...ACTIVE_STATUSES])))
    .returning({ id: runs.id });
  return rows.length === 1;
}

/**
 * Marks an active run as waiting for its engine (from now, unless it
 * already waits). Returns true when the status changed.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await waitForEngine(database, id);
 * ```
 */
export async function waitForEngine(
  database: Database,
  id: string,
): Promise<boolean> {
  const rows = await database.db.update(runs).set({
    status: "waiting_for_engine",
    waitingSince: sql`coalesce(${runs.waitingSince}, now())`,
  }).where(and(eq(runs.id, id), inArray(runs.status, ["queued", "running"])))
    .returning({ id: runs.id });
  return rows.length === 1;
}

/**
 * Fails a run `engine_down` only if it is still waiting for its engine and
 * has waited at least `boundMs` (checked by the database, so a worker that
 * saw the engine answer and resumed the run wins the race). Returns true
 * when it failed the run.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await failWaitingRun(database, id, 900_000, "the engine could not be reached for 900 s");
 * ```
 */
export async function failWaitingRun(
  database: Database,
  id: string,
  boundMs: number,
  message: string,
): Promise<boolean> {
  const rows = await database.db.update(runs).set({
    status: "failed",
    failureReason: "engine_down",
    error: message,
    ...endOfWait,
  }).where(and(
    eq(runs.id, id),
    eq(runs.status, "waiting_for_engine"),
    sql`${runs.waitingSince} <= now() - (${boundMs} * interval '1 millisecond')`,
  )).returning({ id: runs.id });
  return rows.length === 1;
}

/**
 * Ends a run's wait for its engine: `running` again (`queued` when it had
 * not started), the time waited added to `engine_waited_ms`. Returns true
 * when the status changed.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await resumeRun(database, id);
 * ```
 */
export async function resumeRun(
  database: Database,
  id: string,
): Promise<boolean> {
  const rows = await database.db.update(runs).set({
    status:
      sql`case when ${runs.startedAt} is null then 'queued' else 'running' end`,
    ...endOfWait,
  }).where(and(eq(runs.id, id), eq(runs.status, "waiting_for_engine")))
    .returning({ id: runs.id });
  return rows.length === 1;
}

/**
 * Stopped runs that are not finished yet (cases still in flight, or
 * abandoned by a worker that died).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await unfinishedStoppedRuns(database);
 * ```
 */
export async function unfinishedStoppedRuns(
  database: Database,
): Promise<RunRow[]> {
  return await database.db.select().from(runs)
    .where(
      and(inArray(runs.status, [...STOPPED_STATUSES]), isNull(runs.finishedAt)),
    );
}

/**
 * Whether a run has no pending result left.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await runComplete(database, id); // true when every case has an outcome
 * ```
 */
export async function runComplete(
  database: Database,
  id: string,
): Promise<boolean> {
  const rows = await database.db.select({ id: results.id }).from(results)
    .where(and(eq(results.runId, id), isNull(results.outcome))).limit(1);
  return rows.length === 0;
}
