/**
 * `postgres-restart`: stop the database for two seconds a third of the way
 * into a run, and start it again; nobody is restarted, the run must finish
 * and the API keep answering. Needs the throwaway cluster (not
 * `DATABASE_URL`).
 *
 * @example
 * ```ts
 * import { postgresRestart } from "./postgres_restart.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * if (ctx.cluster) console.log((await postgresRestart(ctx, db)).problems);
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
import { finishRun, midRun } from "../harness.ts";
import { restartPostgres } from "../pg.ts";
import { alive, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `postgres-restart` scenario in `db` (`ctx.cluster` must be set).
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await postgresRestart(ctx, db);
 * ```
 */
export async function postgresRestart(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const { server, workers: [worker], run, at } = await midRun(ctx, db, {
    serverWorker: "server-a",
    workers: ["worker-1"],
  });
  const downMs = await restartPostgres(ctx.cluster!, 2000);
  const { figures, problems, timedOut } = await finishRun(
    db,
    run,
    at,
    "restart",
  );
  if (timedOut) problems.push(NOT_FINISHED);
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
