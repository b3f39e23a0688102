/**
 * Every target kind and its factory: one line per engine. The `Record`
 * makes the compiler flag a kind without an adapter.
 *
 * @example
 * ```ts
 * import { createTarget, TARGET_KINDS } from "./registry.ts";
 * const target = createTarget(config, (name) => Deno.env.get(name));
 * ```
 * @module
 */
import { geminiTarget } from "./gemini.ts";
import { huggingFaceTarget } from "./huggingface.ts";
import { llamacppTarget } from "./llamacpp.ts";
import { openAiTarget } from "./openai.ts";
import { openAiCompatibleTarget } from "./openai_compatible.ts";
import type { Target, TargetConfig, TargetFactory } from "./target.ts";

/** The kinds this build supports. */
export type TargetKind =
  | "llamacpp"
  | "openai-compatible"
  | "openai"
  | "gemini"
  | "huggingface";

/** The factory of each kind. */
export const REGISTRY: Record<TargetKind, TargetFactory> = {
  llamacpp: llamacppTarget,
  "openai-compatible": openAiCompatibleTarget,
  openai: openAiTarget,
  gemini: geminiTarget,
  huggingface: huggingFaceTarget,
};

/** Every supported kind. */
export const TARGET_KINDS = Object.keys(REGISTRY) as TargetKind[];

/**
 * Builds the target for a stored configuration.
 *
 * @example
 * ```ts
 * createTarget({ ...config, kind: "llamacpp" }, () => undefined).config.kind; // "llamacpp"
 * ```
 */
export function createTarget(
  config: TargetConfig,
  secret: (name: string) => string | undefined,
): Target {
  const factory = REGISTRY[config.kind as TargetKind];
  if (!factory) {
    throw new Error(
      `unknown target kind "${config.kind}" (known: ${
        TARGET_KINDS.join(", ")
      })`,
    );
  }
  return factory(config, secret);
}
