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
 *   worker, in the background (a probe never holds up the tick); a run
 *   with nothing left pending finishes instead of waiting;
 * - when it answers again, the run resumes where it was (the cases that
 *   were in flight when it went down are retried one at a time, alone on
 *   the engine: `claimResults` with the engine key);
 * - after `engineDownMaxMs` (`ENGINE_DOWN_MAX_MS`, or the run's shorter
 *   `engine_wait_ms`), on a probe begun after the bound that still finds
 *   the engine down, the run fails `engine_down`, every unattempted case
 *   `skipped` (the database checks that it still waits: a worker that saw
 *   the engine answer and resumed it wins).
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
  failWaitingRun,
  resumeRun,
  runComplete,
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
import { engineHealth, PROBE_TIMEOUT_MS } from "./engine_health.ts";

/**
 * What a tick may do with a run: claim its cases, wait, or leave it (it
 * was stopped or failed here).
 *
 * @example
 * ```ts
 * import type { Gate } from "./engine_watch.ts";
 * const gate: Gate = "wait";
 * ```
 */
export type Gate = "go" | "wait" | "stop";

/** A health probe's answer, and when the probe began. */
interface ProbeAnswer {
  startedAt: number;
  up: boolean;
}

/** One engine's probes in this worker. */
interface ProbeState {
  startedAt: number;
  running?: Promise<void>;
  answer?: ProbeAnswer;
}

/**
 * The outage state of every engine, as one worker sees and changes it.
 *
 * @example
 * ```ts
 * import { EngineWatch } from "./engine_watch.ts";
 * import type { RunPreparation } from "./run_context.ts";
 * declare const preparation: RunPreparation;
 * const watch = new EngineWatch(preparation, { engineDownMaxMs: 60_000, probeMs: 500 });
 * await watch.refresh(); // which engines are down, once a tick
 * ```
 */
export class EngineWatch {
  readonly #preparation: RunPreparation;
  readonly #options: { engineDownMaxMs: number; probeMs: number };
  /** Engine key → when it went down, as of the last refresh. */
  #down = new Map<string, Date>();
  /** Engine key → this worker's probes of it. */
  readonly #probes = new Map<string, ProbeState>();

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

  /** Records a run's engine as down, for every worker. */
  async wentDown(ctx: RunContext): Promise<void> {
    if (!this.#down.has(ctx.engineKey)) {
      this.#down.set(ctx.engineKey, new Date());
      // The next probe waits probeMs: the engine has just failed.
      this.#probes.set(ctx.engineKey, { startedAt: Date.now() });
    }
    await markEngineDown(this.#preparation.database, ctx.engineKey);
  }

  /** What the tick may do with `run` now (see the module doc). */
  async gate(ctx: RunContext, run: RunRow): Promise<Gate> {
    const { database } = this.#preparation;
    const downSince = this.#down.get(ctx.engineKey);
    if (downSince) {
      // A run with nothing left to do finishes, whatever its engine does.
      if (await runComplete(database, run.id)) return "go";
      if (
        run.status !== "waiting_for_engine" &&
        await waitForEngine(database, run.id)
      ) boardChanged();
      const answer = this.#probe(ctx, downSince);
      if (!answer?.up) {
        const bound = Math.min(
          this.#options.engineDownMaxMs,
          run.options.engine_wait_ms ?? Infinity,
        );
        const since = run.waitingSince?.getTime() ?? Date.now();
        // Failed only on a probe begun after the bound, and only if the
        // run still waits then (another worker may have resumed it).
        if (answer && answer.startedAt >= since + bound) {
          return await this.#failDown(run, bound) ? "stop" : "wait";
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

  /**
   * The latest answer about a down engine that is newer than its fall,
   * starting a probe in the background when none runs and the last began
   * at least probeMs ago (a probe never holds up the tick).
   */
  #probe(ctx: RunContext, downSince: Date): ProbeAnswer | undefined {
    const key = ctx.engineKey;
    const state = this.#probes.get(key) ?? { startedAt: 0 };
    this.#probes.set(key, state);
    if (
      !state.running && Date.now() - state.startedAt >= this.#options.probeMs
    ) {
      const startedAt = Date.now();
      state.startedAt = startedAt;
      state.running = engineHealth(
        ctx.target,
        AbortSignal.timeout(PROBE_TIMEOUT_MS),
      ).then(async (up) => {
        state.answer = { startedAt, up };
        if (!up) return;
        await markEngineUp(this.#preparation.database, key);
        this.#down.delete(key);
      }).catch(() => {}).finally(() => state.running = undefined);
    }
    const answer = state.answer;
    return answer && answer.startedAt >= downSince.getTime()
      ? answer
      : undefined;
  }

  async #failDown(run: RunRow, bound: number): Promise<boolean> {
    const { database } = this.#preparation;
    const message = `${FAILURE_TEXT.engine_down} for ${
      Math.round(bound / 1000)
    } s (the run's bound)`;
    if (!(await failWaitingRun(database, run.id, bound, message))) {
      return false;
    }
    await skipPending(database, run.id, message);
    await finishStoredRun(database, run.id);
    boardChanged();
    return true;
  }
}
