/**
 * A distortion run's options, checked when the run is created: the target
 * must decode in `json_schema` or `json_object` mode and be of a kind that
 * can sample at temperature 1 with every truncation sampler off, per-sample
 * seeds and per-token log probabilities (`distortion_support.ts`); a
 * temperature other than 1 or a quality pair cannot go with it. Each
 * refusal is a 400 naming the option, never a run with silently different
 * settings. The sampling settings are stored with the run.
 *
 * @example
 * ```ts
 * import { distortionOptions } from "./distortion_options.ts";
 * const options = distortionOptions({ distortion: {} }, { kind: "llamacpp", mode: "json_schema" });
 * options?.samples; // 16
 * ```
 * @module
 */
import { distortionSupport } from "../../evaluators/targets/distortion_support.ts";
import { ApiError } from "../errors.ts";
import type {
  DistortionOptions,
  DistortionSampling,
  RunOptionsInput,
} from "./options.ts";

/**
 * Samples per arm and case when `distortion.samples` is not given.
 *
 * @example
 * ```ts
 * DEFAULT_DISTORTION_SAMPLES; // 16
 * ```
 */
export const DEFAULT_DISTORTION_SAMPLES = 16;

/**
 * The sampler settings of every distortion run: the model's own
 * distribution, nothing truncated, nothing penalised.
 *
 * @example
 * ```ts
 * DISTORTION_SAMPLING.top_k; // 0
 * ```
 */
export const DISTORTION_SAMPLING: DistortionSampling = {
  temperature: 1,
  top_k: 0,
  top_p: 1,
  min_p: 0,
  repeat_penalty: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
};

/**
 * The stored distortion options of a run, or undefined for a plain run;
 * throws a 400 {@link ApiError} for a request the target cannot honour.
 *
 * @example
 * ```ts
 * distortionOptions({}, { kind: "anthropic", mode: "json_schema" }); // undefined: not a distortion run
 * ```
 */
export function distortionOptions(
  input: RunOptionsInput,
  target: { kind: string; mode: string },
): DistortionOptions | undefined {
  if (!input.distortion) return undefined;
  const refuse = (message: string, pointer = "/options/distortion") => {
    throw new ApiError(400, "invalid_body", message, pointer);
  };
  if (target.mode !== "json_schema" && target.mode !== "json_object") {
    refuse(
      `a distortion run compares a constrained mode with prompt_only: this target's mode is ${target.mode}`,
    );
  }
  const support = distortionSupport(target.kind);
  if (!support.ok) {
    refuse(
      `a distortion run needs temperature 1 with top_k 0, top_p 1 and min_p 0, a seed per sample and per-token log probabilities: ${support.reason}`,
    );
    throw new Error("unreachable");
  }
  if (input.temperature !== undefined && input.temperature !== 1) {
    refuse(
      `a distortion run samples at temperature 1, not ${input.temperature}`,
      "/options/temperature",
    );
  }
  if (input.quality_pair) {
    refuse(
      "a distortion run draws its own unconstrained samples: quality_pair cannot go with it",
      "/options/quality_pair",
    );
  }
  return {
    samples: input.distortion.samples ?? DEFAULT_DISTORTION_SAMPLES,
    sampling: DISTORTION_SAMPLING,
    logprobs_pre_constraint: support.logprobsPreConstraint,
  };
}
