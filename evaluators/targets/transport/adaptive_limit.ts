/**
 * Per-target concurrency that adapts to rate limits: a 429 halves the
 * limit and pauses new requests for as long as the provider asked
 * (`Retry-After`, `x-ratelimit-reset-*`, or a second when it did not say);
 * every `growEvery` successes in a row give one slot back, up to the cap.
 *
 * @example
 * ```ts
 * import { AdaptiveLimit } from "./adaptive_limit.ts";
 * const limit = new AdaptiveLimit({ max: 8 });
 * limit.onRateLimited(2000); // limit 4, paused 2 s
 * await limit.ready();       // waits out the pause
 * ```
 * @module
 */

/** Options of an {@link AdaptiveLimit}. */
export interface AdaptiveLimitOptions {
  /** The cap (the run's or target's concurrency). */
  max: number;
  /** The floor (default 1). */
  min?: number;
  /** Successes in a row that give one slot back (default 10). */
  growEvery?: number;
  /** The pause after a 429 that gave no wait (default 1000 ms). */
  defaultPauseMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

/** One target's adaptive limit, shared by every run in the process. */
export class AdaptiveLimit {
  #limit: number;
  #max: number;
  readonly #min: number;
  readonly #growEvery: number;
  readonly #defaultPauseMs: number;
  readonly #now: () => number;
  #successes = 0;
  #pausedUntil = 0;
  /** How many 429s were seen (reports, tests). */
  rateLimited = 0;

  /** @param options the cap and how to adapt */
  constructor(options: AdaptiveLimitOptions) {
    this.#max = Math.max(1, options.max);
    this.#min = Math.max(1, options.min ?? 1);
    this.#limit = this.#max;
    this.#growEvery = options.growEvery ?? 10;
    this.#defaultPauseMs = options.defaultPauseMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** The concurrency allowed now. */
  get limit(): number {
    return this.#limit;
  }

  /** Raises or lowers the cap (a run with another concurrency joins). */
  setMax(max: number): void {
    this.#max = Math.max(1, max);
    this.#limit = Math.min(this.#limit, this.#max);
  }

  /** Milliseconds until requests may go out again (0 when not paused). */
  waitMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }

  /** Resolves when the pause (if any) is over, or at once when `signal` aborts. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (
      let wait = this.waitMs();
      wait > 0 && !signal?.aborted;
      wait = this.waitMs()
    ) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        }
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  }

  /** A request succeeded (or failed for a reason other than a rate limit). */
  onSuccess(): void {
    this.#successes++;
    if (this.#successes >= this.#growEvery && this.#limit < this.#max) {
      this.#limit++;
      this.#successes = 0;
    }
  }

  /** A 429: halve the limit and pause for the asked wait. */
  onRateLimited(retryAfterMs?: number): void {
    this.rateLimited++;
    this.#successes = 0;
    this.#limit = Math.max(this.#min, Math.floor(this.#limit / 2));
    const until = this.#now() + (retryAfterMs ?? this.#defaultPauseMs);
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}
