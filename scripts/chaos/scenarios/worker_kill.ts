/**
 * `worker-kill`: kill -9 the busier of two workers a third of the way into
 * a run; its cases must come back after their lease and be run again by
 * the other, each ending with exactly one outcome.
 *
 * @example
 * ```ts
 * import { workerKill } from "./worker_kill.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await workerKill(ctx, db)).problems); // [] when it passed
 * ```
 * @module
 */
import {
  type Context,
  NOT_FINISHED,
  type ScenarioDb,
  seconds,
} from "../context.ts";
import { busiest } from "../faults.ts";
import { finishRun, twoWorkersMidRun } from "../harness.ts";
import { leaseHolders } from "../pg_figures.ts";
import { alive, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `worker-kill` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await workerKill(ctx, db);
 * ```
 */
export async function workerKill(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const { workers: [w1, w2], run, at } = await twoWorkersMidRun(ctx, db);
  // Kill the worker that holds the most cases now, so that some come back.
  const holder = await busiest(db, run.id, ["worker-1", "worker-2"]);
  const [victim, survivor] = holder === "worker-2" ? [w2, w1] : [w1, w2];
  victim.kill("SIGKILL");
  await victim.exited;
  const held = (await leaseHolders(db.url, run.id))[victim.name] ?? 0;
  const { figures, problems, timedOut } = await finishRun(db, run, at, "kill");
  if (timedOut) problems.push(NOT_FINISHED);
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
