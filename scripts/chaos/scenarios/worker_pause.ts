/**
 * `worker-pause`: SIGSTOP the busier of two workers between transactions
 * while it holds cases, until the other has taken them all over, then
 * SIGCONT it: its late writes must be rejected.
 *
 * @example
 * ```ts
 * import { workerPause } from "./worker_pause.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await workerPause(ctx, db)).problems); // [] when it passed
 * ```
 * @module
 */
import {
  type Context,
  LEASE_MS,
  NOT_FINISHED,
  type ScenarioDb,
  seconds,
  sleep,
} from "../context.ts";
import { busiest, freeze } from "../faults.ts";
import { finishRun, twoWorkersMidRun } from "../harness.ts";
import { rowsHeldBy } from "../pg_figures.ts";
import { alive, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `worker-pause` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await workerPause(ctx, db);
 * ```
 */
export async function workerPause(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const { workers: [w1, w2], run, at } = await twoWorkersMidRun(ctx, db);
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
  const { figures, problems, timedOut } = await finishRun(
    db,
    run,
    at,
    "pause",
  );
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
  if (timedOut) problems.push(NOT_FINISHED);
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
