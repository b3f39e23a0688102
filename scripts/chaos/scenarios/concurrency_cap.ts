/**
 * `concurrency-cap`: two workers run through a counting proxy in front of
 * the llama-server: there must never be more requests in flight than the
 * engine has slots.
 *
 * @example
 * ```ts
 * import { concurrencyCap } from "./concurrency_cap.ts";
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * console.log((await concurrencyCap(ctx, db)).problems); // [] when it passed
 * ```
 * @module
 */
import { type Context, NOT_FINISHED, type ScenarioDb } from "../context.ts";
import { finishRun, startRun } from "../harness.ts";
import { writesByWriter } from "../pg_figures.ts";
import { startCountingProxy } from "../proxy.ts";
import { alive, outcomeOf, type ScenarioOutcome } from "../verdict.ts";

/**
 * Runs the `concurrency-cap` scenario in `db`.
 *
 * @example
 * ```ts
 * import type { Context, ScenarioDb } from "../context.ts";
 * declare const ctx: Context;
 * declare const db: ScenarioDb;
 * const outcome = await concurrencyCap(ctx, db);
 * ```
 */
export async function concurrencyCap(
  ctx: Context,
  db: ScenarioDb,
): Promise<ScenarioOutcome> {
  const proxy = startCountingProxy(ctx.llamaUrl);
  try {
    const { workers, run } = await startRun(ctx, db, {
      workers: ["worker-1", "worker-2"],
      engineUrl: proxy.url,
    });
    const { figures, problems, timedOut } = await finishRun(db, run);
    const writers = await writesByWriter(db.url, run.id);
    if (timedOut) problems.push(NOT_FINISHED);
    if (proxy.maxInflight > ctx.slots) {
      problems.push(
        `${proxy.maxInflight} requests in flight at once on ${ctx.slots} slots`,
      );
    }
    if (proxy.requests < figures.stored) {
      problems.push(
        `${proxy.requests} requests for ${figures.stored} results: the proxy was bypassed`,
      );
    }
    problems.push(...alive(workers));
    return outcomeOf("concurrency-cap", figures, [
      `re-run ${figures.rerun}`,
      `max in flight ${proxy.maxInflight} (slots ${ctx.slots})`,
      `requests ${proxy.requests}`,
      `written by ${
        Object.entries(writers).map(([w, n]) => `${w} ${n}`).join(" / ")
      }`,
      `overwrites ${figures.overwrites}`,
    ], problems);
  } finally {
    await proxy.stop();
  }
}
