/**
 * `cancel`: cancel a run a third of the way in, with a worker in the
 * server and one apart: nothing may change in its results after the cancel
 * returns, and the run ends `cancelled`.
 *
 * @example
 * ```ts
 * import { cancel } from "./cancel.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await cancel(ctx, db)).problems); // [] when it passed
 * ```
 * @module
 */
import { api } from "../api.ts";
import { type Context, LEASE_MS, type ScenarioDb, sleep } from "../context.ts";
import { midRun, waitRun } from "../harness.ts";
import { runFigures, snapshotResults } from "../pg_figures.ts";
import { alive, judge, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `cancel` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await cancel(ctx, db);
 * ```
 */
export async function cancel(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const { server, workers: [worker], run, at } = await midRun(ctx, db, {
    serverWorker: "server-a",
    workers: ["worker-1"],
  });
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
