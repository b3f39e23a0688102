/**
 * What a finished run stores as its summary: its scores
 * (`computeScores`) and, for a quality run, its accuracy: the share of the
 * cases with a verdict (`correct` set) that were answered right, with its
 * 95% Wilson interval. The worker's finish and the test seeds both store
 * this, so the board, the run page and the downloads read the same
 * accuracy that `GET /api/runs/:id` reports.
 *
 * @example
 * ```ts
 * import { runSummary } from "./summary.ts";
 * const summary = runSummary([
 *   { outcome: "valid", correct: true },
 *   { outcome: "valid", correct: false },
 * ]);
 * summary.accuracy?.value; // 0.5
 * runSummary([{ outcome: "valid" }]).accuracy; // undefined: not a quality run
 * ```
 * @module
 */
import { computeScores, type RunSummary, type ScoredResult } from "./scores.ts";
import { type Proportion, wilson } from "./stats.ts";

/**
 * One result as the summary reads it: what scoring needs, and the quality
 * verdict (null or absent when the case has no known answer).
 *
 * @example
 * ```ts
 * import type { SummarizedResult } from "./summary.ts";
 * const result: SummarizedResult = { outcome: "valid", correct: true };
 * ```
 */
export interface SummarizedResult extends ScoredResult {
  correct?: boolean | null;
}

/**
 * The accuracy of a quality run's results (those with a verdict), or null
 * when none has one.
 *
 * @example
 * ```ts
 * import { accuracyOf } from "./summary.ts";
 * accuracyOf([{ correct: true }, { correct: false }, { correct: null }])?.n; // 2
 * accuracyOf([{ correct: null }]); // null
 * ```
 */
export function accuracyOf(
  results: readonly { correct?: boolean | null }[],
): Proportion | null {
  let n = 0;
  let right = 0;
  for (const r of results) {
    if (r.correct === null || r.correct === undefined) continue;
    n++;
    if (r.correct) right++;
  }
  return n === 0 ? null : wilson(right, n);
}

/**
 * A run's summary from all its results: the scores, and the accuracy
 * when any result has a quality verdict.
 *
 * @example
 * ```ts
 * import { runSummary } from "./summary.ts";
 * runSummary([{ outcome: "valid", correct: true }]).accuracy?.n; // 1
 * ```
 */
export function runSummary(
  results: readonly SummarizedResult[],
): RunSummary {
  const accuracy = accuracyOf(results);
  return {
    ...computeScores(results),
    ...(accuracy ? { accuracy } : {}),
  };
}
