/**
 * A local stand-in for hosted providers in contract tests: an HTTP server
 * on 127.0.0.1 that answers each request with what a script says, in the
 * providers' documented formats (OpenAI-style JSON errors, SSE chat
 * streams), and records every request with its arrival time. Replies that
 * cannot be produced here (a refusal, a 429, a provider's schema error)
 * are tested against it, beside the real llama-server path.
 *
 * @example
 * ```ts
 * import { chatStream, jsonError, startProviderStub } from "./provider_stub.ts";
 * const stub = await startProviderStub((_req, n) => n === 0 ? jsonError(429, "slow down", { "retry-after": "1" }) : chatStream('{"a":1}'));
 * // ... point a target at `${stub.url}/v1` ...
 * await stub.stop();
 * ```
 * @module
 */

/** One request the stub received. */
export interface StubRequest {
  at: number;
  method: string;
  path: string;
  headers: Headers;
  body: Record<string, unknown> | null;
}

/** What the script answers: a Response, or `"hang"` to never answer. */
export type StubReply = Response | "hang";

/** A running stub. */
export interface ProviderStub {
  url: string;
  requests: StubRequest[];
  stop(): Promise<void>;
}

/**
 * An OpenAI-style JSON error (`{ "error": { "message", "type", "code" } }`).
 *
 * @example
 * ```ts
 * jsonError(400, "Invalid schema for response_format 'answer'", {}, "invalid_request_error");
 * ```
 */
export function jsonError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  type = "invalid_request_error",
  code: string | null = null,
): Response {
  return Response.json({ error: { message, type, param: null, code } }, {
    status,
    headers,
  });
}

/**
 * A chat-completions SSE stream that sends `content` in a few chunks, then
 * the finish reason and usage, as OpenAI documents it. `refusal` sends the
 * refusal field instead of content.
 *
 * @example
 * ```ts
 * chatStream('{"ok":true}', { finishReason: "stop" });
 * ```
 */
export function chatStream(
  content: string,
  options: {
    finishReason?: string;
    refusal?: string;
    model?: string;
    reasoning?: string;
    /** One chunk per entry, each with its token's `logprobs.content`. */
    logprobs?: number[];
    /** The usage's completion tokens (default: the log probabilities', else 10). */
    completionTokens?: number;
  } = {},
): Response {
  const base = {
    id: "chatcmpl-stub",
    object: "chat.completion.chunk",
    created: 0,
    model: options.model ?? "stub-model",
    system_fingerprint: "fp_stub",
  };
  const events: unknown[] = [];
  const choice = (
    delta: Record<string, unknown>,
    finish: string | null = null,
  ) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  events.push(choice({ role: "assistant", content: "" }));
  if (options.reasoning) {
    events.push(choice({ reasoning_content: options.reasoning }));
  }
  if (options.refusal !== undefined) {
    events.push(choice({ refusal: options.refusal }));
  } else if (options.logprobs) {
    const size = Math.ceil(content.length / options.logprobs.length);
    options.logprobs.forEach((logprob, i) => {
      const token = content.slice(i * size, (i + 1) * size);
      const event = choice({ content: token });
      Object.assign(event.choices[0], {
        logprobs: {
          content: [{ token, logprob, bytes: [], top_logprobs: [] }],
        },
      });
      events.push(event);
    });
  } else {
    const size = Math.max(1, Math.ceil(content.length / 3));
    for (let i = 0; i < content.length; i += size) {
      events.push(choice({ content: content.slice(i, i + size) }));
    }
  }
  events.push(choice({}, options.finishReason ?? "stop"));
  events.push({
    ...base,
    choices: [],
    usage: {
      prompt_tokens: 50,
      completion_tokens: options.completionTokens ??
        options.logprobs?.length ?? 10,
      total_tokens: 60,
    },
  });
  const body = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") +
    "data: [DONE]\n\n";
  return new Response(body, {
    headers: { "content-type": "text/event-stream" },
  });
}

/** What the stub says of itself on Ollama's description routes. */
const OLLAMA_INFO: Record<string, unknown> = {
  "GET /api/version": { version: "0.12.0-stub" },
  "GET /api/tags": {
    models: [{
      name: "stub-model",
      model: "stub-model",
      digest: "sha256:stub0digest",
      details: { family: "stub", quantization_level: "Q4_K_M" },
    }],
  },
  "POST /api/show": {
    details: {
      family: "stub",
      parameter_size: "1B",
      quantization_level: "Q4_K_M",
    },
    parameters: "temperature 0.7",
    capabilities: ["completion", "thinking"],
  },
};

/**
 * Starts a stub whose `script(request, index)` decides each reply (`index`
 * counts chat requests from 0; `GET /v1/models` and Ollama's `/api/version`,
 * `/api/tags` and `/api/show` are answered by themselves).
 *
 * @example
 * ```ts
 * const stub = await startProviderStub(() => chatStream("{}"));
 * ```
 */
export function startProviderStub(
  script: (
    request: StubRequest,
    index: number,
  ) => StubReply | Promise<StubReply>,
): Promise<ProviderStub> {
  const requests: StubRequest[] = [];
  const hanging = new Set<() => void>();
  const controller = new AbortController();
  let index = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
  }, async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path.endsWith("/models")) {
      return Response.json({
        object: "list",
        data: [{ id: "stub-model", object: "model", owned_by: "stub" }],
      });
    }
    // Ollama's own description routes (`ollama.ts`), answered by themselves.
    const ollama = OLLAMA_INFO[`${req.method} ${path}`];
    if (ollama) return Response.json(ollama);
    const text = await req.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text);
    } catch { /* not JSON */ }
    const record: StubRequest = {
      at: performance.now(),
      method: req.method,
      path,
      headers: req.headers,
      body,
    };
    requests.push(record);
    const reply = await script(record, index++);
    if (reply === "hang") {
      // Never answer; released when the client gives up or the stub stops.
      await new Promise<void>((resolve) => {
        hanging.add(resolve);
        req.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return new Response(null, { status: 499 });
    }
    return reply;
  });
  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    stop: async () => {
      for (const release of hanging) release();
      controller.abort();
      await server.finished;
    },
  });
}
