/**
 * The thresholds of `deno task run --config`: their names, read from the
 * one list of score columns (`evaluators/metrics/score_columns.ts`), and
 * their check against a finished run.
 *
 * A score where higher is better takes `min_<key>` (its point estimate at
 * least the limit) and, for a proportion, `min_<key>_lower` (its 95%
 * interval's lower bound at least the limit); one where lower is better
 * takes `max_<key>` (and `max_<key>_upper` for a proportion). Besides
 * them, `max_infra_error_rate`: the share of the run's cases that ended
 * `infra_error`.
 *
 * @example
 * ```ts
 * import { checkThresholds, parseThresholds } from "./thresholds.ts";
 * import type { RunJson } from "./report.ts";
 * declare const run: RunJson;
 * const thresholds = parseThresholds({ min_empirical_coverage: 0.9 }, "/thresholds");
 * for (const verdict of checkThresholds(run, thresholds)) {
 *   console.log(verdict.name, verdict.ok);
 * }
 * ```
 * @module
 */
import {
  SCORE_COLUMNS,
  type ScoreKey,
  scoreValue,
  type ScoreValues,
} from "../../evaluators/metrics/score_columns.ts";
import type { RunJson } from "./report.ts";

/**
 * One threshold: which figure, which way, and its limit.
 *
 * @example
 * ```ts
 * const threshold: Threshold = {
 *   name: "min_empirical_coverage_lower",
 *   figure: "empirical_coverage",
 *   side: "low",
 *   bound: "min",
 *   limit: 0.8,
 * };
 * ```
 */
export interface Threshold {
  name: string;
  /** A score column's key, or the share of `infra_error` cases. */
  figure: ScoreKey | "infra_error_rate";
  /** The point estimate, or an end of a proportion's interval. */
  side: "value" | "low" | "high";
  /** `min`: the figure must be at least the limit; `max`: at most. */
  bound: "min" | "max";
  limit: number;
}

/**
 * Every threshold name, with what it compares.
 *
 * @example
 * ```ts
 * THRESHOLD_NAMES.has("min_empirical_coverage_lower"); // true
 * THRESHOLD_NAMES.has("max_infra_error_rate"); // true
 * ```
 */
export const THRESHOLD_NAMES: ReadonlyMap<
  string,
  Omit<Threshold, "name" | "limit">
> = (() => {
  const names = new Map<string, Omit<Threshold, "name" | "limit">>();
  for (const column of SCORE_COLUMNS) {
    const bound = column.better === "higher" ? "min" : "max";
    names.set(`${bound}_${column.key}`, {
      figure: column.key,
      side: "value",
      bound,
    });
    if (column.format === "proportion") {
      const end = bound === "min" ? "lower" : "upper";
      names.set(`${bound}_${column.key}_${end}`, {
        figure: column.key,
        side: bound === "min" ? "low" : "high",
        bound,
      });
    }
  }
  names.set("max_infra_error_rate", {
    figure: "infra_error_rate",
    side: "value",
    bound: "max",
  });
  return names;
})();

/**
 * A threshold the config names wrongly.
 *
 * @example
 * ```ts
 * try {
 *   parseThresholds({ min_coverage: 1 }, "/thresholds");
 * } catch (error) {
 *   if (error instanceof ThresholdError) console.error(error.message);
 * }
 * ```
 */
export class ThresholdError extends Error {
  /** @param message what is wrong, with where */
  constructor(message: string) {
    super(message);
    this.name = "ThresholdError";
  }
}

/**
 * The thresholds of one `thresholds` object; `where` is its JSON pointer
 * in the config, for the error an unknown name throws.
 *
 * @example
 * ```ts
 * parseThresholds({ max_infra_error_rate: 0.05 }, "/thresholds")[0].bound; // "max"
 * ```
 */
export function parseThresholds(
  raw: Record<string, number>,
  where: string,
): Threshold[] {
  return Object.entries(raw).map(([name, limit]) => {
    const known = THRESHOLD_NAMES.get(name);
    if (!known) {
      throw new ThresholdError(
        `${where}/${name} is not a threshold (thresholds: ${
          [...THRESHOLD_NAMES.keys()].join(", ")
        })`,
      );
    }
    return { name, limit, ...known };
  });
}

/**
 * One threshold checked on one run: the figure it read (null when the run
 * has none) and whether it holds.
 *
 * @example
 * ```ts
 * const verdict: Verdict = { name: "min_compliance", limit: 0.9, value: 0.95, ok: true };
 * ```
 */
export interface Verdict {
  name: string;
  limit: number;
  value: number | null;
  ok: boolean;
}

/**
 * What a threshold reads of a run: its outcome counts and its scores (a
 * {@link RunJson} is one).
 *
 * @example
 * ```ts
 * const figures: RunFigures = {
 *   progress: { total: 10, done: 10, by_outcome: { valid: 9, infra_error: 1 } },
 *   scores: { compliance: { value: 0.9, low: 0.6, high: 0.98, n: 10 } },
 * };
 * ```
 */
export interface RunFigures {
  progress: RunJson["progress"];
  scores?: ScoreValues;
}

function figureOf(run: RunFigures, threshold: Threshold): number | null {
  if (threshold.figure === "infra_error_rate") {
    const total = run.progress.total;
    return total > 0
      ? (run.progress.by_outcome.infra_error ?? 0) / total
      : null;
  }
  const column = SCORE_COLUMNS.find((c) => c.key === threshold.figure)!;
  const scores: ScoreValues = run.scores ?? {};
  const found = scoreValue(scores, column);
  if (found === null || typeof found === "number") return found;
  return found[threshold.side];
}

/**
 * Each threshold checked on `run`: a figure the run lacks fails.
 *
 * @example
 * ```ts
 * import type { RunJson } from "./report.ts";
 * declare const run: RunJson;
 * checkThresholds(run, parseThresholds({ min_compliance: 0.5 }, ""))[0].ok; // true when compliance ≥ 0.5
 * ```
 */
export function checkThresholds(
  run: RunFigures,
  thresholds: readonly Threshold[],
): Verdict[] {
  return thresholds.map((threshold) => {
    const value = figureOf(run, threshold);
    const ok = value !== null &&
      (threshold.bound === "min"
        ? value >= threshold.limit
        : value <= threshold.limit);
    return { name: threshold.name, limit: threshold.limit, value, ok };
  });
}
