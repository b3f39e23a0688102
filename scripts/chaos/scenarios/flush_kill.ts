/**
 * `flush-kill`: kill -9 a worker in the middle of a flush of its batched
 * result writes. The scenario holds a row lock on one case the busier
 * worker is running, so that worker's next flush (the one statement that
 * writes its batch) blocks on it; once PostgreSQL shows that statement
 * waiting, the worker is killed and its session ended, so the statement
 * dies half done. Nothing of that batch may land (the statement is
 * atomic), nothing may be lost (the leases expire and the other worker runs
 * the cases again), and nothing may be written twice.
 *
 * @example
 * ```ts
 * import { flushKill } from "./flush_kill.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await flushKill(ctx, db)).problems); // [] when it passed
 * ```
 * @module
 */
import postgres from "postgres";
import {
  type Context,
  NOT_FINISHED,
  type ScenarioDb,
  seconds,
  sleep,
} from "../context.ts";
import { busiest } from "../faults.ts";
import { finishRun, twoWorkersMidRun } from "../harness.ts";
import { leaseHolders, writesByWriter } from "../pg_figures.ts";
import { alive, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/** How long to wait for the worker's flush to block on the held row. */
const CATCH_MS = 30_000;

/**
 * Runs the `flush-kill` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await flushKill(ctx, db);
 * ```
 */
export async function flushKill(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const { workers: [w1, w2], run, at } = await twoWorkersMidRun(ctx, db);
  const holder = await busiest(db, run.id, ["worker-1", "worker-2"]);
  const [victim, survivor] = holder === "worker-2" ? [w2, w1] : [w1, w2];
  const problems: string[] = [];
  const locker = postgres(db.url, { max: 1, onnotice: () => {} });
  const watcher = postgres(db.url, { max: 1, onnotice: () => {} });
  let caught: { pid: number; query: string } | undefined;
  let held = 0;
  let written = 0;
  try {
    await locker`begin`;
    // One case the victim runs now: its write will have to wait for us.
    const [row] = await locker`
      select id from results
      where run_id = ${run.id} and outcome is null and lease_owner = ${victim.name}
      order by id limit 1 for update`;
    if (!row) problems.push(`${victim.name} held no case to block`);
    const deadline = Date.now() + CATCH_MS;
    while (row && !caught && Date.now() < deadline) {
      const [blocked] = await watcher`
        select pid, left(query, 80) as query from pg_stat_activity
        where application_name = ${victim.name} and wait_event_type = 'Lock'
          and query ilike '%json_populate_recordset%'`;
      if (blocked) {
        caught = { pid: Number(blocked.pid), query: String(blocked.query) };
      } else await sleep(20);
    }
    if (row && !caught) {
      problems.push(
        `${victim.name}'s flush never reached the held row in ${
          seconds(CATCH_MS)
        }: nothing was tested`,
      );
    }
    victim.kill("SIGKILL");
    await victim.exited;
    if (caught) {
      // The statement dies with its client, half done.
      await watcher`select pg_terminate_backend(${caught.pid})`;
    }
    held = (await leaseHolders(db.url, run.id))[victim.name] ?? 0;
    written = (await writesByWriter(db.url, run.id))[victim.name] ?? 0;
  } finally {
    await locker`rollback`.catch(() => {});
    await locker.end({ timeout: 2 }).catch(() => {});
    await watcher.end({ timeout: 2 }).catch(() => {});
  }
  const end = await finishRun(db, run, at, "kill");
  problems.push(...end.problems);
  const { figures } = end;
  if (end.timedOut) problems.push(NOT_FINISHED);
  if (figures.rerun < held) {
    problems.push(
      `the killed worker held ${held} cases but only ${figures.rerun} were run again`,
    );
  }
  const after = (await writesByWriter(db.url, run.id))[victim.name] ?? 0;
  if (after !== written) {
    problems.push(
      `${
        after - written
      } writes of the killed worker landed after it died (its flush was not atomic)`,
    );
  }
  problems.push(...alive([survivor]));
  return outcomeOf("flush-kill", figures, [
    `re-run ${figures.rerun}`,
    `killed ${victim.name} at ${at.stored} done, mid-flush, holding ${held}`,
    `overwrites ${figures.overwrites}`,
    `run ${seconds((figures.seconds ?? 0) * 1000)}`,
  ], problems);
}
