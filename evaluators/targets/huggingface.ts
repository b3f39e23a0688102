/**
 * Hugging Face (kind `huggingface`) through `@huggingface/inference`:
 * - Inference Providers: `model` is the Hub model id and
 *   `settings.provider` routes it (`auto` by default). The same model
 *   through two providers is two targets. The provider that served each
 *   answer is recorded.
 * - Inference Endpoints and TGI (or any server speaking the same chat API):
 *   `base_url` is the endpoint URL (`endpointUrl` in the SDK).
 *
 * `json_schema` mode sends `response_format` json_schema; streams for time
 * to first token; the SDK's own retries are off (retries are the runner's).
 *
 * @example
 * ```ts
 * import { huggingFaceTarget } from "./huggingface.ts";
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * const target = huggingFaceTarget({ ...config, kind: "huggingface", model: "Qwen/Qwen2.5-7B-Instruct",
 *   settings: { provider: "together" }, apiKeyEnv: "HF_TOKEN" }, secret);
 * ```
 * @module
 */
import {
  InferenceClient,
  InferenceClientProviderApiError,
} from "@huggingface/inference";
import { ChatChunks, type ChunkLike } from "./transport/chat_chunks.ts";
import { probeUp } from "./transport/probe.ts";
import {
  classifyHttpError,
  errorFromException,
  scrub,
} from "./transport/http_errors.ts";
import {
  type Answer,
  type EngineDescription,
  type GenerateRequest,
  requestSignal,
  type Target,
  type TargetError,
  type TargetFactory,
} from "./target.ts";

function toError(
  error: unknown,
  signal: AbortSignal,
  headers: Headers | undefined,
  secrets: (string | undefined)[],
): TargetError {
  let result: TargetError;
  if (error instanceof InferenceClientProviderApiError) {
    const body = error.httpResponse.body;
    const inner = typeof body === "object" && body !== null
      ? (body as Record<string, unknown>).error
      : undefined;
    const message = typeof inner === "string"
      ? inner
      : typeof inner === "object" && inner !== null &&
          typeof (inner as { message?: unknown }).message === "string"
      ? (inner as { message: string }).message
      : typeof body === "string"
      ? body
      : error.message;
    result = classifyHttpError({
      status: error.httpResponse.status,
      message,
      headers,
    });
  } else {
    result = errorFromException(error, signal);
  }
  return { ...result, message: scrub(result.message, secrets) };
}

/**
 * The `huggingface` factory (one registry line).
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * huggingFaceTarget(config, secret).config.kind; // "huggingface"
 * ```
 */
export const huggingFaceTarget: TargetFactory = (
  config,
  secret,
  http = fetch,
): Target => {
  const provider = typeof config.settings.provider === "string"
    ? config.settings.provider
    : "auto";
  const endpointUrl = config.baseUrl?.replace(/\/+$/, "") || undefined;
  const key = () => (config.apiKeyEnv ? secret(config.apiKeyEnv) : undefined);
  return {
    config,
    describe(): Promise<EngineDescription> {
      return Promise.resolve({
        engine: "huggingface",
        model: config.model ?? undefined,
        provider: endpointUrl ? "endpoint" : provider,
        ...(endpointUrl ? { endpoint_url: endpointUrl } : {}),
      });
    },
    health(signal: AbortSignal): Promise<boolean> {
      // An endpoint's own /health (TGI), else the router's models list.
      const url = endpointUrl
        ? `${endpointUrl}/health`
        : "https://router.huggingface.co/v1/models";
      return probeUp(url, signal, {}, http);
    },
    async generate(request: GenerateRequest): Promise<Answer> {
      const started = performance.now();
      const { params } = request;
      const signal = requestSignal(request);
      let headers: Headers | undefined;
      const recordingFetch: typeof fetch = async (input, init) => {
        // A redirect could lead anywhere, past the base_url rules: refused.
        const response = await http(input, { ...init, redirect: "error" });
        headers = response.headers;
        return response;
      };
      const client = new InferenceClient(key() ?? "", {
        ...(endpointUrl ? { endpointUrl } : {}),
        fetch: recordingFetch,
        retry_on_error: false,
      });
      const responseFormat = request.mode === "json_schema"
        ? {
          type: "json_schema",
          json_schema: { name: "answer", schema: request.schema, strict: true },
        }
        : request.mode === "json_object"
        ? { type: "json_object" }
        : undefined;
      const chunks = new ChatChunks(started);
      let error: TargetError | undefined;
      try {
        const stream = client.chatCompletionStream({
          ...(config.model ? { model: config.model } : {}),
          ...(endpointUrl ? {} : { provider: provider as "auto" }),
          messages: request.messages.map((m) => ({
            role: m.role,
            content: m.content,
          })),
          ...(params.temperature !== undefined
            ? { temperature: params.temperature }
            : {}),
          ...(params.max_tokens !== undefined
            ? { max_tokens: params.max_tokens }
            : {}),
          ...(params.seed !== undefined ? { seed: params.seed } : {}),
          ...(responseFormat
            ? { response_format: responseFormat as never }
            : {}),
          stream_options: { include_usage: true },
        }, { signal });
        for await (const chunk of stream) {
          chunks.add(chunk as ChunkLike);
          if (chunks.full) break;
        }
      } catch (thrown) {
        error = toError(thrown, request.signal, headers, [key()]);
      }
      return chunks.answer({
        error,
        secrets: [key()],
        engineTimings: {
          served_model: chunks.servedModel ?? null,
          served_by: headers?.get("x-inference-provider") ??
            (endpointUrl ? "endpoint" : provider),
        },
      });
    },
  };
};
