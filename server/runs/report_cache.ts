/**
 * Run reports as readers get them: `GET /api/runs/:id` and every event
 * stream of a run share one computation. A report is kept as JSON text for
 * a second ({@link FRESH_MS}), and dropped at once when this process
 * changes a run (`board/cache.ts`: created, stopped, finished, hidden);
 * concurrent readers of a report being computed wait for that one. So a
 * running run costs one computation a second however many pages, pollers
 * and streams watch it.
 *
 * @example
 * ```ts
 * import { RunReports } from "./report_cache.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * const reports = new RunReports(database);
 * const report = await reports.get(runId); // undefined when no such run
 * report?.progress; // '{"status":"running","total":40,"done":12,…}'
 * ```
 * @module
 */
import { FRESH_MS, FreshCache } from "../board/cache.ts";
import type { Database } from "../db/client.ts";
import { getRun, type RunRow } from "../db/queries/runs.ts";
import { runReport } from "./report.ts";

/** One computed report. */
export interface CachedReport {
  /** The run's row when the report was made. */
  run: RunRow;
  /** The report, as `GET /api/runs/:id` answers it. */
  body: string;
  /** `{ status, waiting_since, total, done, by_outcome, scores }` as JSON: an event stream's `progress`. */
  progress: string;
  /** Whether the run had ended. */
  finished: boolean;
}

/**
 * The shared cache of run reports, with a count of the computations.
 *
 * @example
 * ```ts
 * import { RunReports } from "./report_cache.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const reports = new RunReports(database);
 * reports.computations; // 0
 * ```
 */
export class RunReports {
  readonly #cache: FreshCache<CachedReport | undefined>;
  #computations = 0;

  /**
   * @param database where the runs are
   * @param maxAgeMs how long a report is served without a change seen
   */
  constructor(readonly database: Database, maxAgeMs = FRESH_MS) {
    this.#cache = new FreshCache(1000, maxAgeMs);
  }

  /** How many reports this cache has computed. */
  get computations(): number {
    return this.#computations;
  }

  /** The fresh report of `runId`, without computing one. */
  peek(runId: string): CachedReport | undefined {
    return this.#cache.peek(runId);
  }

  /**
   * The report of `runId`, fresh from the cache or computed (once for
   * every concurrent caller); undefined when there is no such run.
   */
  get(runId: string): Promise<CachedReport | undefined> {
    return this.#cache.get(runId, () => this.#compute(runId));
  }

  async #compute(runId: string): Promise<CachedReport | undefined> {
    this.#computations++;
    const run = await getRun(this.database, runId);
    if (!run) return undefined;
    const report = await runReport(this.database, run);
    return {
      run,
      body: JSON.stringify(report),
      // The headline's three scores ride along, so a live page stays live.
      progress: JSON.stringify({
        status: report.status,
        // A run waiting for its engine says since when (a fixed time, so a
        // wait is not "progress" to the idle bound).
        waiting_since: report.waiting_since,
        ...report.progress,
        scores: {
          declared_coverage: report.scores.declared_coverage,
          empirical_coverage: report.scores.empirical_coverage,
          compliance: report.scores.compliance,
        },
      }),
      finished: Boolean(report.finished_at),
    };
  }
}
