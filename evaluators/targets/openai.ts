/**
 * OpenAI structured outputs (kind `openai`; `base_url` optional, default
 * OpenAI's API root). `settings.adapt`:
 * - `none` (default): the schema is sent as written; a 400 about the schema
 *   is `unsupported_schema`, with OpenAI's message kept.
 * - `strict`: the schema is rewritten to OpenAI's strict subset (every
 *   property required, optional ones nullable, `additionalProperties:
 *   false`, unsupported keywords dropped); the result stores the schema
 *   actually sent, and the answer is still validated against the original.
 *
 * The `refusal` field gives the `refusal` outcome.
 *
 * @example
 * ```ts
 * import { openAiTarget } from "./openai.ts";
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * const target = openAiTarget({ ...config, kind: "openai", model: "gpt-4o-mini", apiKeyEnv: "OPENAI_API_KEY" }, secret);
 * ```
 * @module
 */
import { openAiStyleTarget } from "./openai_compatible.ts";
import type { TargetFactory } from "./target.ts";

/** OpenAI's API root. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/**
 * The `openai` factory (one registry line).
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * openAiTarget(config, secret).config.kind; // "openai"
 * ```
 */
export const openAiTarget: TargetFactory = (config, secret, http) =>
  openAiStyleTarget(config, secret, {
    engine: "openai",
    defaultBaseUrl: OPENAI_BASE_URL,
    adaptFor: "openai",
  }, http);
