/**
 * `server-kill`: kill -9 the server and its in-process worker a third of
 * the way into a run, and start it again on the same port: the cases it
 * held must be run again, and the API must agree with the database.
 *
 * @example
 * ```ts
 * import { serverKill } from "./server_kill.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await serverKill(ctx, db)).problems); // [] when it passed
 * ```
 * @module
 */
import { api } from "../api.ts";
import {
  type Context,
  NOT_FINISHED,
  type ScenarioDb,
  seconds,
} from "../context.ts";
import { busiest } from "../faults.ts";
import { finishRun, midRun, startServer } from "../harness.ts";
import { leaseHolders } from "../pg_figures.ts";
import { alive, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `server-kill` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await serverKill(ctx, db);
 * ```
 */
export async function serverKill(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const { server: first, run, at } = await midRun(ctx, db, {
    serverWorker: "server-a",
    workers: [],
  });
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
  const { figures, problems, timedOut } = await finishRun(db, run, at, "kill");
  if (timedOut) problems.push(NOT_FINISHED);
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
