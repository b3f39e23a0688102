/**
 * The scheduler: fires schedules; it only enqueues runs (the worker does
 * the work). Safe with several server instances: a firing is a (schedule,
 * fire time, target) key that is unique in the database, so each firing
 * makes exactly one run per target whoever fires it.
 *
 * - Missed firings (the server was down): only the most recent one fires
 *   when the server comes back; older ones are skipped.
 * - No pile-up: a target whose previous run of the same schedule is still
 *   going gets no new run for that firing.
 * - Scheduled runs are public.
 *
 * @example
 * ```ts
 * import { Scheduler } from "./cron.ts";
 * import type { Database } from "./db/client.ts";
 * import type { Worker } from "./worker/worker.ts";
 * declare const database: Database;
 * declare const worker: Worker;
 * const scheduler = new Scheduler(database, { onRun: () => worker.wake() });
 * scheduler.start();
 * ```
 * @module
 */
import { Cron } from "croner";
import type { Database } from "./db/client.ts";
import { scheduleBusy } from "./db/queries/runs.ts";
import {
  listSchedules,
  markFired,
  type ScheduleRow,
} from "./db/queries/schedules.ts";
import { getTarget } from "./db/queries/targets.ts";
import { type EnqueueLimits, enqueueRun } from "./runs/enqueue.ts";
import { ApiError } from "./errors.ts";
import { readEnv } from "./env.ts";

/**
 * Whether `expression` is a cron expression as the README documents it:
 * 5 fields, or 6 with seconds first (croner's 7th, the year, is refused),
 * each as croner reads it. Returns the error message, or null when valid.
 *
 * @example
 * ```ts
 * cronError("*\/10 * * * * *"); // null
 * cronError("every day"); // "…"
 * ```
 */
export function cronError(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `${fields} fields; a cron expression has 5 (minute hour day month weekday) or 6 (seconds first)`;
  }
  try {
    new Cron(expression, { paused: true }).stop();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The latest time at or before `now` the expression fires, or null.
 *
 * @example
 * ```ts
 * latestFiring("0 * * * *", new Date("2026-01-01T10:30:00Z")); // 10:00
 * ```
 */
export function latestFiring(expression: string, now: Date): Date | null {
  const cron = new Cron(expression, { paused: true, timezone: "UTC" });
  try {
    // A firing exactly at `now` counts; previousRuns is exclusive of it.
    const next = cron.nextRun(new Date(now.getTime() - 1000));
    if (next && next.getTime() <= now.getTime()) return next;
    return cron.previousRuns(1, now)[0] ?? null;
  } finally {
    cron.stop();
  }
}

/**
 * The next time after `now` the expression fires (UTC), or null when it
 * never fires again.
 *
 * @example
 * ```ts
 * nextFiring("0 * * * *", new Date("2026-01-01T10:30:00Z")); // 11:00
 * ```
 */
export function nextFiring(expression: string, now: Date): Date | null {
  const cron = new Cron(expression, { paused: true, timezone: "UTC" });
  try {
    return cron.nextRun(now);
  } finally {
    cron.stop();
  }
}

/** Scheduler settings. */
export interface SchedulerOptions {
  /** How often schedules are checked (default 1000 ms: seconds-level cron works). */
  tickMs: number;
  /** Called with each new run's id. */
  onRun: (runId: string) => void;
  now: () => Date;
  /** The limits a scheduled run is held to, as an API request is. */
  limits: EnqueueLimits;
}

/** Fires due schedules on a timer. */
export class Scheduler {
  readonly options: SchedulerOptions;
  readonly #database: Database;
  #timer?: ReturnType<typeof setInterval>;
  #busy = false;

  /** @param database where schedules and runs live @param options overrides */
  constructor(database: Database, options: Partial<SchedulerOptions> = {}) {
    this.#database = database;
    this.options = {
      tickMs: 1000,
      onRun: () => {},
      now: () => new Date(),
      // The environment's defaults unless told (boot passes the environment).
      limits: readEnv({}),
      ...options,
    };
  }

  /** Starts checking every `tickMs`. */
  start(): void {
    this.#timer ??= setInterval(
      () =>
        void this.tick().catch((e) => console.error(`scheduler: ${e.message}`)),
      this.options.tickMs,
    );
  }

  /** Stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Checks every enabled schedule once; returns the ids of the runs made. */
  async tick(): Promise<string[]> {
    if (this.#busy) return [];
    this.#busy = true;
    try {
      const made: string[] = [];
      const now = this.options.now();
      for (
        const schedule of await listSchedules(this.#database, {
          limit: 10_000,
          enabledOnly: true,
        })
      ) {
        made.push(...await this.#fire(schedule, now));
      }
      return made;
    } finally {
      this.#busy = false;
    }
  }

  async #fire(schedule: ScheduleRow, now: Date): Promise<string[]> {
    const at = latestFiring(schedule.cron, now);
    const since = schedule.lastFiredAt ?? schedule.createdAt;
    if (!at || at.getTime() <= since.getTime()) return [];
    const made: string[] = [];
    for (const targetId of schedule.targetIds) {
      const target = await getTarget(this.#database, targetId);
      if (!target || target.retiredAt) continue;
      if (await scheduleBusy(this.#database, schedule.id, target.id)) continue;
      let result;
      try {
        result = await enqueueRun(this.#database, {
          suiteId: schedule.suiteId,
          targetId: target.id,
          trigger: "cron",
          public: true,
          options: schedule.options,
          schedule: { id: schedule.id, firedAt: at },
        }, this.options.limits);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        console.error(
          `scheduler: schedule "${schedule.name}" made no run for target "${target.name}": ${error.message}`,
        );
        continue;
      }
      if (result) {
        made.push(result.run.id);
        if (result.pairRunId) this.options.onRun(result.pairRunId);
        this.options.onRun(result.run.id);
      }
    }
    await markFired(this.#database, schedule.id, at);
    return made;
  }
}
