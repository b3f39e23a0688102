/**
 * Seeded distortion trials on the reference sampler: N constrained and N
 * unconstrained draws of one tiny language as the samples a distortion run
 * stores, their per-case figures, and whether each figure's interval
 * covers the exact value. Shared by the exactness test and
 * `scripts/dev/distortion_coverage.ts`.
 *
 * @example
 * ```ts
 * import { coverage } from "./reference_trials.ts";
 * import { finiteLanguage } from "./reference_sampler.ts";
 * const l = finiteLanguage(['{"v":"pa"}', '{"v":"pb"}', '{"v":"q"}']);
 * coverage(l, { n: 500, trials: 3, seed: 1 }).trials; // 3
 * ```
 * @module
 */
import {
  canonicalJson,
  type CaseDistortion,
  caseDistortion,
  type DistortionSample,
} from "../../metrics/distortion.ts";
import {
  type Draw,
  exactDistortion,
  type Language,
  referenceSampler,
  seededRandom,
} from "./reference_sampler.ts";

/**
 * The constrained engine of a trial: locally constrained decoding, or
 * rejection sampling (which samples g: no distortion).
 *
 * @example
 * ```ts
 * const engine: ReferenceEngine = "local";
 * ```
 */
export type ReferenceEngine = "local" | "rejection";

const sampler = referenceSampler();

function sample(
  draw: Draw,
  arm: DistortionSample["arm"],
  index: number,
  language: Language,
): DistortionSample {
  let value: string | null = null;
  try {
    value = canonicalJson(JSON.parse(draw.text));
  } catch { /* not JSON */ }
  return {
    arm,
    index,
    seed: index,
    text: draw.text,
    valid: draw.ended && language.strings.has(draw.text),
    value,
    token_logprobs: draw.logprobs,
    eog_included: draw.ended,
  };
}

/**
 * One trial's figures: N draws per arm from `seed`.
 *
 * @example
 * ```ts
 * import { finiteLanguage } from "./reference_sampler.ts";
 * const f = referenceTrial(finiteLanguage(['{"v":true}', '{"v":false}']), 200, 7, "local");
 * f.n_constrained; // 200
 * ```
 */
export function referenceTrial(
  language: Language,
  n: number,
  seed: number,
  engine: ReferenceEngine,
  resamples = 1000,
): CaseDistortion {
  const uniform = seededRandom(seed);
  const samples: DistortionSample[] = [];
  for (let i = 0; i < n; i++) {
    const draw = engine === "local"
      ? sampler.constrained(language, uniform)
      : sampler.rejection(language, uniform);
    samples.push(sample(draw, "constrained", i, language));
  }
  for (let i = 0; i < n; i++) {
    samples.push(
      sample(sampler.unconstrained(uniform), "unconstrained", i, language),
    );
  }
  return caseDistortion(samples, {
    seed,
    smallSupport: true,
    logprobsPreConstraint: true,
    resamples,
  });
}

/**
 * How often each figure's interval covered the exact value.
 *
 * @example
 * ```ts
 * const c: Coverage = { trials: 1, z: 1, gap: 1, divergence: 0, validMean: 40 };
 * ```
 */
export interface Coverage {
  trials: number;
  z: number;
  gap: number;
  divergence: number;
  /** Mean number of valid unconstrained samples per trial. */
  validMean: number;
}

/**
 * Runs `trials` seeded trials (seeds `seed`, `seed + 1`, …) of locally
 * constrained decoding and counts the intervals that cover the exact Z,
 * gap and TV (trials with no valid unconstrained sample cover nothing).
 *
 * @example
 * ```ts
 * import { finiteLanguage } from "./reference_sampler.ts";
 * const l = finiteLanguage(['{"v":"lo"}', '{"v":"low"}']);
 * coverage(l, { n: 300, trials: 2, seed: 5 }).z <= 2; // true
 * ```
 */
export function coverage(
  language: Language,
  options: { n: number; trials: number; seed: number; resamples?: number },
): Coverage {
  const exact = exactDistortion(language);
  const out = { trials: options.trials, z: 0, gap: 0, divergence: 0 };
  let valid = 0;
  const covers = (e: { lower: number; upper: number } | null, x: number) =>
    e !== null && e.lower <= x && x <= e.upper ? 1 : 0;
  for (let t = 0; t < options.trials; t++) {
    const f = referenceTrial(
      language,
      options.n,
      options.seed + t,
      "local",
      options.resamples,
    );
    valid += f.z.valid;
    out.z += covers(f.z, exact.z);
    out.gap += covers(f.gap, exact.gap);
    out.divergence += covers(f.divergence, exact.tv);
  }
  return { ...out, validMean: valid / options.trials };
}
