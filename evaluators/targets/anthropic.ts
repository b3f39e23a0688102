/**
 * Anthropic's Messages API (kind `anthropic`; `base_url` optional, default
 * Anthropic's own API root), through fetch and its documented SSE stream.
 *
 * - `json_schema` mode sends the schema as JSON outputs
 *   (`output_config.format`, constrained decoding); `prompt_only` sends the
 *   prompt alone; Anthropic has no schema-less JSON mode, so `json_object`
 *   is sent as `prompt_only` (and says so in `engineTimings.mode_sent`).
 * - `settings.adapt`: `none` (default) sends the schema as written, and a
 *   400 about it (its "compiled grammar is too large" included) is
 *   `unsupported_schema`; `strict` rewrites it to the documented subset
 *   (`adapt/anthropic.ts`) and stores the schema sent.
 * - `settings.reasoning`: `on` sends extended thinking with
 *   `settings.thinking_budget` tokens (default 1024, added to `max_tokens`,
 *   and no temperature: Anthropic requires its default with thinking);
 *   `off` sends thinking disabled; `default` sends neither. Thinking comes
 *   back apart, as the answer's reasoning.
 * - `stop_reason`: `end_turn`/`stop_sequence` are `stop`, `max_tokens` is
 *   `length`, `refusal` is a refusal. 429 and 529 (overloaded) slow the
 *   target down and are retried after `retry-after` or the
 *   `anthropic-ratelimit-*-reset` times.
 * - `describe()` and the health probe read the models list (`/v1/models`),
 *   so a refused key is seen before any case is sent.
 *
 * @example
 * ```ts
 * import { anthropicTarget } from "./anthropic.ts";
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * const target = anthropicTarget({ ...config, kind: "anthropic", model: "claude-sonnet-4-5", apiKeyEnv: "ANTHROPIC_API_KEY" }, secret);
 * ```
 * @module
 */
import { adaptForAnthropic } from "./adapt/anthropic.ts";
import { ChatChunks } from "./transport/chat_chunks.ts";
import {
  classifyStreamError,
  errorFromException,
  errorFromResponse,
  scrub,
} from "./transport/http_errors.ts";
import { postJson } from "./transport/post_json.ts";
import { probeUp } from "./transport/probe.ts";
import { readEvents } from "./transport/sse.ts";
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

/** Anthropic's API root. */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/** The API version every request names. */
export const ANTHROPIC_VERSION = "2023-06-01";

/** Anthropic's stop reasons in our words. */
const STOP: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
};

/** One streamed event, as far as it is read here. */
interface Event {
  type?: string;
  message?: { model?: string; usage?: Usage };
  delta?: {
    type?: string;
    text?: string;
    thinking?: string;
    stop_reason?: string | null;
  };
  usage?: Usage;
  error?: { type?: string; message?: string };
}

interface Usage {
  input_tokens?: number;
  output_tokens?: number;
}

/**
 * The `anthropic` factory (one registry line).
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * declare const secret: (name: string) => string | undefined;
 * anthropicTarget(config, secret).config.kind; // "anthropic"
 * ```
 */
export const anthropicTarget: TargetFactory = (
  config,
  secret,
  http = fetch,
): Target => {
  const root = (config.baseUrl ?? ANTHROPIC_BASE_URL).replace(/\/+$/, "");
  const key = () => (config.apiKeyEnv ? secret(config.apiKeyEnv) : undefined);
  const headers = (): Record<string, string> => ({
    "anthropic-version": ANTHROPIC_VERSION,
    ...(key() ? { "x-api-key": key()! } : {}),
  });
  const reasoning = reasoningOf(config.settings);
  const budget = typeof config.settings.thinking_budget === "number"
    ? config.settings.thinking_budget
    : 1024;
  const strict = config.settings.adapt === "strict";

  async function models(signal: AbortSignal): Promise<Response> {
    return await fetch(`${root}/v1/models`, {
      headers: headers(),
      redirect: "error",
      signal,
    });
  }

  return {
    config,
    async describe(signal?: AbortSignal): Promise<EngineDescription> {
      const description: EngineDescription = {
        engine: "anthropic",
        model: config.model ?? undefined,
        base_url: root,
        reasoning,
      };
      try {
        const response = await models(signal ?? AbortSignal.timeout(30_000));
        if (!response.ok) {
          description.models_error = scrub(
            (await errorFromResponse(response)).message,
            [key()],
          );
        } else {
          const listed = await response.json() as { data?: { id?: string }[] };
          description.models_listed = (listed.data ?? [])
            .map((m) => m.id).filter((id) => typeof id === "string")
            .slice(0, 50);
        }
      } catch (error) {
        description.models_error = errorFromException(error).message;
      }
      return description;
    },
    health(signal: AbortSignal): Promise<boolean> {
      return probeUp(`${root}/v1/models`, signal, headers(), http);
    },
    async generate(request: GenerateRequest): Promise<Answer> {
      const started = performance.now();
      const { params } = request;
      const signal = requestSignal(request);
      const constrained = request.mode === "json_schema";
      const adapted = constrained && strict
        ? adaptForAnthropic(request.schema)
        : null;
      const schema = adapted?.changed ? adapted.schema : request.schema;
      const system = request.messages.filter((m) => m.role === "system")
        .map((m) => m.content).join("\n\n");
      const maxTokens = params.max_tokens ?? 1024;
      const body = {
        model: config.model ?? "claude-sonnet-4-5",
        max_tokens: reasoning === "on" ? maxTokens + budget : maxTokens,
        ...(system ? { system } : {}),
        messages: request.messages.filter((m) => m.role !== "system"),
        stream: true,
        ...(params.temperature !== undefined && reasoning !== "on"
          ? { temperature: params.temperature }
          : {}),
        ...(reasoning === "on"
          ? { thinking: { type: "enabled", budget_tokens: budget } }
          : reasoning === "off"
          ? { thinking: { type: "disabled" } }
          : {}),
        ...(constrained
          ? { output_config: { format: { type: "json_schema", schema } } }
          : {}),
      };
      const chunks = new ChatChunks(started);
      const extra = {
        secrets: [key()],
        sentSchema: adapted?.changed ? adapted.schema : undefined,
        engineTimings: {
          mode_sent: constrained ? "json_schema" : "prompt_only",
        },
      };
      const sent = await postJson(
        `${root}/v1/messages`,
        body,
        signal,
        headers(),
        http,
      );
      if (!(sent instanceof Response)) {
        return chunks.answer({ ...extra, error: scrubbed(sent, key()) });
      }
      let error: TargetError | undefined;
      try {
        for await (const event of readEvents(sent.body!)) {
          error = add(chunks, event as Event);
          if (error || chunks.full) break;
        }
      } catch (thrown) {
        error = errorFromException(thrown, request.signal);
      }
      return chunks.answer({
        ...extra,
        error: error ? scrubbed(error, key()) : undefined,
      });
    },
  };
};

/** Feeds one Anthropic event to the answer; an error event is returned. */
function add(chunks: ChatChunks, event: Event): TargetError | undefined {
  switch (event.type) {
    case "message_start": {
      const usage = event.message?.usage;
      chunks.servedModel ??= event.message?.model;
      chunks.add({ usage: { prompt_tokens: usage?.input_tokens } });
      return;
    }
    case "content_block_delta": {
      const delta = event.delta ?? {};
      if (delta.type === "text_delta") {
        chunks.add({ choices: [{ delta: { content: delta.text ?? "" } }] });
      } else if (delta.type === "thinking_delta") {
        chunks.add({
          choices: [{ delta: { reasoning_content: delta.thinking ?? "" } }],
        });
      }
      return;
    }
    case "message_delta": {
      const reason = event.delta?.stop_reason ?? null;
      chunks.add({
        usage: {
          prompt_tokens: chunks.usage?.prompt_tokens,
          completion_tokens: event.usage?.output_tokens,
        },
        choices: [{
          finish_reason: reason ? STOP[reason] ?? reason : null,
          delta: reason === "refusal"
            ? { refusal: "the model declined to answer (stop_reason refusal)" }
            : {},
        }],
      });
      return;
    }
    case "error":
      return classifyStreamError(
        `${event.error?.type ?? "error"}: ${event.error?.message ?? ""}`,
      );
  }
}

function scrubbed(error: TargetError, key: string | undefined): TargetError {
  return { ...error, message: scrub(error.message, [key]) };
}
