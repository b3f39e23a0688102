/**
 * Any OpenAI-compatible server (kind `openai-compatible`: vLLM, SGLang,
 * Ollama, LM Studio, TGI, llama-server's `/v1`), on the `openai` SDK; the
 * shared adapter that `openai.ts` and `gemini.ts` build on. `base_url` is
 * the API root including `/v1`.
 *
 * - Modes: `json_schema` (`response_format` json_schema; `settings.strict`,
 *   default true), `json_object`, `prompt_only`.
 * - `settings.flavour` picks engine-specific fields: `vllm`
 *   (`structured_outputs`), `ollama` (`format`), `sglang`, or `default`.
 * - Streams for time to first token; records the served model id and
 *   `system_fingerprint`; a `refusal` gives the `refusal` outcome;
 *   `reasoning_content` is kept apart from the answer.
 * - The SDK's own retries are off: retries are the runner's, shared by all
 *   targets. Keys come from the environment variable the target names, and
 *   are scrubbed from every error message.
 *
 * @example
 * ```ts
 * import { openAiCompatibleTarget } from "./openai_compatible.ts";
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * const target = openAiCompatibleTarget({ ...config, baseUrl: "http://127.0.0.1:8000/v1" }, (n) => Deno.env.get(n));
 * ```
 * @module
 */
import OpenAI from "openai";
import { adaptSchema, type Provider } from "./adapt/adapt_schema.ts";
import { ChatChunks } from "./transport/chat_chunks.ts";
import {
  answersAsUp,
  classifyHttpError,
  classifyStreamError,
  errorFromException,
  scrub,
} from "./transport/http_errors.ts";
import {
  type Answer,
  type EngineDescription,
  type GenerateRequest,
  type Reasoning,
  reasoningOf,
  type Target,
  type TargetConfig,
  type TargetError,
  type TargetFactory,
  templateThinking,
} from "./target.ts";
import { DEFAULT_TIMEOUT_MS } from "./target.ts";
import { openAiSampling } from "./openai_sampling.ts";

/** How an OpenAI-style kind differs from the plain one. */
export interface OpenAiStyle {
  /** The engine name recorded with runs. */
  engine: string;
  /** Used when the target has no `base_url`. */
  defaultBaseUrl?: string;
  /** Whose documented subset `settings.adapt: "strict"` rewrites to. */
  adaptFor?: Provider;
}

type Flavour = "default" | "vllm" | "ollama" | "sglang";

/** The request-body fields that carry the constraint, per flavour and mode. */
function constraint(
  flavour: Flavour,
  mode: GenerateRequest["mode"],
  schema: unknown,
  strict: boolean,
): Record<string, unknown> {
  if (mode === "prompt_only") return {};
  if (flavour === "vllm") {
    return mode === "json_schema"
      ? { structured_outputs: { json: schema } }
      : { structured_outputs: { json_object: true } };
  }
  if (flavour === "ollama") {
    return { format: mode === "json_schema" ? schema : "json" };
  }
  if (mode === "json_object") {
    return { response_format: { type: "json_object" } };
  }
  return {
    response_format: {
      type: "json_schema",
      json_schema: { name: "answer", schema, strict },
    },
  };
}

/**
 * How each kind is told to think or not: OpenAI's and Gemini's
 * `reasoning_effort` (off: `minimal`, Gemini `none`; on: `medium`),
 * Ollama's `think`, else the chat template's `enable_thinking`.
 */
function reasoningFields(
  engine: string,
  flavour: Flavour,
  reasoning: Reasoning,
): Record<string, unknown> {
  if (reasoning === "default") return {};
  if (engine === "openai" || engine === "gemini") {
    const off = engine === "gemini" ? "none" : "minimal";
    return { reasoning_effort: reasoning === "on" ? "medium" : off };
  }
  if (flavour === "ollama") return { think: reasoning === "on" };
  return templateThinking(reasoning);
}

function toError(
  error: unknown,
  signal: AbortSignal,
  secrets: (string | undefined)[],
): TargetError {
  let result: TargetError;
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const body = error.error as {
      message?: string;
      type?: string;
      code?: string;
    } | undefined;
    result = classifyHttpError({
      status: error.status,
      message: body?.message ?? error.message,
      type: body?.type ?? body?.code ?? undefined,
      headers: error.headers,
    });
  } else if (
    error instanceof OpenAI.APIError && !signal.aborted &&
    error.status === undefined && error.error !== undefined
  ) {
    // An error event inside a stream that had begun (the SDK throws it
    // without a status): llama.cpp's grammar errors arrive this way.
    result = classifyStreamError(error.message);
  } else {
    result = errorFromException(error, signal);
  }
  return { ...result, message: scrub(result.message, secrets) };
}

/**
 * Builds an OpenAI-style target (shared by `openai-compatible`, `openai`
 * and `gemini`).
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * const target = openAiStyleTarget(config, secret, { engine: "openai", defaultBaseUrl: "https://api.openai.com/v1", adaptFor: "openai" });
 * ```
 */
export function openAiStyleTarget(
  config: TargetConfig,
  secret: (name: string) => string | undefined,
  style: OpenAiStyle,
  http: typeof fetch = fetch,
): Target {
  const baseURL = (config.baseUrl ?? style.defaultBaseUrl ?? "").replace(
    /\/+$/,
    "",
  );
  if (!baseURL) {
    throw new Error(
      `target ${config.name}: base_url is required for ${config.kind}`,
    );
  }
  const settings = config.settings;
  const flavour =
    (["vllm", "ollama", "sglang"].includes(settings.flavour as string)
      ? settings.flavour
      : "default") as Flavour;
  const strict = settings.strict !== false;
  const adapt = style.adaptFor && settings.adapt === "strict"
    ? style.adaptFor
    : null;
  const key = () => (config.apiKeyEnv ? secret(config.apiKeyEnv) : undefined);
  const client = (timeout: number) =>
    new OpenAI({
      apiKey: key() ?? "no-key",
      baseURL,
      maxRetries: 0,
      timeout,
      dangerouslyAllowBrowser: true,
      // A redirect could lead anywhere, past the base_url rules: refused.
      fetch: (url, init) => http(url, { ...init, redirect: "error" }),
    });

  return {
    config,
    async describe(signal?: AbortSignal): Promise<EngineDescription> {
      const description: EngineDescription = {
        engine: style.engine,
        model: config.model ?? undefined,
        base_url: baseURL,
        flavour,
      };
      try {
        const models = await client(30_000).models.list({ signal });
        const ids = models.data.map((m) => m.id);
        description.models_listed = ids.slice(0, 50);
        if (!config.model && ids[0]) description.model = ids[0];
      } catch (error) {
        description.models_error =
          toError(error, signal ?? new AbortController().signal, [key()])
            .message;
      }
      if (flavour === "sglang") {
        // SGLang says which grammar backend it runs in its server info.
        const info = await fetch(
          `${baseURL.replace(/\/v1\/?$/, "")}/get_server_info`,
          { redirect: "error", signal: signal ?? AbortSignal.timeout(10_000) },
        ).then((r) => r.ok ? r.json() : null).catch(() => null);
        if (typeof info?.grammar_backend === "string") {
          description.grammar_backend = info.grammar_backend;
        }
      }
      return description;
    },
    async health(signal: AbortSignal): Promise<boolean> {
      // Any answer over HTTP but a gateway's 502/503/504 means it is up
      // (a 401 is the key's problem, not an outage).
      try {
        await client(5_000).models.list({ signal });
        return true;
      } catch (error) {
        const status = (error as { status?: unknown }).status;
        return typeof status === "number" && answersAsUp(status);
      }
    },
    async generate(request: GenerateRequest): Promise<Answer> {
      const started = performance.now();
      const { params } = request;
      const sent = adapt && request.mode === "json_schema"
        ? adaptSchema(request.schema, adapt)
        : null;
      const schema = sent?.changed ? sent.schema : request.schema;
      const body = {
        model: config.model ?? "default",
        messages: request.messages,
        stream: true as const,
        stream_options: { include_usage: true },
        ...(params.temperature !== undefined
          ? { temperature: params.temperature }
          : {}),
        ...(params.max_tokens !== undefined
          ? { max_tokens: params.max_tokens }
          : {}),
        ...(params.seed !== undefined ? { seed: params.seed } : {}),
        ...openAiSampling(params, style.engine === "openai-compatible"),
        ...constraint(flavour, request.mode, schema, strict),
        ...reasoningFields(style.engine, flavour, reasoningOf(settings)),
      };
      const chunks = new ChatChunks(started);
      let error: TargetError | undefined;
      try {
        const stream = await client(params.timeout_ms ?? DEFAULT_TIMEOUT_MS)
          .chat.completions.create(
            body as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
            { signal: request.signal },
          );
        for await (const chunk of stream) {
          chunks.add(chunk);
          if (chunks.full) break;
        }
      } catch (thrown) {
        error = toError(thrown, request.signal, [key()]);
      }
      return chunks.answer({
        error,
        secrets: [key()],
        engineTimings: {
          served_model: chunks.servedModel ?? null,
          system_fingerprint: chunks.fingerprint ?? null,
        },
        sentSchema: sent?.changed ? sent.schema : undefined,
        ...(params.logprobs
          ? {
            ...chunks.logprobs.result({
              completionTokens: chunks.usage?.completion_tokens,
              stopped: chunks.finishReason === "stop",
              eogMayBeUnreported: true,
            }),
            // Not documented whether taken before or after the constraint.
            logprobsPreConstraint: false,
          }
          : {}),
      });
    },
  };
}

/**
 * The `openai-compatible` factory (one registry line).
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * openAiCompatibleTarget(config, secret).config.kind; // "openai-compatible"
 * ```
 */
export const openAiCompatibleTarget: TargetFactory = (config, secret, http) =>
  openAiStyleTarget(config, secret, { engine: "openai-compatible" }, http);
