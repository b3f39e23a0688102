/**
 * The one interface every engine and provider implements. A target
 * describes itself (engine, version, model) and generates one answer for
 * (schema, messages, mode, params) under an abort signal. It never throws
 * for the engine's own failures: they come back as a typed `error`, so the
 * outcome logic can tell a refused schema from a network fault.
 *
 * @example
 * ```ts
 * import type { Message, Target } from "./target.ts";
 * declare const target: Target;
 * declare const schema: unknown;
 * declare const messages: Message[];
 * declare const signal: AbortSignal;
 * const answer = await target.generate({ schema, messages, mode: "json_schema", params: {}, signal });
 * if (answer.error?.kind === "unsupported_schema") console.log(answer.error.message);
 * ```
 * @module
 */

/** The decoding modes. */
export type Mode = "json_schema" | "json_object" | "prompt_only";

/** Every mode, for checks and docs. */
export const MODES: readonly Mode[] = [
  "json_schema",
  "json_object",
  "prompt_only",
];

/** One chat message. */
export interface Message {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * How long one request may take when `timeout_ms` is not set (5 minutes):
 * every adapter's default, and the bound a case's deadline shortens.
 *
 * @example
 * ```ts
 * import { DEFAULT_TIMEOUT_MS } from "./target.ts";
 * DEFAULT_TIMEOUT_MS; // 300000
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * The signal one request runs under: the run's own, and the request's
 * timeout (`params.timeout_ms`, else {@link DEFAULT_TIMEOUT_MS}).
 *
 * @example
 * ```ts
 * import { requestSignal } from "./target.ts";
 * const signal = requestSignal({ signal: new AbortController().signal, params: { timeout_ms: 1000 } });
 * ```
 */
export function requestSignal(
  request: { signal: AbortSignal; params: { timeout_ms?: number } },
): AbortSignal {
  return AbortSignal.any([
    request.signal,
    AbortSignal.timeout(request.params.timeout_ms ?? DEFAULT_TIMEOUT_MS),
  ]);
}

/**
 * Generation parameters a run may set. The sampling fields are sent only
 * when set (a plain run leaves the engine's own defaults); a distortion run
 * sets them all, so that the engine samples its raw distribution.
 *
 * @example
 * ```ts
 * import type { GenerationParams } from "./target.ts";
 * const pure: GenerationParams = { temperature: 1, top_k: 0, top_p: 1, min_p: 0, seed: 7, logprobs: true };
 * ```
 */
export interface GenerationParams {
  temperature?: number;
  max_tokens?: number;
  seed?: number;
  /** Keep only the k likeliest tokens; 0 turns top-k off. */
  top_k?: number;
  /** Nucleus sampling; 1 turns it off. */
  top_p?: number;
  /** Drop tokens under this share of the likeliest one's probability; 0 turns it off. */
  min_p?: number;
  /** llama.cpp's repetition penalty; 1 turns it off. */
  repeat_penalty?: number;
  /** OpenAI-style presence penalty; 0 turns it off. */
  presence_penalty?: number;
  /** OpenAI-style frequency penalty; 0 turns it off. */
  frequency_penalty?: number;
  /**
   * Every other sampler the engine has turned off too (llama.cpp's typical
   * p, XTC, DRY, mirostat, top-n-sigma), so only temperature shapes the draw.
   */
  other_samplers_off?: boolean;
  /** Ask for the log probability of each generated token (`Answer.tokenLogprobs`). */
  logprobs?: boolean;
  /** Milliseconds before one request is abandoned (an `infra_error`). */
  timeout_ms?: number;
}

/** What a target is asked. */
export interface GenerateRequest {
  /** The case's schema, as the user wrote it. */
  schema: unknown;
  messages: Message[];
  mode: Mode;
  params: GenerationParams;
  signal: AbortSignal;
}

/**
 * Why a generation produced no usable text. `engine_error` is the engine
 * failing on a schema it accepted (an error mid-generation, or a 5xx whose
 * body names the grammar or the request): retried, and the engine's own
 * failure once it repeats. `bad_request` is our own request being wrong
 * (not retried, counted with infrastructure errors).
 */
export type TargetErrorKind =
  | "unsupported_schema"
  | "context_exceeded"
  | "engine_error"
  | "infra_error"
  | "bad_request";

/** A typed failure, with the engine's own words kept. */
export interface TargetError {
  kind: TargetErrorKind;
  message: string;
  /** HTTP status, when there was one. */
  status?: number;
  /** Whether trying again may help (timeouts, 5xx, 429, refused connections, engine errors). */
  retryable: boolean;
  /** A 429: the limiter slows the target down. */
  rateLimited?: boolean;
  /** How long the provider asked us to wait (Retry-After, x-ratelimit-reset-*). */
  retryAfterMs?: number;
}

/** One answer, successful or not. */
export interface Answer {
  /** The generated text (null when nothing was generated). */
  text: string | null;
  /** `stop`, `length` (hit the token limit), or the engine's own word. */
  finishReason: string | null;
  /** The provider's refusal message (e.g. OpenAI's `refusal`). */
  refusal?: string;
  /** Reasoning text kept apart from the answer. */
  reasoning?: string;
  promptTokens?: number;
  completionTokens?: number;
  /** Wall time of the request as the client saw it. */
  latencyMs: number;
  /** Client-side time to the first generated token (streaming). */
  ttftMs?: number;
  /** Time per output token after the first. */
  tpotMs?: number;
  /** The engine's own timing report, as it sent it. */
  engineTimings?: Record<string, unknown>;
  /** The grammar the engine enforced, when it reports it. */
  grammar?: string;
  /** The schema actually sent, when the target had to adapt it. */
  sentSchema?: unknown;
  error?: TargetError;
  /**
   * The log probability of each generated token as the engine reported it
   * (asked with `params.logprobs`); absent when the engine gave none or an
   * incomplete list (fewer entries than generated tokens).
   */
  tokenLogprobs?: number[];
  /** Whether `tokenLogprobs` ends with the end-of-generation token's. */
  logprobsEog?: boolean;
  /**
   * Whether those log probabilities are known to come from the raw
   * distribution, before the sampler chain and the constraint (llama.cpp
   * with `post_sampling_probs: false`: yes; an OpenAI-style API: unknown).
   */
  logprobsPreConstraint?: boolean;
}

/** The engine's own description, taken at run start. */
export interface EngineDescription {
  engine: string;
  version?: string;
  model?: string;
  /** How many requests the engine serves at once, when it says. */
  slots?: number;
  [detail: string]: unknown;
}

/** A target's stored configuration (a row of `targets`). */
export interface TargetConfig {
  name: string;
  kind: string;
  baseUrl: string | null;
  model: string | null;
  mode: Mode;
  settings: Record<string, unknown>;
  params: Record<string, unknown>;
  /** The NAME of the environment variable holding the API key. */
  apiKeyEnv: string | null;
}

/** An engine or provider, ready to answer. */
export interface Target {
  readonly config: TargetConfig;
  /** Asks the engine what it is (build, model, slots). */
  describe(signal?: AbortSignal): Promise<EngineDescription>;
  /** Generates one answer; failures come back in `error`, never thrown. */
  generate(request: GenerateRequest): Promise<Answer>;
  /**
   * Whether the engine answers its health probe now (llama.cpp's `/health`,
   * the models list of the OpenAI-style kinds); never throws. A kind
   * without one is probed by `describe`.
   */
  health?(signal: AbortSignal): Promise<boolean>;
}

/**
 * Builds a target from its configuration; `secret` reads an environment
 * variable by name (the only way a key reaches an adapter). `http` is how
 * it sends its requests (default: the global `fetch`); the registry passes
 * one that connects to the very address the SSRF guard checked.
 */
export type TargetFactory = (
  config: TargetConfig,
  secret: (name: string) => string | undefined,
  http?: typeof fetch,
) => Target;

/**
 * A target's reasoning setting (`settings.reasoning`): `on` or `off` is
 * sent the way each kind expects (thinking enabled or disabled, a chat
 * template's `enable_thinking`, Ollama's `think`); `default` sends nothing
 * and leaves it to the engine.
 *
 * @example
 * ```ts
 * const reasoning: Reasoning = "off";
 * ```
 */
export type Reasoning = "on" | "off" | "default";

/**
 * The reasoning setting of a target's settings (`default` when absent or
 * not one of the three).
 *
 * @example
 * ```ts
 * reasoningOf({ reasoning: "on" }); // "on"
 * reasoningOf({}); // "default"
 * ```
 */
export function reasoningOf(settings: Record<string, unknown>): Reasoning {
  const value = settings.reasoning;
  return value === "on" || value === "off" ? value : "default";
}

/**
 * The request fields that turn a chat template's thinking on or off
 * (`chat_template_kwargs.enable_thinking`, as llama.cpp, vLLM and SGLang
 * read it); nothing for `default`.
 *
 * @example
 * ```ts
 * templateThinking("off"); // { chat_template_kwargs: { enable_thinking: false } }
 * templateThinking("default"); // {}
 * ```
 */
export function templateThinking(
  reasoning: Reasoning,
): Record<string, unknown> {
  return reasoning === "default"
    ? {}
    : { chat_template_kwargs: { enable_thinking: reasoning === "on" } };
}
