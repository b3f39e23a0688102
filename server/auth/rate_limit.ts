/**
 * A token-bucket rate limiter keyed by a string (a token id, a client
 * address). Each key may spend `perMinute` requests in a burst and earns
 * them back evenly over a minute. Memory stays bounded: at most `maxKeys`
 * buckets are kept, the least recently used going first (a forgotten key
 * starts with a full bucket, which only ever errs toward allowing).
 *
 * @example
 * ```ts
 * import { RateLimiter } from "./rate_limit.ts";
 * const limiter = new RateLimiter({ perMinute: 60 });
 * const verdict = limiter.take("token:abc");
 * if (!verdict.ok) console.log(`retry after ${verdict.retryAfterS} s`);
 * ```
 * @module
 */

/** A limiter's answer. */
export type RateVerdict = { ok: true } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per minute per key (also the burst). */
  perMinute: number;
  /** The most keys kept at once (default 100,000). */
  maxKeys?: number;
  /** The clock, in ms (tests pass their own). */
  now?: () => number;
}

/**
 * Token buckets per key.
 *
 * @example
 * ```ts
 * new RateLimiter({ perMinute: 2 }).take("ip:127.0.0.1").ok; // true
 * ```
 */
export class RateLimiter {
  #buckets = new Map<string, Bucket>();
  #perMinute: number;
  #maxKeys: number;
  #now: () => number;

  /** @param options see {@link RateLimiterOptions} */
  constructor(options: RateLimiterOptions) {
    this.#perMinute = options.perMinute;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Whether `key` could spend a request now, without spending it (so that
   * a request refused by another limit costs nothing here).
   *
   * @example
   * ```ts
   * import type { RateLimiter } from "./rate_limit.ts";
   * declare const limiter: RateLimiter;
   * if (limiter.peek("token:abc").ok) limiter.take("token:abc");
   * ```
   */
  peek(key: string): RateVerdict {
    return this.#verdict(this.#refill(key));
  }

  /**
   * Spends one request of `key`, or says how long to wait (whole seconds,
   * at least 1).
   *
   * @example
   * ```ts
   * import type { RateLimiter } from "./rate_limit.ts";
   * declare const limiter: RateLimiter;
   * limiter.take("token:abc"); // { ok: true }
   * ```
   */
  take(key: string): RateVerdict {
    const bucket = this.#refill(key);
    const verdict = this.#verdict(bucket);
    if (verdict.ok) bucket.tokens -= 1;
    return verdict;
  }

  #refill(key: string): Bucket {
    const now = this.#now();
    const found = this.#buckets.get(key);
    const bucket = found ?? { tokens: this.#perMinute, at: now };
    bucket.tokens = Math.min(
      this.#perMinute,
      bucket.tokens + (now - bucket.at) * this.#perMinute / 60_000,
    );
    bucket.at = now;
    // Re-insert so the map's order is least recently used first.
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.#maxKeys) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    return bucket;
  }

  #verdict(bucket: Bucket): RateVerdict {
    if (bucket.tokens >= 1) return { ok: true };
    const perS = this.#perMinute / 60;
    return {
      ok: false,
      retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / perS)),
    };
  }
}
