/**
 * Engine outages, as the worker lives them. When a request fails in a way
 * that may mean the engine is down, `runCase` asks the engine's health
 * (`health`); when it does not answer, the worker records the engine down
 * in the database (`wentDown`), shared by every worker, and hands the case
 * back. From then on, each tick asks {@link EngineWatch.gate} before it
 * claims anything for a run on that engine:
 *
 * - while the engine is down, the run is `waiting_for_engine` and nothing
 *   is claimed; its health is asked at most once per `probeMs` by each
 *   worker;
 * - when it answers again, the run resumes where it was (the cases that
 *   were in flight when it went down are retried one at a time, alone on
 *   the engine: `claimResults` with the engine key);
 * - after `engineDownMaxMs` (`ENGINE_DOWN_MAX_MS`, or the run's shorter
 *   `engine_wait_ms`) the run fails `engine_down`, every unattempted case
 *   `skipped`.
 *
 * A run that has not started is started here: its engine describes itself,
 * and one that cannot be reached makes the run wait the same way.
 *
 * @example
 * ```ts
 * import { EngineWatch } from "./engine_watch.ts";
 * import type { Database } from "../db/client.ts";
 * import type { RunContext, RunPreparation } from "./run_context.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const database: Database;
 * declare const preparation: RunPreparation;
 * declare const ctx: RunContext;
 * declare const run: RunRow;
 * const watch = new EngineWatch(preparation, { engineDownMaxMs: 900_000, probeMs: 1000 });
 * await watch.refresh();
 * if (await watch.gate(ctx, run) === "go") console.log("claim");
 * ```
 * @module
 */
import type { RunRow } from "../db/queries/runs.ts";
import {
  downEngines,
  markEngineDown,
  markEngineUp,
} from "../db/queries/engines.ts";
import {
  failRun,
  resumeRun,
  waitForEngine,
} from "../db/queries/run_lifecycle.ts";
import { skipPending } from "../db/queries/queue.ts";
import { boardChanged } from "../board/cache.ts";
import { FAILURE_TEXT } from "../runs/failure.ts";
import {
  type RunContext,
  type RunPreparation,
  startRunContext,
} from "./run_context.ts";
import { finishStoredRun } from "./finish.ts";
import { engineHealth } from "./engine_health.ts";

/**
 * What a tick may do with a run: claim its cases, wait, or leave it (it
 * was stopped or failed here).
 */
export type Gate = "go" | "wait" | "stop";

/**
 * The outage state of every engine, as one worker sees and changes it.
 *
 * @example
 * ```ts
 * import { EngineWatch } from "./engine_watch.ts";
 * import type { RunPreparation } from "./run_context.ts";
 * declare const preparation: RunPreparation;
 * const watch = new EngineWatch(preparation, { engineDownMaxMs: 60_000, probeMs: 500 });
 * watch.isDown("http://127.0.0.1:8080"); // false until refreshed or told
 * ```
 */
export class EngineWatch {
  readonly #preparation: RunPreparation;
  readonly #options: { engineDownMaxMs: number; probeMs: number };
  /** Engine key → when it went down, as of the last refresh. */
  #down = new Map<string, Date>();
  /** Engine key → when this worker last asked its health. */
  readonly #probed = new Map<string, number>();

  /** @param preparation what starting a run needs @param options the bounds */
  constructor(
    preparation: RunPreparation,
    options: { engineDownMaxMs: number; probeMs: number },
  ) {
    this.#preparation = preparation;
    this.#options = options;
  }

  /** Reads which engines are down (once per tick). */
  async refresh(): Promise<void> {
    this.#down = await downEngines(this.#preparation.database);
  }

  /** Whether an engine was down at the last refresh (or since, here). */
  isDown(engineKey: string): boolean {
    return this.#down.has(engineKey);
  }

  /** Records a run's engine as down, for every worker. */
  async wentDown(ctx: RunContext): Promise<void> {
    if (!this.#down.has(ctx.engineKey)) {
      this.#down.set(ctx.engineKey, new Date());
      this.#probed.set(ctx.engineKey, Date.now());
    }
    await markEngineDown(this.#preparation.database, ctx.engineKey);
  }

  /** What the tick may do with `run` now (see the module doc). */
  async gate(ctx: RunContext, run: RunRow): Promise<Gate> {
    const { database } = this.#preparation;
    if (this.#down.has(ctx.engineKey)) {
      if (
        run.status !== "waiting_for_engine" &&
        await waitForEngine(database, run.id)
      ) boardChanged();
      const waited = Date.now() - (run.waitingSince?.getTime() ?? Date.now());
      const bound = Math.min(
        this.#options.engineDownMaxMs,
        run.options.engine_wait_ms ?? Infinity,
      );
      if (!(await this.#probe(ctx))) {
        if (waited >= bound) {
          await this.#failDown(run, waited);
          return "stop";
        }
        return "wait";
      }
    }
    if (run.status === "waiting_for_engine" || run.waitingSince) {
      if (await resumeRun(database, run.id)) boardChanged();
    }
    if (!ctx.started) {
      const started = await startRunContext(this.#preparation, ctx);
      if (started === "unreachable") {
        await this.wentDown(ctx);
        if (await waitForEngine(database, run.id)) boardChanged();
        return "wait";
      }
      if (started === "refused") return "stop";
    }
    return "go";
  }

  /** Whether a down engine answers again (asked at most once per probeMs). */
  async #probe(ctx: RunContext): Promise<boolean> {
    const last = this.#probed.get(ctx.engineKey) ?? 0;
    if (Date.now() - last < this.#options.probeMs) return false;
    this.#probed.set(ctx.engineKey, Date.now());
    const up = await engineHealth(ctx.target, AbortSignal.timeout(5_000));
    if (up) {
      await markEngineUp(this.#preparation.database, ctx.engineKey);
      this.#down.delete(ctx.engineKey);
    }
    return up;
  }

  async #failDown(run: RunRow, waited: number): Promise<void> {
    const { database } = this.#preparation;
    const message = `${FAILURE_TEXT.engine_down} for ${
      Math.round(waited / 1000)
    } s (the run's bound)`;
    if (await failRun(database, run.id, { reason: "engine_down", message })) {
      await skipPending(database, run.id, message);
      await finishStoredRun(database, run.id);
      boardChanged();
    }
  }
}
