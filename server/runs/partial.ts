/**
 * Whether a finished run measures its target, or is partial: a board row is
 * the latest finished public run of a target that ran the WHOLE suite with
 * the target's own generation settings. A partial run is kept and shown in
 * the target's history and its own report, never on the board, in a
 * suite's ranking, or as a drift baseline. The worker judges a run once,
 * when it finishes (the migration that added the column judged the runs
 * stored before it with the same rules, in SQL, and the same words).
 *
 * @example
 * ```ts
 * import { partialReasons } from "./partial.ts";
 * import type { RunOptions } from "./options.ts";
 * declare const options: RunOptions;
 * const reasons = partialReasons({
 *   options,
 *   target: { mode: "json_schema", params: {} },
 *   suiteCases: 10,
 *   summary: { total: 5, by_outcome: {} },
 * });
 * reasons; // ["ran 5 of the suite's 10 cases"]
 * ```
 * @module
 */
import { canonicalJson } from "../../evaluators/validation/canonical_json.ts";
import { resolveRunOptions, type RunOptions } from "./options.ts";

/**
 * Above this share of a run's cases ending `infra_error` or `skipped`, the
 * run is partial: what it measured is not the whole suite.
 *
 * @example
 * ```ts
 * LOST_CASES_LIMIT; // 0.05
 * ```
 */
export const LOST_CASES_LIMIT = 0.05;

/**
 * The generation parameters a run may not override and still stand for its
 * target (the prompt template follows from `few_shot` unless given).
 *
 * @example
 * ```ts
 * GENERATION_PARAMETERS.includes("max_tokens"); // true
 * ```
 */
export const GENERATION_PARAMETERS = [
  "temperature",
  "max_tokens",
  "few_shot",
  "prompt_template",
  // A timeout while the engine stays healthy counts against it (issue 14).
  "timeout_ms",
] as const;

/** What {@link partialReasons} reads of a finished run. */
export interface PartialInput {
  /** The run's stored options. */
  options: Pick<
    RunOptions,
    (typeof GENERATION_PARAMETERS)[number] | "mode" | "distortion"
  >;
  /** The target as it is when the run finishes. */
  target: { mode: string; params: Record<string, unknown> };
  /** Cases in the suite. */
  suiteCases: number;
  /** The run's counts: cases in it, and by outcome. */
  summary: { total: number; by_outcome: Partial<Record<string, number>> };
}

/**
 * Why a finished run is partial, in words (empty for a full run): it left
 * cases out, is a distortion run, overrode the target's generation parameters, ran in a mode
 * other than its target's, or lost more than {@link LOST_CASES_LIMIT} of
 * its cases to `infra_error` or `skipped`.
 *
 * @example
 * ```ts
 * import type { RunOptions } from "./options.ts";
 * declare const options: RunOptions;
 * partialReasons({
 *   options: { ...options, max_tokens: 64 },
 *   target: { mode: options.mode, params: {} },
 *   suiteCases: 4,
 *   summary: { total: 4, by_outcome: { infra_error: 1 } },
 * }); // ["overrides the target's max_tokens", "1 of 4 cases infra_error or skipped (over 5%)"]
 * ```
 */
export function partialReasons(input: PartialInput): string[] {
  const { options, target, suiteCases, summary } = input;
  const reasons: string[] = [];
  if (options.distortion) {
    // Its own kind of run, whatever the target's settings: its figures
    // have their own board.
    reasons.push("a distortion run (its sampling settings are its own)");
  }
  if (summary.total < suiteCases) {
    reasons.push(`ran ${summary.total} of the suite's ${suiteCases} cases`);
  }
  const own = resolveRunOptions({}, target);
  const overridden = GENERATION_PARAMETERS.filter((key) =>
    key === "prompt_template"
      // A template that differs only through few_shot is said once.
      ? options.few_shot === own.few_shot &&
        canonicalJson(options.prompt_template) !==
          canonicalJson(own.prompt_template)
      : options[key] !== own[key]
  );
  if (overridden.length > 0) {
    reasons.push(`overrides the target's ${overridden.join(", ")}`);
  }
  if (options.mode !== target.mode) {
    reasons.push(
      `ran in mode ${options.mode}, not the target's ${target.mode}`,
    );
  }
  const lost = (summary.by_outcome.infra_error ?? 0) +
    (summary.by_outcome.skipped ?? 0);
  if (summary.total > 0 && lost > LOST_CASES_LIMIT * summary.total) {
    reasons.push(
      `${lost} of ${summary.total} cases infra_error or skipped (over 5%)`,
    );
  }
  return reasons;
}

/**
 * The stored form of {@link partialReasons}: the `partial` flag and its
 * reason (the reasons joined by "; "), as `runs` keeps them.
 *
 * @example
 * ```ts
 * partialColumns(["ran 5 of the suite's 10 cases"]); // { partial: true, partialReason: "ran 5 of the suite's 10 cases" }
 * partialColumns([]); // { partial: false, partialReason: null }
 * ```
 */
export function partialColumns(
  reasons: readonly string[],
): { partial: boolean; partialReason: string | null } {
  return reasons.length > 0
    ? { partial: true, partialReason: reasons.join("; ") }
    : { partial: false, partialReason: null };
}
