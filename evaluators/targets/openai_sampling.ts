/**
 * The sampling fields of an OpenAI-style chat request: `top_p`, the
 * presence and frequency penalties and `logprobs: true` for every kind;
 * `top_k` and `min_p` (and llama.cpp's `repeat_penalty`) only for a
 * self-hosted `openai-compatible` server (vLLM, SGLang, llama-server read
 * them; OpenAI's API has no such field and refuses unknown ones, and its
 * sampling truncates nothing at `top_p` 1). A `top_k` of 0 (off) is sent as
 * -1, which vLLM, SGLang and llama.cpp all read as "every token".
 *
 * @example
 * ```ts
 * import { openAiSampling } from "./openai_sampling.ts";
 * openAiSampling({ top_k: 0, top_p: 1, logprobs: true }, true);
 * // { top_p: 1, logprobs: true, top_k: -1 }
 * ```
 * @module
 */
import type { GenerationParams } from "./target.ts";

/**
 * The request fields for `params`' sampling settings; `selfHosted` adds
 * the fields only self-hosted servers know.
 *
 * @example
 * ```ts
 * openAiSampling({ min_p: 0 }, false); // {}
 * ```
 */
export function openAiSampling(
  params: GenerationParams,
  selfHosted: boolean,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (params.top_p !== undefined) fields.top_p = params.top_p;
  if (params.presence_penalty !== undefined) {
    fields.presence_penalty = params.presence_penalty;
  }
  if (params.frequency_penalty !== undefined) {
    fields.frequency_penalty = params.frequency_penalty;
  }
  if (params.logprobs) fields.logprobs = true;
  if (!selfHosted) return fields;
  if (params.top_k !== undefined) {
    fields.top_k = params.top_k === 0 ? -1 : params.top_k;
  }
  if (params.min_p !== undefined) fields.min_p = params.min_p;
  if (params.repeat_penalty !== undefined) {
    fields.repeat_penalty = params.repeat_penalty;
  }
  return fields;
}
