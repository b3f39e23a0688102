/**
 * Whether a run measured anything. A run that ends with E = 0 (no case
 * left to score once `invalid_schema`, `infra_error` and `skipped` are set
 * aside), or in which more than half of the attempted cases ended
 * `infra_error`, ends `failed` with a reason, and never reaches the board,
 * a ranking, a trend or a drift baseline (they take `done` runs only). An
 * engine that refuses the key fails the run at once (`auth_failed`): the
 * worker checks the engine's description and every answer with
 * {@link isAuthRefusal}.
 *
 * @example
 * ```ts
 * import { failureOf } from "./failure.ts";
 * failureOf({
 *   summary: { total: 3, by_outcome: { infra_error: 3 } },
 *   infraMessages: ["transport: Connection refused (after 4 tries)"],
 * });
 * // { reason: "engine_down", message: "the engine could not be reached: …" }
 * ```
 * @module
 */
import { isUnreachable } from "../../evaluators/targets/transport/http_errors.ts";

/**
 * Why a run failed.
 *
 * @example
 * ```ts
 * FAILURE_REASONS.includes("auth_failed"); // true
 * ```
 */
export const FAILURE_REASONS = [
  "auth_failed",
  "engine_down",
  "mostly_infra_errors",
  "nothing_measured",
] as const;

/**
 * One of {@link FAILURE_REASONS}.
 *
 * @example
 * ```ts
 * const reason: FailureReason = "engine_down";
 * ```
 */
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * A failed run's reason and the sentence that says it.
 *
 * @example
 * ```ts
 * const failure: Failure = { reason: "nothing_measured", message: "no case could be scored" };
 * ```
 */
export interface Failure {
  reason: FailureReason;
  message: string;
}

/**
 * What each reason says, in words (the run page's banner, the CLI).
 *
 * @example
 * ```ts
 * FAILURE_TEXT.auth_failed; // "the engine refused the API key"
 * ```
 */
export const FAILURE_TEXT: Readonly<Record<FailureReason, string>> = {
  auth_failed: "the engine refused the API key",
  engine_down: "the engine could not be reached",
  mostly_infra_errors:
    "more than half of the attempted cases ended infra_error",
  nothing_measured:
    "no case could be scored (every case was invalid_schema, infra_error or skipped)",
};

/**
 * Whether an error message is the engine refusing the key: an HTTP 401 or
 * 403, as every adapter words it (`HTTP 401: …`, `GET /props: HTTP 403`).
 *
 * @example
 * ```ts
 * isAuthRefusal("HTTP 401: Incorrect API key provided"); // true
 * isAuthRefusal("HTTP 404: no such model"); // false
 * ```
 */
export function isAuthRefusal(message: string | null | undefined): boolean {
  return !!message && /\bHTTP 40[13]\b/.test(message);
}

/**
 * Whether a request's error is the key itself refused (HTTP 401), which
 * every later request of the run would meet too. A 403 on one request is
 * not: providers answer 403 for one flagged prompt (moderation), so it is
 * that case's `infra_error`, and only a run whose infra errors are all
 * refusals ends `auth_failed`.
 *
 * @example
 * ```ts
 * isKeyRefused("HTTP 401: Incorrect API key provided"); // true
 * isKeyRefused("HTTP 403: flagged input"); // false
 * ```
 */
export function isKeyRefused(message: string | null | undefined): boolean {
  return !!message && /\bHTTP 401\b/.test(message);
}

/** What {@link failureOf} reads of a finished run. */
export interface FailureInput {
  /** The run's counts: cases in it, and by outcome. */
  summary: { total: number; by_outcome: Partial<Record<string, number>> };
  /** The error message of every `infra_error` result. */
  infraMessages: readonly (string | null)[];
}

/**
 * Why a finished run measured nothing, or null when it measured something.
 * More than half of the attempted (not `skipped`) cases `infra_error`:
 * `auth_failed` when every one of them is a refused key, `engine_down`
 * when every attempted case ended so with the engine unreachable, else
 * `mostly_infra_errors`. Otherwise E = 0: `nothing_measured`.
 *
 * @example
 * ```ts
 * failureOf({ summary: { total: 2, by_outcome: { invalid_schema: 2 } }, infraMessages: [] })?.reason;
 * // "nothing_measured"
 * failureOf({ summary: { total: 2, by_outcome: { valid: 1, infra_error: 1 } }, infraMessages: [null] });
 * // null
 * ```
 */
export function failureOf(input: FailureInput): Failure | null {
  const count = (outcome: string) => input.summary.by_outcome[outcome] ?? 0;
  const attempted = input.summary.total - count("skipped");
  const infra = count("infra_error");
  const e = attempted - infra - count("invalid_schema");
  const fail = (reason: FailureReason, detail: string): Failure => ({
    reason,
    message: `${FAILURE_TEXT[reason]}${detail}`,
  });
  if (attempted > 0 && infra > attempted / 2) {
    const messages = input.infraMessages;
    const example = messages.find((m) => m) ?? null;
    const detail = example ? `: ${example}` : "";
    if (messages.length > 0 && messages.every(isAuthRefusal)) {
      return fail("auth_failed", detail);
    }
    if (infra === attempted && messages.every(isUnreachable)) {
      return fail("engine_down", detail);
    }
    return fail("mostly_infra_errors", ` (${infra} of ${attempted})${detail}`);
  }
  if (e <= 0) return fail("nothing_measured", "");
  return null;
}
