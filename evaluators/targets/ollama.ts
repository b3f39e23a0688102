/**
 * Ollama through its own API (kind `ollama`; `base_url` its root, default
 * `http://127.0.0.1:11434`), not the OpenAI-compatible path (which has
 * ignored `response_format` at times).
 *
 * - `/api/chat` with `stream: true`: `json_schema` mode sends the schema as
 *   `format`, `json_object` sends `format: "json"`, `prompt_only` no
 *   format. Ollama refuses some keywords (`pattern`: "invalid JSON schema
 *   in format"): that 400 is `unsupported_schema`.
 * - `settings.reasoning` `on`/`off` is sent as `think: true`/`false`
 *   (`default` sends nothing); thinking comes back apart, as the answer's
 *   reasoning. `settings.keep_alive` is passed on as it is.
 * - Options: `temperature`, `num_predict` (our `max_tokens`) and `seed`.
 *   `done_reason: "length"` is a truncation.
 * - `describe()` reads `/api/version`, `/api/tags` (the model's digest) and
 *   `/api/show` (its quantization, size, family and parameters); the health
 *   probe is `/api/version`.
 * - The engine's own timings are kept (`prompt_eval_ms`, `eval_ms`,
 *   `load_ms`, `total_ms`), so the time to the first token can be split
 *   into loading, prompt processing and the rest.
 *
 * @example
 * ```ts
 * import { ollamaTarget } from "./ollama.ts";
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * const target = ollamaTarget({ ...config, kind: "ollama", baseUrl: "http://127.0.0.1:11434", model: "qwen3:4b" }, () => undefined);
 * ```
 * @module
 */
import { ChatChunks } from "./transport/chat_chunks.ts";
import {
  classifyStreamError,
  errorFromException,
} from "./transport/http_errors.ts";
import { readLines } from "./transport/ndjson.ts";
import { postJson } from "./transport/post_json.ts";
import { probeUp } from "./transport/probe.ts";
import {
  type Answer,
  type EngineDescription,
  type GenerateRequest,
  reasoningOf,
  requestSignal,
  type Target,
  type TargetError,
  type TargetFactory,
} from "./target.ts";

/** Ollama's default address. */
export const OLLAMA_BASE_URL = "http://127.0.0.1:11434";

/** One line of an `/api/chat` stream, as far as it is read here. */
interface ChatLine {
  model?: string;
  message?: { content?: string; thinking?: string };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  prompt_eval_duration?: number;
  eval_duration?: number;
  load_duration?: number;
  total_duration?: number;
  error?: string;
}

const ms = (ns: number | undefined) =>
  typeof ns === "number" ? ns / 1e6 : undefined;

/**
 * The `ollama` factory (one registry line).
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * ollamaTarget(config, () => undefined).config.kind; // "ollama"
 * ```
 */
export const ollamaTarget: TargetFactory = (
  config,
  _secret,
  http = fetch,
): Target => {
  const root = (config.baseUrl ?? OLLAMA_BASE_URL).replace(/\/+$/, "");
  const model = config.model ?? "default";
  const reasoning = reasoningOf(config.settings);

  async function getJson(
    path: string,
    signal: AbortSignal,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const response = await fetch(`${root}${path}`, {
      method: body === undefined ? "GET" : "POST",
      redirect: "error",
      signal,
      ...(body === undefined ? {} : {
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`${path}: HTTP ${response.status}`);
    }
    return await response.json() as Record<string, unknown>;
  }

  return {
    config,
    async describe(signal?: AbortSignal): Promise<EngineDescription> {
      const within = signal ?? AbortSignal.timeout(30_000);
      const version = await getJson("/api/version", within);
      const description: EngineDescription = {
        engine: "ollama",
        version: typeof version.version === "string"
          ? version.version
          : undefined,
        model,
        reasoning,
      };
      try {
        const tags = await getJson("/api/tags", within);
        const listed = (tags.models ?? []) as Record<string, unknown>[];
        const mine = listed.find((m) => m.name === model || m.model === model);
        if (mine && typeof mine.digest === "string") {
          description.digest = mine.digest;
        }
        const shown = await getJson("/api/show", within, { model });
        const details = (shown.details ?? {}) as Record<string, unknown>;
        description.quantization = details.quantization_level ?? null;
        description.parameter_size = details.parameter_size ?? null;
        description.family = details.family ?? null;
        if (typeof shown.parameters === "string") {
          description.parameters = shown.parameters.slice(0, 2000);
        }
        if (Array.isArray(shown.capabilities)) {
          description.capabilities = shown.capabilities;
        }
      } catch (error) {
        description.model_error = (error as Error).message;
      }
      return description;
    },
    health(signal: AbortSignal): Promise<boolean> {
      return probeUp(`${root}/api/version`, signal, {}, http);
    },
    async generate(request: GenerateRequest): Promise<Answer> {
      const started = performance.now();
      const { params } = request;
      const signal = requestSignal(request);
      const format = request.mode === "json_schema"
        ? { format: request.schema }
        : request.mode === "json_object"
        ? { format: "json" }
        : {};
      const options = {
        ...(params.temperature !== undefined
          ? { temperature: params.temperature }
          : {}),
        ...(params.max_tokens !== undefined
          ? { num_predict: params.max_tokens }
          : {}),
        ...(params.seed !== undefined ? { seed: params.seed } : {}),
      };
      const body = {
        model,
        messages: request.messages,
        stream: true,
        ...format,
        ...(reasoning === "default" ? {} : { think: reasoning === "on" }),
        ...(config.settings.keep_alive !== undefined
          ? { keep_alive: config.settings.keep_alive }
          : {}),
        options,
      };
      const chunks = new ChatChunks(started);
      const sent = await postJson(`${root}/api/chat`, body, signal, {}, http);
      if (!(sent instanceof Response)) {
        return chunks.answer({ error: sent, secrets: [] });
      }
      let error: TargetError | undefined;
      let last: ChatLine = {};
      try {
        for await (const raw of readLines(sent.body!)) {
          const line = raw as ChatLine;
          if (typeof line.error === "string") {
            error = classifyStreamError(line.error);
            break;
          }
          chunks.servedModel ??= line.model;
          chunks.add({
            choices: [{
              finish_reason: line.done ? line.done_reason ?? "stop" : null,
              delta: {
                content: line.message?.content ?? "",
                reasoning_content: line.message?.thinking ?? null,
              },
            }],
          });
          if (line.done) {
            last = line;
            chunks.add({
              usage: {
                prompt_tokens: line.prompt_eval_count,
                completion_tokens: line.eval_count,
              },
            });
            break;
          }
          if (chunks.full) break;
        }
      } catch (thrown) {
        error = errorFromException(thrown, request.signal);
      }
      return chunks.answer({
        error,
        secrets: [],
        engineTimings: {
          prompt_eval_ms: ms(last.prompt_eval_duration) ?? null,
          eval_ms: ms(last.eval_duration) ?? null,
          load_ms: ms(last.load_duration) ?? null,
          total_ms: ms(last.total_duration) ?? null,
        },
      });
    },
  };
};
