/**
 * The sampling fields of a llama.cpp request (`/completion` and
 * `/v1/chat/completions` read the same names): the sampler settings a run
 * set, and, with `logprobs`, `n_probs: 1` with `post_sampling_probs: false`,
 * so that each generated token comes with the probability of the chosen
 * token under a softmax of the RAW logits (before the sampler chain and the
 * grammar): exact, and the same whether the output was constrained or not.
 *
 * @example
 * ```ts
 * import { llamaSampling } from "./llamacpp_sampling.ts";
 * llamaSampling({ top_k: 0, logprobs: true });
 * // { top_k: 0, n_probs: 1, post_sampling_probs: false }
 * ```
 * @module
 */
import type { GenerationParams } from "./target.ts";

/** The llama.cpp name of each sampling field that has one. */
const FIELDS = {
  top_k: "top_k",
  top_p: "top_p",
  min_p: "min_p",
  repeat_penalty: "repeat_penalty",
  presence_penalty: "presence_penalty",
  frequency_penalty: "frequency_penalty",
} as const satisfies Partial<Record<keyof GenerationParams, string>>;

/**
 * The neutral value of every other sampler llama.cpp runs
 * (`params.other_samplers_off`).
 */
const OTHERS_OFF = {
  typical_p: 1,
  xtc_probability: 0,
  dry_multiplier: 0,
  mirostat: 0,
  top_n_sigma: -1,
};

/**
 * The request fields for `params`' sampling settings (nothing for what is
 * unset: the server's defaults stand).
 *
 * @example
 * ```ts
 * llamaSampling({}); // {}
 * llamaSampling({ other_samplers_off: true }).mirostat; // 0
 * ```
 */
export function llamaSampling(
  params: GenerationParams,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(FIELDS)) {
    const value = params[key as keyof typeof FIELDS];
    if (value !== undefined) fields[name] = value;
  }
  if (params.other_samplers_off) Object.assign(fields, OTHERS_OFF);
  if (params.logprobs) {
    fields.n_probs = 1;
    fields.post_sampling_probs = false;
  }
  return fields;
}
