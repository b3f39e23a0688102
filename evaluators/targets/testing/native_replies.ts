/**
 * Replies in the native formats of Anthropic's Messages API (an SSE stream
 * of typed events, JSON errors) and Ollama's `/api/chat` (NDJSON lines),
 * for the provider stub's scripts.
 *
 * @example
 * ```ts
 * import { anthropicStream, ollamaStream } from "./native_replies.ts";
 * anthropicStream('{"a":1}', { stopReason: "end_turn" });
 * ollamaStream('{"a":1}', { doneReason: "stop" });
 * ```
 * @module
 */

/**
 * A Messages API stream: `message_start`, an optional thinking block, the
 * text in a few deltas, `message_delta` with the stop reason and usage,
 * `message_stop`.
 *
 * @example
 * ```ts
 * import { anthropicStream } from "./native_replies.ts";
 * anthropicStream("", { stopReason: "refusal" });
 * ```
 */
export function anthropicStream(
  text: string,
  options: { stopReason?: string; thinking?: string; model?: string } = {},
): Response {
  const events: [string, unknown][] = [];
  events.push(["message_start", {
    type: "message_start",
    message: {
      id: "msg_stub",
      type: "message",
      role: "assistant",
      model: options.model ?? "stub-model",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 40, output_tokens: 1 },
    },
  }]);
  let index = 0;
  if (options.thinking !== undefined) {
    events.push(["content_block_start", {
      type: "content_block_start",
      index,
      content_block: { type: "thinking", thinking: "" },
    }]);
    events.push(["content_block_delta", {
      type: "content_block_delta",
      index,
      delta: { type: "thinking_delta", thinking: options.thinking },
    }]);
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  events.push(["content_block_start", {
    type: "content_block_start",
    index,
    content_block: { type: "text", text: "" },
  }]);
  const size = Math.max(1, Math.ceil(text.length / 3));
  for (let i = 0; i < text.length; i += size) {
    events.push(["content_block_delta", {
      type: "content_block_delta",
      index,
      delta: { type: "text_delta", text: text.slice(i, i + size) },
    }]);
  }
  events.push(["ping", { type: "ping" }]);
  events.push(["content_block_stop", { type: "content_block_stop", index }]);
  events.push(["message_delta", {
    type: "message_delta",
    delta: { stop_reason: options.stopReason ?? "end_turn" },
    usage: { output_tokens: 12 },
  }]);
  events.push(["message_stop", { type: "message_stop" }]);
  const body = events.map(([event, data]) =>
    `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
  ).join("");
  return new Response(body, {
    headers: { "content-type": "text/event-stream" },
  });
}

/**
 * An Anthropic JSON error (`{"type":"error","error":{"type","message"}}`).
 *
 * @example
 * ```ts
 * import { anthropicError } from "./native_replies.ts";
 * anthropicError(529, "overloaded_error", "Overloaded");
 * ```
 */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ type: "error", error: { type, message } }, {
    status,
    headers,
  });
}

/**
 * An `/api/chat` stream: the content in a few lines (thinking first, in
 * its own field), then the `done` line with its reason, counts and
 * durations (nanoseconds).
 *
 * @example
 * ```ts
 * import { ollamaStream } from "./native_replies.ts";
 * ollamaStream('{"a":1', { doneReason: "length" });
 * ```
 */
export function ollamaStream(
  content: string,
  options: { doneReason?: string; thinking?: string } = {},
): Response {
  const line = (message: Record<string, unknown>, done = false) => ({
    model: "stub-model",
    created_at: "2026-12-01T00:00:00Z",
    message: { role: "assistant", content: "", ...message },
    done,
  });
  const lines: unknown[] = [];
  if (options.thinking !== undefined) {
    lines.push(line({ thinking: options.thinking }));
  }
  const size = Math.max(1, Math.ceil(content.length / 3));
  for (let i = 0; i < content.length; i += size) {
    lines.push(line({ content: content.slice(i, i + size) }));
  }
  lines.push({
    ...line({}, true),
    done_reason: options.doneReason ?? "stop",
    total_duration: 90_000_000,
    load_duration: 10_000_000,
    prompt_eval_count: 30,
    prompt_eval_duration: 20_000_000,
    eval_count: 9,
    eval_duration: 50_000_000,
  });
  return new Response(lines.map((l) => JSON.stringify(l)).join("\n") + "\n", {
    headers: { "content-type": "application/x-ndjson" },
  });
}

/**
 * An Ollama error (`{"error": "…"}`).
 *
 * @example
 * ```ts
 * import { ollamaError } from "./native_replies.ts";
 * ollamaError(400, "invalid JSON schema in format");
 * ```
 */
export function ollamaError(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}
