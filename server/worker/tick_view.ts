/**
 * What a worker's tick reads of the database before it claims: the
 * active runs and which engines are down. A busy worker ticks each time a
 * batch of cases ends, many times a second, and on PGlite every statement
 * costs the same fixed overhead whatever it returns; so the two are read
 * again only when the last read is older than `maxAgeMs`, or when they
 * were marked stale (something outside the loop changed: a run was
 * created, cancelled, changed). Claims stay exact: they check each row in
 * the database; what may be up to `maxAgeMs` old is only which runs the
 * tick visits, and which engines another worker has found down (this
 * worker's own finding counts at once, `EngineWatch.wentDown`).
 *
 * @example
 * ```ts
 * import { TickView } from "./tick_view.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const readRuns: () => Promise<RunRow[]>;
 * const view = new TickView(readRuns, async () => {}, { maxAgeMs: 100 });
 * const runs = await view.runs(); // read now
 * await view.runs(); // the same list, within 100 ms
 * view.stale(); // the next call reads again
 * ```
 * @module
 */
import type { RunRow } from "../db/queries/runs.ts";

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * import { TickView } from "./tick_view.ts";
 * const view = new TickView(() => Promise.resolve([]), () => Promise.resolve(), { maxAgeMs: 0 });
 * (await view.runs()).length; // 0
 * ```
 */
export class TickView {
  readonly #readRuns: () => Promise<RunRow[]>;
  readonly #readEngines: () => Promise<void>;
  readonly #maxAgeMs: number;
  #runs: RunRow[] = [];
  #readAt = -Infinity;

  /**
   * @param readRuns reads the active runs
   * @param readEngines reads which engines are down (only while runs are active)
   * @param options `maxAgeMs`: how old a read may be reused
   */
  constructor(
    readRuns: () => Promise<RunRow[]>,
    readEngines: () => Promise<void>,
    options: { maxAgeMs: number },
  ) {
    this.#readRuns = readRuns;
    this.#readEngines = readEngines;
    this.#maxAgeMs = options.maxAgeMs;
  }

  /** The next {@link TickView.runs} reads again. */
  stale(): void {
    this.#readAt = -Infinity;
  }

  /** The active runs, read again when stale or older than `maxAgeMs`. */
  async runs(): Promise<RunRow[]> {
    if (performance.now() - this.#readAt < this.#maxAgeMs) return this.#runs;
    const runs = await this.#readRuns();
    if (runs.length > 0) await this.#readEngines();
    this.#runs = runs;
    this.#readAt = performance.now();
    return runs;
  }
}
