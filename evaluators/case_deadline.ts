/**
 * A case's deadline over all its attempts and retry waits
 * (`CASE_DEADLINE_MS`). Rather than a second abort signal (which an
 * adapter reads as "the worker is stopping"), each attempt's `timeout_ms`
 * is cut to the time left, so an attempt that reaches the deadline ends
 * exactly as a request timeout does; no attempt or wait starts past it.
 *
 * @example
 * ```ts
 * import { CaseDeadline } from "./case_deadline.ts";
 * const deadline = new CaseDeadline(600_000);
 * deadline.params({ timeout_ms: 900_000 }).timeout_ms; // at most 600000
 * deadline.passedAfter(1000); // false
 * ```
 * @module
 */
import { DEFAULT_TIMEOUT_MS, type GenerationParams } from "./targets/target.ts";

/**
 * One case's deadline; without `ms`, none.
 *
 * @example
 * ```ts
 * import { CaseDeadline } from "./case_deadline.ts";
 * new CaseDeadline().params({}); // {} unchanged: no deadline
 * ```
 */
export class CaseDeadline {
  readonly #at: number;

  /** @param ms how long the case may take from now; undefined for no bound */
  constructor(ms?: number) {
    this.#at = ms === undefined ? Infinity : Date.now() + ms;
  }

  /** `params` with the request timeout cut to the time left (at least 1 ms). */
  params(params: GenerationParams): GenerationParams {
    if (this.#at === Infinity) return params;
    const left = Math.max(1, Math.ceil(this.#at - Date.now()));
    const own = params.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    return { ...params, timeout_ms: Math.min(own, left) };
  }

  /** Whether a wait of `ms` from now would end at or past the deadline. */
  passedAfter(ms: number): boolean {
    return Date.now() + ms >= this.#at;
  }
}
