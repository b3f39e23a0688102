/**
 * The stub engine's replies (`stub_engine.ts`), in llama.cpp's shapes: a
 * chat completion (streamed or not), a `/completion` reply, and the
 * mid-generation fault. Asked for log probabilities, the reply is one
 * token with log probability {@link STUB_LOGPROB}, reported as llama.cpp
 * reports it (`completion_probabilities`, or the chat chunk's
 * `logprobs.content`).
 *
 * @example
 * ```ts
 * import { chatReply } from "./stub_replies.ts";
 * const response = chatReply("{}", true, true);
 * (await response.text()).includes('"logprob"'); // true
 * ```
 * @module
 */

/**
 * The log probability the stub reports for its one-token reply.
 *
 * @example
 * ```ts
 * STUB_LOGPROB; // -0.5
 * ```
 */
export const STUB_LOGPROB = -0.5;

const encoder = new TextEncoder();

function sse(events: unknown[]): Response {
  const body = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") +
    "data: [DONE]\n\n";
  return new Response(encoder.encode(body), {
    headers: { "content-type": "text/event-stream" },
  });
}

/**
 * A chat completion with `reply` as its content.
 *
 * @example
 * ```ts
 * chatReply("{}", false).status; // 200
 * ```
 */
export function chatReply(
  reply: string,
  stream: boolean,
  logprobs = false,
): Response {
  const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
  const timings = { prompt_ms: 0, predicted_ms: 0, predicted_per_token_ms: 0 };
  const base = { id: "stub", model: "stub.gguf", created: 0 };
  if (!stream) {
    return Response.json({
      ...base,
      object: "chat.completion",
      choices: [{
        index: 0,
        message: { role: "assistant", content: reply },
        finish_reason: "stop",
      }],
      usage,
      timings,
    });
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    ...base,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const first = chunk({ role: "assistant", content: reply }, null);
  if (logprobs) {
    Object.assign(first.choices[0], {
      logprobs: { content: [{ token: reply, logprob: STUB_LOGPROB }] },
    });
  }
  return sse([
    first,
    chunk({}, "stop"),
    { ...base, object: "chat.completion.chunk", choices: [], usage, timings },
  ]);
}

/**
 * A `/completion` reply with `reply` as its content.
 *
 * @example
 * ```ts
 * completionReply("{}", true).headers.get("content-type"); // "text/event-stream"
 * ```
 */
export function completionReply(
  reply: string,
  stream: boolean,
  logprobs = false,
): Response {
  const last = {
    content: stream ? "" : reply,
    stop: true,
    stop_type: "eos",
    tokens_predicted: 1,
    tokens_evaluated: 1,
    timings: { prompt_ms: 0, predicted_ms: 0 },
  };
  const probs = logprobs
    ? {
      completion_probabilities: [{
        id: 1,
        token: reply,
        logprob: STUB_LOGPROB,
      }],
    }
    : {};
  if (!stream) return Response.json({ ...last, ...probs });
  return sse([{ content: reply, stop: false, ...probs }, last]);
}

/** llama.cpp's error object (`format_error_response` with a server error). */
function errorBody(message: string) {
  return { code: 500, message, type: "server_error" };
}

/**
 * llama.cpp failing mid-generation with `message` (or, `http500` or not
 * streaming, the 500 it sends before any token).
 *
 * @example
 * ```ts
 * faultReply("grammar", true, "/completion", true).status; // 500
 * ```
 */
export function faultReply(
  message: string,
  http500: boolean,
  path: string,
  stream: boolean,
): Response {
  if (!stream || http500) {
    return Response.json({ error: errorBody(message) }, { status: 500 });
  }
  const first = path === "/completion" ? { content: "{", stop: false } : {
    id: "stub",
    model: "stub.gguf",
    created: 0,
    object: "chat.completion.chunk",
    choices: [{
      index: 0,
      delta: { role: "assistant", content: "{" },
      finish_reason: null,
    }],
  };
  // The stream ends on the error: llama.cpp sends no [DONE] after one.
  const body = `data: ${JSON.stringify(first)}\n\n` +
    `data: ${JSON.stringify({ error: errorBody(message) })}\n\n`;
  return new Response(encoder.encode(body), {
    headers: { "content-type": "text/event-stream" },
  });
}
