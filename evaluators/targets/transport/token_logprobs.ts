/**
 * The chosen token's log probability, gathered token by token from a
 * stream: llama.cpp's `/completion` events (`completion_probabilities`) and OpenAI-style chat chunks
 * (`choices[0].logprobs.content`). The list is kept only when it is whole
 * (one entry per generated token, as the engine counts them), so a sample's
 * mean log probability never silently covers part of its tokens.
 *
 * @example
 * ```ts
 * import { TokenLogprobs } from "./token_logprobs.ts";
 * const tally = new TokenLogprobs();
 * tally.add([{ token: "\"", logprob: -0.5 }, { token: "", logprob: -0.1 }]);
 * tally.result({ completionTokens: 2, stopped: true });
 * // { tokenLogprobs: [-0.5, -0.1], logprobsEog: true }
 * ```
 * @module
 */

/**
 * The most entries kept (the longest answer any run may ask for): past
 * it the list is dropped, so a hostile engine costs bounded memory.
 */
export const MAX_LOGPROB_ENTRIES = 131_072;

/** One token's entry as engines send it. */
export interface LogprobEntry {
  token?: unknown;
  logprob?: unknown;
}

/** What a finished stream tells about its tokens. */
export interface LogprobEnd {
  /** Generated tokens as the engine counted them (usage), when it said. */
  completionTokens?: number;
  /** Whether generation ended on the end-of-generation token (not the token limit). */
  stopped: boolean;
  /**
   * Whether the engine may count the end-of-generation token without
   * reporting its log probability (OpenAI-style servers): one entry fewer
   * than the count is then whole too.
   */
  eogMayBeUnreported?: boolean;
}

/** One stream's log probabilities being gathered. */
export class TokenLogprobs {
  #values: number[] = [];
  #lastToken: unknown = undefined;
  #broken = false;

  /** Adds the entries of one event or chunk (anything not a list is ignored). */
  add(entries: unknown): void {
    if (!Array.isArray(entries) || this.#broken) return;
    for (const entry of entries as LogprobEntry[]) {
      const value = typeof entry?.logprob === "number"
        ? entry.logprob
        : undefined;
      if (
        value === undefined || Number.isNaN(value) || value > 1e-6 ||
        this.#values.length >= MAX_LOGPROB_ENTRIES
      ) {
        this.#broken = true;
        return;
      }
      this.#values.push(Math.min(0, value));
      this.#lastToken = entry.token;
    }
  }

  /**
   * The gathered list, when it is whole, and whether it ends with the
   * end-of-generation token (an entry whose text is empty, at a stop).
   */
  result(
    end: LogprobEnd,
  ): { tokenLogprobs?: number[]; logprobsEog?: boolean } {
    const n = this.#values.length;
    if (this.#broken || n === 0) return {};
    const count = end.completionTokens;
    const whole = count === undefined || n === count ||
      (end.eogMayBeUnreported === true && end.stopped && n === count - 1);
    if (!whole) return {};
    return {
      tokenLogprobs: this.#values,
      logprobsEog: end.stopped && this.#lastToken === "",
    };
  }
}
