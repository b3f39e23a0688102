/**
 * `claim-freeze`: SIGSTOP one of two workers inside a database transaction
 * (best inside the claim, holding the target's advisory lock) for a lease
 * and five seconds more: the other must go on finishing cases.
 *
 * @example
 * ```ts
 * import { claimFreeze } from "./claim_freeze.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await claimFreeze(ctx, db)).problems); // [] when it passed
 * ```
 * @module
 */
import postgres from "postgres";
import {
  type Context,
  LEASE_MS,
  NOT_FINISHED,
  type ScenarioDb,
  seconds,
  sleep,
} from "../context.ts";
import { freeze } from "../faults.ts";
import { finishRun, twoWorkersMidRun } from "../harness.ts";
import { lockWaiters, runProgress } from "../pg_figures.ts";
import { alive, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `claim-freeze` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await claimFreeze(ctx, db);
 * ```
 */
export async function claimFreeze(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const { workers, run, at } = await twoWorkersMidRun(ctx, db);
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
  const { figures, problems, timedOut } = await finishRun(
    db,
    run,
    at,
    "freeze",
  );
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
  if (timedOut) problems.push(NOT_FINISHED);
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
