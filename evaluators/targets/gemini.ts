/**
 * Gemini through its OpenAI-compatible endpoint (kind `gemini`; `base_url`
 * optional, default Google's OpenAI-compatible root). `settings.adapt`:
 * `none` (default) sends the schema as written, and a 400 about it is
 * `unsupported_schema`; `strict` rewrites it to Gemini's documented subset
 * and stores the schema actually sent. Answers are always validated against
 * the original schema.
 *
 * @example
 * ```ts
 * import { geminiTarget } from "./gemini.ts";
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * const target = geminiTarget({ ...config, kind: "gemini", model: "gemini-2.5-flash", apiKeyEnv: "GEMINI_API_KEY" }, secret);
 * ```
 * @module
 */
import { openAiStyleTarget } from "./openai_compatible.ts";
import type { TargetFactory } from "./target.ts";

/** Gemini's OpenAI-compatible API root. */
export const GEMINI_BASE_URL =
  "https://generativelanguage.googleapis.com/v1beta/openai";

/**
 * The `gemini` factory (one registry line).
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * geminiTarget(config, secret).config.kind; // "gemini"
 * ```
 */
export const geminiTarget: TargetFactory = (config, secret, http) =>
  openAiStyleTarget(config, secret, {
    engine: "gemini",
    defaultBaseUrl: GEMINI_BASE_URL,
    adaptFor: "gemini",
  }, http);
