/**
 * Which target kinds can take a distortion run: the engine must sample at
 * temperature 1 with every truncation sampler off, take a seed per request
 * and report each generated token's log probability. A kind that cannot
 * (or whose adapter does not send those fields) is refused when the run is
 * created, never run with silently different settings.
 *
 * @example
 * ```ts
 * import { distortionSupport } from "./distortion_support.ts";
 * distortionSupport("llamacpp"); // { ok: true, logprobsPreConstraint: true }
 * distortionSupport("anthropic").ok; // false
 * ```
 * @module
 */

/** Whether a kind can take a distortion run, and why not. */
export type DistortionSupport =
  | { ok: true; logprobsPreConstraint: boolean }
  | { ok: false; reason: string };

const SUPPORT: Record<string, DistortionSupport> = {
  // n_probs with post_sampling_probs false: raw logits, before the grammar.
  llamacpp: { ok: true, logprobsPreConstraint: true },
  // logprobs: true; whether taken before or after the mask is not documented.
  "openai-compatible": { ok: true, logprobsPreConstraint: false },
  openai: { ok: true, logprobsPreConstraint: false },
  anthropic: {
    ok: false,
    reason: "the Anthropic API takes no seed and returns no log probabilities",
  },
  gemini: {
    ok: false,
    reason:
      "the gemini adapter sends no per-token log probability request and no top_k",
  },
  huggingface: {
    ok: false,
    reason:
      "the huggingface adapter sends no per-token log probability request and no top_k",
  },
  ollama: {
    ok: false,
    reason:
      "the ollama adapter sends neither top_k 0 nor min_p 0 and reads no log probabilities",
  },
};

/**
 * What a kind can do for a distortion run (an unknown kind cannot).
 *
 * @example
 * ```ts
 * distortionSupport("openai-compatible"); // { ok: true, logprobsPreConstraint: false }
 * ```
 */
export function distortionSupport(kind: string): DistortionSupport {
  return Object.hasOwn(SUPPORT, kind)
    ? SUPPORT[kind]
    : { ok: false, reason: `kind ${kind} has no distortion support` };
}
