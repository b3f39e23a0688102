/**
 * Distortion: how far a constrained engine's samples (q) are from the
 * model's own distribution restricted to valid outputs (g = p·[y ∈ L]/Z),
 * estimated from N constrained and N unconstrained samples of one case.
 *
 * Per case: Ẑ, the share of valid unconstrained samples (a Wilson
 * interval); the likelihood gap, the mean per-token log p of the
 * constrained samples minus that of the valid unconstrained samples (the
 * exact draws from g), with a stratified bootstrap interval; and for
 * small-support schemas the value divergence, the total variation distance
 * between the canonical values of the constrained samples and of the valid
 * unconstrained samples, bias-corrected by the bootstrap's own bias
 * estimate (2·TV̂ − mean of the replicates, with the basic bootstrap
 * interval; see value_divergence.ts). Per run:
 * the mean of each per-case figure over the cases where it is defined,
 * with a bootstrap over cases. docs/methodology.md (Distortion) gives the
 * formulas.
 *
 * @example
 * ```ts
 * import { caseDistortion, type DistortionSample } from "./distortion.ts";
 * const sample = (arm: DistortionSample["arm"], index: number, value: string | null): DistortionSample => ({
 *   arm, index, seed: index, text: value ?? "nope", valid: value !== null, value,
 *   token_logprobs: [-0.5, -1], eog_included: true,
 * });
 * const figures = caseDistortion([
 *   sample("constrained", 0, "true"), sample("constrained", 1, "false"),
 *   sample("unconstrained", 0, "true"), sample("unconstrained", 1, null),
 * ], { seed: 1, smallSupport: true, logprobsPreConstraint: true });
 * figures.z.value; // 0.5
 * ```
 * @module
 */
import { canonicalJson } from "../validation/canonical_json.ts";
import { bootstrapStatistic, stratifiedReplicates } from "./bootstrap.ts";
import { wilson } from "./stats.ts";
import { INVALID_CATEGORY, valueDivergence } from "./value_divergence.ts";

export { canonicalJson } from "../validation/canonical_json.ts";
export { smallSupport, supportSize } from "./small_support.ts";
export { totalVariation } from "./value_divergence.ts";

/**
 * One sample of a distortion case.
 *
 * @example
 * ```ts
 * const s: DistortionSample = {
 *   arm: "unconstrained", index: 0, seed: 17, text: "true", valid: true,
 *   value: "true", token_logprobs: [-0.2, -0.1], eog_included: true,
 * };
 * ```
 */
export interface DistortionSample {
  /** constrained = the target's mode; unconstrained = prompt_only. */
  arm: "constrained" | "unconstrained";
  /** 0..N-1 within its arm. */
  index: number;
  /** The seed it was drawn with. */
  seed: number;
  /** The engine's raw text (null when the request failed). */
  text: string | null;
  /** Parses (same fence stripping as outcomes) and validates. */
  valid: boolean;
  /** Canonical JSON of the parsed value ({@link canonicalJson}), when it parses. */
  value: string | null;
  /** Raw (pre-sampler, pre-grammar) log p of each generated token. */
  token_logprobs: number[] | null;
  /** Whether the end-of-generation token's log p is in token_logprobs. */
  eog_included: boolean;
  /** Prompt tokens of its request, when the engine says. */
  prompt_tokens?: number;
  /** Completion tokens of its request, when the engine says. */
  completion_tokens?: number;
}

/**
 * A point estimate with a 95% interval.
 *
 * @example
 * ```ts
 * const e: Estimate = { value: 0.2, lower: 0.1, upper: 0.35 };
 * ```
 */
export interface Estimate {
  value: number;
  lower: number;
  upper: number;
}

/**
 * Per-case figures.
 *
 * @example
 * ```ts
 * const none: CaseDistortion = {
 *   n_constrained: 0, n_unconstrained: 0,
 *   z: { value: 0, lower: 0, upper: 1, valid: 0, n: 0 }, z_zero: true,
 *   gap: null, divergence: null,
 * };
 * ```
 */
export interface CaseDistortion {
  /** Constrained samples whose request succeeded. */
  n_constrained: number;
  /** Unconstrained samples whose request succeeded. */
  n_unconstrained: number;
  /** Ẑ with its Wilson interval ([0, 1] when there is no sample). */
  z: Estimate & { valid: number; n: number };
  /** No valid unconstrained sample: g is not estimable. */
  z_zero: boolean;
  /** Null when z_zero, logprobs are missing, or not pre-constraint. */
  gap: Estimate | null;
  /** Null when the schema is not small-support or z_zero. */
  divergence: (Estimate & { support: number }) | null;
}

/**
 * How to estimate a case's figures.
 *
 * @example
 * ```ts
 * const o: CaseDistortionOptions = { seed: 7, smallSupport: true, logprobsPreConstraint: true };
 * ```
 */
export interface CaseDistortionOptions {
  /** Bootstrap RNG seed (reproducible). */
  seed: number;
  /** From smallSupport(schema) (or the suite's tag). */
  smallSupport: boolean;
  /** llama.cpp: true; OpenAI-style: false (the gap is not computed). */
  logprobsPreConstraint: boolean;
  /** Bootstrap resamples; default {@link DEFAULT_RESAMPLES}. */
  resamples?: number;
}

/** Bootstrap resamples unless told otherwise. */
export const DEFAULT_RESAMPLES = 1000;

/** The key of a constrained sample that is not valid (never a JSON text). */
const INVALID = "\u0000invalid";

const mean = (xs: readonly number[]) => {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
};

/**
 * A sample's per-token log probability: the mean of its tokens' raw log
 * probabilities; null without them.
 *
 * @example
 * ```ts
 * perTokenLogprob([-1, -3]); // -2
 * perTokenLogprob(null); // null
 * ```
 */
export function perTokenLogprob(logprobs: readonly number[] | null) {
  if (logprobs === null || logprobs.length === 0) return null;
  if (!logprobs.every(Number.isFinite)) return null;
  return mean(logprobs);
}

function percentileOf(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function gapOf(
  constrained: DistortionSample[],
  valid: DistortionSample[],
  options: CaseDistortionOptions,
): Estimate | null {
  if (!options.logprobsPreConstraint) return null;
  const a = constrained.map((s) => perTokenLogprob(s.token_logprobs));
  const b = valid.map((s) => perTokenLogprob(s.token_logprobs));
  if (a.length === 0 || b.length === 0) return null;
  if (a.includes(null) || b.includes(null)) return null;
  const { value, replicates } = stratifiedReplicates(
    [a as number[], b as number[]],
    ([x, y]) => mean(x) - mean(y),
    { seed: options.seed, resamples: options.resamples ?? DEFAULT_RESAMPLES },
  );
  replicates.sort((x, y) => x - y);
  return {
    value,
    lower: percentileOf(replicates, 0.025),
    upper: percentileOf(replicates, 0.975),
  };
}

function divergenceOf(
  constrained: DistortionSample[],
  valid: DistortionSample[],
  options: CaseDistortionOptions,
): (Estimate & { support: number }) | null {
  if (constrained.length === 0 || valid.length === 0) return null;
  const ids = new Map<string, number>([[INVALID, INVALID_CATEGORY]]);
  const id = (key: string) => {
    let at = ids.get(key);
    if (at === undefined) ids.set(key, at = ids.size);
    return at;
  };
  const key = (s: DistortionSample) =>
    s.valid && s.value !== null ? s.value : INVALID;
  const a = constrained.map((s) => id(key(s)));
  const b = valid.map((s) => id(key(s)));
  const k = ids.size;
  const estimate = valueDivergence(a, b, k, {
    seed: options.seed + 1,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
  });
  return {
    ...estimate,
    support: k - 1,
  };
}

/**
 * The figures of one case from its samples (those whose request failed,
 * `text` null, are left out of every figure).
 *
 * @example
 * ```ts
 * const figures = caseDistortion([], { seed: 1, smallSupport: true, logprobsPreConstraint: true });
 * figures.z_zero; // true
 * ```
 */
export function caseDistortion(
  samples: DistortionSample[],
  options: CaseDistortionOptions,
): CaseDistortion {
  const answered = samples.filter((s) => s.text !== null);
  const constrained = answered.filter((s) => s.arm === "constrained");
  const unconstrained = answered.filter((s) => s.arm === "unconstrained");
  const valid = unconstrained.filter((s) => s.valid);
  const w = wilson(valid.length, unconstrained.length);
  const zZero = valid.length === 0;
  return {
    n_constrained: constrained.length,
    n_unconstrained: unconstrained.length,
    z: {
      value: w.value ?? 0,
      lower: w.low ?? 0,
      upper: w.high ?? 1,
      valid: valid.length,
      n: unconstrained.length,
    },
    z_zero: zZero,
    gap: zZero ? null : gapOf(constrained, valid, options),
    divergence: zZero || !options.smallSupport
      ? null
      : divergenceOf(constrained, valid, options),
  };
}

/**
 * Per-run figures: means over the cases where each is defined, with a
 * bootstrap over cases.
 *
 * @example
 * ```ts
 * const r: RunDistortion = {
 *   cases: 0, z_zero_cases: 0, z: { value: 0, lower: 0, upper: 1 }, gap: null, divergence: null,
 * };
 * ```
 */
export interface RunDistortion {
  /** Cases with figures. */
  cases: number;
  /** Cases with no valid unconstrained sample (g not estimable). */
  z_zero_cases: number;
  /** Mean Ẑ over all cases with an unconstrained sample. */
  z: Estimate;
  /** Mean gap over the cases that have one. */
  gap: (Estimate & { cases: number }) | null;
  /** Mean bias-corrected divergence over the cases that have one. */
  divergence: (Estimate & { cases: number }) | null;
}

function meanOverCases(
  values: number[],
  seed: number,
  resamples: number,
): Estimate | null {
  if (values.length === 0) return null;
  const b = bootstrapStatistic(values, mean, { seed, resamples });
  return { value: b.value!, lower: b.low!, upper: b.high! };
}

/**
 * A run's figures from its cases' figures.
 *
 * @example
 * ```ts
 * const run = runDistortion([], { seed: 1 });
 * run.cases; // 0
 * ```
 */
export function runDistortion(
  cases: CaseDistortion[],
  options: { seed: number; resamples?: number },
): RunDistortion {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const z = meanOverCases(
    cases.filter((c) => c.z.n > 0).map((c) => c.z.value),
    options.seed,
    resamples,
  );
  const gaps = cases.flatMap((c) => c.gap ? [c.gap.value] : []);
  const divergences = cases.flatMap((c) =>
    c.divergence ? [c.divergence.value] : []
  );
  const gap = meanOverCases(gaps, options.seed + 1, resamples);
  const divergence = meanOverCases(divergences, options.seed + 2, resamples);
  return {
    cases: cases.length,
    z_zero_cases: cases.filter((c) => c.z_zero).length,
    z: z ?? { value: 0, lower: 0, upper: 1 },
    gap: gap && { ...gap, cases: gaps.length },
    divergence: divergence && { ...divergence, cases: divergences.length },
  };
}

/**
 * Builds a sample's `valid` and `value` from its parsed instance: `value`
 * is the canonical JSON of what parsed (undefined: it did not parse).
 *
 * @example
 * ```ts
 * sampleValue({ b: 1, a: 2 }); // '{"a":2,"b":1}'
 * sampleValue(undefined); // null
 * ```
 */
export function sampleValue(instance: unknown): string | null {
  return instance === undefined ? null : canonicalJson(instance);
}
