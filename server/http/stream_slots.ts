/**
 * Caps on long-lived answers (the run event streams): how many one client
 * address may hold, how many one token may hold, and how many the process
 * holds in all. Beyond a cap the caller gets a 429 with `Retry-After`;
 * a slot is held until the stream ends and its release is called.
 *
 * @example
 * ```ts
 * import { StreamSlots } from "./stream_slots.ts";
 * const slots = new StreamSlots({ total: 100, perClient: 4 });
 * const release = slots.acquire("203.0.113.7", null); // throws ApiError 429 over a cap
 * release();
 * ```
 * @module
 */
import { ApiError } from "../errors.ts";

/** The caps of a {@link StreamSlots}. */
export interface StreamCaps {
  /** Streams the process holds in all (`MAX_EVENT_STREAMS`). */
  total: number;
  /** Streams one client address, and apart one token, may hold (`MAX_EVENT_STREAMS_PER_CLIENT`). */
  perClient: number;
  /** Seconds a refused caller is told to wait (default 5). */
  retryAfterS?: number;
}

/**
 * Counts the streams held, by client address, by token and in all.
 *
 * @example
 * ```ts
 * import { StreamSlots } from "./stream_slots.ts";
 * const slots = new StreamSlots({ total: 2, perClient: 1 });
 * const a = slots.acquire("10.0.0.1", "token-1");
 * slots.held; // 1
 * a();
 * ```
 */
export class StreamSlots {
  readonly #byClient = new Map<string, number>();
  readonly #byToken = new Map<string, number>();
  #held = 0;

  /** @param caps the limits */
  constructor(readonly caps: StreamCaps) {}

  /** Streams held now, in all. */
  get held(): number {
    return this.#held;
  }

  /**
   * Takes a slot for a stream of `address` (and of `tokenId`, when the
   * caller has a token), or throws a 429 {@link ApiError} naming the cap.
   * The function returned gives the slot back; calling it again does
   * nothing.
   */
  acquire(address: string, tokenId: string | null): () => void {
    const { total, perClient } = this.caps;
    if (this.#held >= total) {
      throw this.#refuse(`the server holds its ${total} event streams`);
    }
    if ((this.#byClient.get(address) ?? 0) >= perClient) {
      throw this.#refuse(
        `this client address holds ${perClient} event streams already`,
      );
    }
    if (tokenId !== null && (this.#byToken.get(tokenId) ?? 0) >= perClient) {
      throw this.#refuse(`this token holds ${perClient} event streams already`);
    }
    this.#held++;
    bump(this.#byClient, address, 1);
    if (tokenId !== null) bump(this.#byToken, tokenId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held--;
      bump(this.#byClient, address, -1);
      if (tokenId !== null) bump(this.#byToken, tokenId, -1);
    };
  }

  #refuse(why: string): ApiError {
    return new ApiError(
      429,
      "too_many_streams",
      `${why}; close one or poll GET /api/runs/:id instead`,
    ).withHeader("Retry-After", String(this.caps.retryAfterS ?? 5));
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
