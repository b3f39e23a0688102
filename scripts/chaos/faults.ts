/**
 * Where a chaos scenario strikes: the process holding the most of a run's
 * cases, and a SIGSTOP timed to catch a process in a chosen state (inside
 * a transaction, between two, holding cases).
 *
 * @example
 * ```ts
 * import { busiest, freeze } from "./faults.ts";
 * import type { ScenarioDb } from "./context.ts";
 * import type { ChildProc } from "./proc.ts";
 * declare const db: ScenarioDb;
 * declare const workers: ChildProc[];
 * const name = await busiest(db, "7", workers.map((w) => w.name));
 * const frozen = await freeze(db, workers, (_, __, s) => Promise.resolve(s.inTransaction > 0), 20_000);
 * frozen.proc?.kill("SIGCONT");
 * ```
 * @module
 */
import postgres from "postgres";
import { type ScenarioDb, sleep } from "./context.ts";
import { leaseHolders, sessionState } from "./pg_figures.ts";
import type { ChildProc } from "./proc.ts";

/**
 * The one of `names` holding the most leases on the run, once one holds
 * two or more (polled for up to three seconds; then the busiest so far, or
 * the first name).
 *
 * @example
 * ```ts
 * import type { ScenarioDb } from "./context.ts";
 * declare const db: ScenarioDb;
 * const victim = await busiest(db, "7", ["worker-1", "worker-2"]);
 * ```
 */
export async function busiest(
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

/**
 * SIGSTOPs one of `procs` (taking turns), retrying (SIGCONT, a short random
 * wait, the next one) until `accept` holds of the stopped one, for up to
 * `timeoutMs` or until `stop()` says there is no point. `accept` gets a
 * connection and where the process's database sessions stand. Returns the
 * process left stopped (none: every one is running again), the tries, and
 * the advisory locks its sessions hold.
 *
 * @example
 * ```ts
 * import type { ScenarioDb } from "./context.ts";
 * import type { ChildProc } from "./proc.ts";
 * declare const db: ScenarioDb;
 * declare const worker: ChildProc;
 * const frozen = await freeze(
 *   db,
 *   [worker],
 *   (_sql, _proc, state) => Promise.resolve(state.inTransaction === 0),
 *   10_000,
 * );
 * frozen.proc?.kill("SIGCONT");
 * ```
 */
export async function freeze(
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
