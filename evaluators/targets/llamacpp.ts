/**
 * llama.cpp's `llama-server` (kind `llamacpp`; `base_url` is the server's
 * root, e.g. `http://127.0.0.1:8080`).
 *
 * - Modes `json_schema`, `json_object`, `prompt_only`. For `json_schema` the
 *   setting `endpoint` picks `chat` (default: `/v1/chat/completions` with
 *   `response_format`) or `completion` (`/completion` with `json_schema`, the
 *   prompt rendered by the server's own chat template via `/apply-template`).
 * - Always streams, to measure time to first token; keeps the server's own
 *   `timings`, and in `completion` mode the GBNF grammar it enforced.
 * - An error the server reports after accepting the schema (an error event
 *   mid-stream, or a 5xx whose body names the grammar) is `engine_error`.
 * - `cache_prompt: false`, so every case pays its own prompt processing.
 * - With `params.logprobs`: `n_probs: 1`, `post_sampling_probs: false`; the
 *   chosen token's raw log probability per token (`/completion` includes
 *   the end token's, the chat stream does not).
 * - `describe()` reads `/props` and `/v1/models`: build, model file,
 *   context, slots.
 *
 * @example
 * ```ts
 * import { llamacppTarget } from "./llamacpp.ts";
 * const target = llamacppTarget({ name: "local", kind: "llamacpp", baseUrl: "http://127.0.0.1:8080", model: null,
 *   mode: "json_schema", settings: {}, params: {}, apiKeyEnv: null }, () => undefined);
 * ```
 * @module
 */
import { sha256Hex } from "../validation/canonical_json.ts";
import {
  classifyStreamError,
  errorFromException,
} from "./transport/http_errors.ts";
import { readEvents } from "./transport/sse.ts";
import { postJson } from "./transport/post_json.ts";
import { probeUp } from "./transport/probe.ts";
import { MAX_ANSWER_CHARS } from "./transport/chat_chunks.ts";
import { TokenLogprobs } from "./transport/token_logprobs.ts";
import { llamaSampling } from "./llamacpp_sampling.ts";
import {
  type Answer,
  type EngineDescription,
  type GenerateRequest,
  reasoningOf,
  requestSignal,
  type Target,
  type TargetConfig,
  type TargetError,
  type TargetFactory,
  templateThinking,
} from "./target.ts";

interface Stream {
  text: string;
  finishReason: string | null;
  ttftMs?: number;
  lastTokenAt?: number;
  firstTokenAt?: number;
  promptTokens?: number;
  completionTokens?: number;
  timings?: Record<string, unknown>;
  grammar?: string;
  error?: TargetError;
  logprobs: TokenLogprobs;
}

function root(config: TargetConfig): string {
  if (!config.baseUrl) {
    throw new Error(`target ${config.name}: base_url is required for llamacpp`);
  }
  return config.baseUrl.replace(/\/+$/, "");
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value)
    ? value
    : undefined;
}

/** How a request is sent: the target's headers and its fetch. */
interface RequestIo {
  headers: Record<string, string>;
  fetch: typeof fetch;
}

async function consume(
  response: Response,
  started: number,
  onEvent: (event: Record<string, unknown>, stream: Stream) => string,
): Promise<Stream> {
  const stream: Stream = {
    text: "",
    finishReason: null,
    logprobs: new TokenLogprobs(),
  };
  for await (const event of readEvents(response.body!)) {
    if (event.error) {
      // llama.cpp ends a stream it had begun with `data: {"error": {...}}`
      // (older builds: an `error:` line): mid-generation, after the schema
      // was accepted, so a grammar error here is the engine's own.
      const e = event.error as { message?: unknown } | string;
      const message = typeof e === "string"
        ? e
        : typeof e.message === "string"
        ? e.message
        : JSON.stringify(e);
      stream.error = classifyStreamError(message);
      break;
    }
    const piece = onEvent(event, stream);
    if (piece) {
      const now = performance.now();
      if (stream.firstTokenAt === undefined) {
        stream.firstTokenAt = now;
        stream.ttftMs = now - started;
      }
      stream.lastTokenAt = now;
      stream.text += piece;
      if (stream.text.length >= MAX_ANSWER_CHARS) {
        // A runaway reply: stop reading, as if the token limit was hit.
        stream.finishReason = "length";
        break;
      }
    }
  }
  return stream;
}

function chatBody(
  request: GenerateRequest,
  config: TargetConfig,
): Record<string, unknown> {
  const { params } = request;
  const body: Record<string, unknown> = {
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
    cache_prompt: false,
    ...(config.model ? { model: config.model } : {}),
    ...(params.temperature !== undefined
      ? { temperature: params.temperature }
      : {}),
    ...(params.max_tokens !== undefined
      ? { max_tokens: params.max_tokens }
      : {}),
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...llamaSampling(params),
    ...templateThinking(reasoningOf(config.settings)),
  };
  if (request.mode === "json_schema") {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: "answer", schema: request.schema, strict: true },
    };
  } else if (request.mode === "json_object") {
    body.response_format = { type: "json_object" };
  }
  return body;
}

async function viaChat(
  config: TargetConfig,
  request: GenerateRequest,
  signal: AbortSignal,
  io: RequestIo,
  started: number,
): Promise<Stream | TargetError> {
  const response = await postJson(
    `${root(config)}/v1/chat/completions`,
    chatBody(request, config),
    signal,
    io.headers,
    io.fetch,
  );
  if (!(response instanceof Response)) return response;
  return await consume(response, started, (event, stream) => {
    const usage = event.usage as Record<string, unknown> | undefined;
    if (usage) {
      stream.promptTokens = num(usage.prompt_tokens);
      stream.completionTokens = num(usage.completion_tokens);
    }
    if (event.timings) {
      stream.timings = event.timings as Record<string, unknown>;
    }
    const choice = (event.choices as Record<string, unknown>[] | undefined)
      ?.[0];
    if (!choice) return "";
    if (typeof choice.finish_reason === "string") {
      stream.finishReason = choice.finish_reason;
    }
    stream.logprobs.add(
      (choice.logprobs as { content?: unknown } | undefined)?.content,
    );
    const delta = choice.delta as Record<string, unknown> | undefined;
    return typeof delta?.content === "string" ? delta.content : "";
  });
}

async function viaCompletion(
  config: TargetConfig,
  request: GenerateRequest,
  signal: AbortSignal,
  io: RequestIo,
  started: number,
): Promise<Stream | TargetError> {
  const rendered = await postJson(
    `${root(config)}/apply-template`,
    {
      messages: request.messages,
      ...templateThinking(reasoningOf(config.settings)),
    },
    signal,
    io.headers,
    io.fetch,
  );
  if (!(rendered instanceof Response)) return rendered;
  let prompt: string;
  try {
    prompt = ((await rendered.json()) as { prompt: string }).prompt;
  } catch (error) {
    return errorFromException(error);
  }
  const { params } = request;
  const body: Record<string, unknown> = {
    prompt,
    stream: true,
    cache_prompt: false,
    ...(params.temperature !== undefined
      ? { temperature: params.temperature }
      : {}),
    ...(params.max_tokens !== undefined
      ? { n_predict: params.max_tokens }
      : {}),
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...llamaSampling(params),
  };
  if (request.mode === "json_schema") body.json_schema = request.schema;
  else if (request.mode === "json_object") body.json_schema = {};
  const response = await postJson(
    `${root(config)}/completion`,
    body,
    signal,
    io.headers,
    io.fetch,
  );
  if (!(response instanceof Response)) return response;
  return await consume(response, started, (event, stream) => {
    stream.logprobs.add(event.completion_probabilities);
    if (event.stop === true) {
      const stopType = event.stop_type as string | undefined;
      stream.finishReason = stopType === "limit"
        ? "length"
        : stopType === "eos" || stopType === "word"
        ? "stop"
        : stopType ?? "stop";
      stream.completionTokens = num(event.tokens_predicted);
      stream.promptTokens = num(event.tokens_evaluated);
      if (event.timings) {
        stream.timings = event.timings as Record<string, unknown>;
      }
      const settings = event.generation_settings as
        | Record<string, unknown>
        | undefined;
      if (typeof settings?.grammar === "string" && settings.grammar) {
        stream.grammar = settings.grammar;
      }
    }
    return typeof event.content === "string" ? event.content : "";
  });
}

/**
 * The llama.cpp target factory (one registry line).
 *
 * @example
 * ```ts
 * import type { GenerateRequest, TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * declare const request: GenerateRequest;
 * const answer = await llamacppTarget(config, secret).generate(request);
 * ```
 */
export const llamacppTarget: TargetFactory = (
  config,
  secret,
  http = fetch,
): Target => {
  const key = config.apiKeyEnv ? secret(config.apiKeyEnv) : undefined;
  const headers: Record<string, string> = key
    ? { authorization: `Bearer ${key}` }
    : {};
  const endpoint = config.settings.endpoint === "completion"
    ? "completion"
    : "chat";
  return {
    config,
    async describe(signal?: AbortSignal): Promise<EngineDescription> {
      const get = async (path: string) => {
        const response = await http(`${root(config)}${path}`, {
          headers,
          redirect: "error",
          signal: signal ?? AbortSignal.timeout(30_000),
        });
        if (!response.ok) {
          throw new Error(`GET ${path}: HTTP ${response.status}`);
        }
        return await response.json() as Record<string, unknown>;
      };
      const props = await get("/props");
      const models = await get("/v1/models").catch(
        () => ({} as Record<string, unknown>),
      );
      const model = (models.data as Record<string, unknown>[] | undefined)?.[0];
      const settings = props.default_generation_settings as
        | Record<string, unknown>
        | undefined;
      const modelPath = typeof props.model_path === "string"
        ? props.model_path
        : undefined;
      const template = typeof props.chat_template === "string"
        ? props.chat_template
        : undefined;
      return {
        engine: "llama.cpp",
        version: typeof props.build_info === "string"
          ? props.build_info
          : undefined,
        model: modelPath?.split("/").pop() ?? (model?.id as string | undefined),
        slots: num(props.total_slots),
        endpoint,
        n_ctx_per_slot: num(settings?.n_ctx),
        model_meta: model?.meta ?? null,
        chat_template_sha256: template ? sha256Hex(template) : null,
      };
    },
    health(signal: AbortSignal): Promise<boolean> {
      // 503 while the model loads; nothing at all when it is down.
      return probeUp(`${root(config)}/health`, signal, headers, http);
    },
    async generate(request: GenerateRequest): Promise<Answer> {
      const started = performance.now();
      const signal = requestSignal(request);
      const run = endpoint === "completion" ? viaCompletion : viaChat;
      let result: Stream | TargetError;
      try {
        result = await run(
          config,
          request,
          signal,
          { headers, fetch: http },
          started,
        );
      } catch (error) {
        result = errorFromException(error, request.signal);
      }
      const latencyMs = performance.now() - started;
      if (!("text" in result)) {
        const error = request.signal.aborted
          ? errorFromException(null, request.signal)
          : result;
        return { text: null, finishReason: null, latencyMs, error };
      }
      const s = result;
      const tokens = s.completionTokens;
      const tpotMs = tokens && tokens > 1 && s.firstTokenAt !== undefined &&
          s.lastTokenAt !== undefined
        ? (s.lastTokenAt - s.firstTokenAt) / (tokens - 1)
        : undefined;
      return {
        text: s.text,
        finishReason: s.finishReason,
        promptTokens: s.promptTokens,
        completionTokens: tokens,
        latencyMs,
        ttftMs: s.ttftMs,
        tpotMs,
        engineTimings: s.timings,
        grammar: s.grammar,
        ...(request.params.logprobs
          ? {
            ...s.logprobs.result({
              completionTokens: tokens,
              stopped: s.finishReason === "stop",
              // The chat stream counts the end token but sends no entry for it.
              eogMayBeUnreported: endpoint === "chat",
            }),
            logprobsPreConstraint: true,
          }
          : {}),
        error: s.error ??
          (request.signal.aborted
            ? errorFromException(null, request.signal)
            : undefined),
      };
    },
  };
};
