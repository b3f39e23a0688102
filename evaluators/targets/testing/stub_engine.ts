/**
 * An instant local engine for benchmarks: a llama.cpp-shaped HTTP server on
 * 127.0.0.1 that answers every generation request at once with one fixed,
 * valid JSON reply. It serves what the `llamacpp` target calls: `/health`,
 * `/props` (build, model, slots), `/v1/models`, `/v1/chat/completions`
 * (streamed or not), `/apply-template` and `/completion`. What the harness
 * costs when the engine is free is measured against it
 * (`harness_floor_s`, `rss_mb` in `deno task bench`).
 *
 * With `fault`, it is a deterministic fault injector: every generation
 * request whose body carries the fault's marker (put it in the schema, e.g.
 * as its `title`) fails as llama.cpp fails mid-generation on a grammar it
 * accepted: the stream begins, then ends with an error event and no
 * `[DONE]` (or, `as: "http_500"`, the 500 it sends when the error comes
 * before any token); every other request is answered as usual.
 *
 * With `latency`, it is shaped like llama.cpp on a GPU (see
 * `engine_latency.ts`): each generation holds one of `slots` slots for its
 * time to first token plus its per-token time, and the requests beyond
 * `slots` wait in line (`gpu_shaped_ratio` in `deno task bench`).
 *
 * As a program: `deno run -A evaluators/targets/testing/stub_engine.ts [--port N]` prints its
 * URL and serves until Ctrl-C.
 *
 * @example
 * ```ts
 * import { startStubEngine } from "./stub_engine.ts";
 * const engine = await startStubEngine();
 * // a llamacpp target with base_url engine.url answers every case with "{}"
 * await engine.stop();
 * ```
 * @module
 */

import { chatReply, completionReply, faultReply } from "./stub_replies.ts";
import {
  type EngineLatency,
  EngineSlots,
  generationMs,
} from "./engine_latency.ts";

/**
 * A running stub engine.
 *
 * @example
 * ```ts
 * const engine: StubEngine = await startStubEngine({ slots: 4 });
 * console.log(engine.url, engine.generations);
 * await engine.stop();
 * ```
 */
export interface StubEngine {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** Generation requests answered so far. */
  readonly generations: number;
  /** Generation requests answered with the fault (see {@link StubFault}). */
  readonly faults: number;
  /** Times it crashed (a `crash` fault), and so went down. */
  readonly crashes: number;
  /** With `latency`: the most generations that held a slot at once. */
  readonly peakSlots: number;
  /** Stops listening and waits for the server to close. */
  stop(): Promise<void>;
}

/**
 * Options of {@link startStubEngine}.
 *
 * @example
 * ```ts
 * const options: StubEngineOptions = { slots: 4, reply: '{"a":1}' };
 * ```
 */
export interface StubEngineOptions {
  /** Slots reported by `/props` (`total_slots`); default 4. */
  slots?: number;
  /** The reply text; default `{}`. */
  reply?: string;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** Fail every generation request that carries a marker. */
  fault?: StubFault;
  /** How long each generation takes before its reply, in ms; default 0. */
  delayMs?: number;
  /**
   * The GPU shape: every generation waits for one of `slots` slots, holds
   * it for {@link generationMs} of this, then is answered.
   */
  latency?: EngineLatency;
}

/**
 * A fault the stub injects: the engine failing on one marked schema.
 *
 * @example
 * ```ts
 * const fault: StubFault = { marker: "fails-here", as: "stream" };
 * const engine = await startStubEngine({ reply: '{"a":1}', fault });
 * await engine.stop();
 * ```
 */
export interface StubFault {
  /** A request whose body contains this text fails (e.g. a schema `title`). */
  marker: string;
  /**
   * `stream` (default): a streamed request gets its first piece, then
   * `data: {"error": {...}}` and the stream ends, as llama.cpp sends an
   * error raised mid-generation; a request that does not stream, and every
   * request with `http_500`, gets the HTTP 500 body llama.cpp sends for an
   * error raised before the first token. `crash`: the engine dies while
   * generating it: every request in flight is cut mid-body, nothing
   * listens for `downMs`, then it listens again on the same port (every
   * generation is then held for `delayMs` after its headers, so that others
   * are in flight).
   */
  as?: "stream" | "http_500" | "crash";
  /** `crash`: how long it stays down, in ms (default 1000). */
  downMs?: number;
  /** The engine's words; default {@link GRAMMAR_STACK_ERROR}. */
  message?: string;
}

/**
 * llama.cpp's error for a grammar that cannot go on after a token it let
 * through (raised by the sampler mid-generation).
 *
 * @example
 * ```ts
 * GRAMMAR_STACK_ERROR.startsWith("Unexpected empty grammar stack"); // true
 * ```
 */
export const GRAMMAR_STACK_ERROR =
  "Unexpected empty grammar stack after accepting piece: } (92)";

/**
 * The build the stub reports, so its runs are easy to tell apart.
 *
 * @example
 * ```ts
 * declare const engine: StubEngine;
 * (await (await fetch(`${engine.url}/props`)).json()).build_info; // "stub-engine"
 * ```
 */
export const STUB_BUILD = "stub-engine";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Starts the stub engine and resolves once it listens.
 *
 * @example
 * ```ts
 * const engine = await startStubEngine({ reply: "{}" });
 * const res = await fetch(`${engine.url}/v1/chat/completions`, {
 *   method: "POST",
 *   body: JSON.stringify({ messages: [], stream: false }),
 * });
 * (await res.json()).choices[0].message.content; // "{}"
 * await engine.stop();
 * ```
 */
export async function startStubEngine(
  options: StubEngineOptions = {},
): Promise<StubEngine> {
  const slots = options.slots ?? 4;
  const reply = options.reply ?? "{}";
  let generations = 0;
  let faults = 0;
  const props = {
    build_info: STUB_BUILD,
    model_path: "stub.gguf",
    total_slots: slots,
    chat_template: "",
    default_generation_settings: { n_ctx: 8192 },
  };
  const live = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let crashes = 0;
  let restart: ReturnType<typeof setTimeout> | undefined;
  const crashing = options.fault?.as === "crash";
  const engineSlots = new EngineSlots(slots);
  /** The reply, its body held for `delayMs` after the headers (crash mode). */
  async function held(
    response: Response,
    forever = false,
  ): Promise<Response> {
    const bytes = new Uint8Array(await response.arrayBuffer());
    let stream!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        stream = c;
        live.add(c);
      },
    });
    if (!forever) {
      setTimeout(() => {
        if (!live.delete(stream)) return;
        stream.enqueue(bytes);
        stream.close();
      }, options.delayMs ?? 0);
    }
    return new Response(body, {
      status: response.status,
      headers: response.headers,
    });
  }
  let down = false;
  function crash(port: number) {
    if (down) return;
    down = true;
    crashes++;
    for (const stream of live) stream.error("the engine crashed");
    live.clear();
    current.controller.abort();
    restart = setTimeout(() => {
      down = false;
      current = listen(port);
    }, options.fault?.downMs ?? 1000);
  }
  async function handle(req: Request, port: number): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (req.method === "GET") {
      if (path === "/health") return Response.json({ status: "ok" });
      if (path === "/props") return Response.json(props);
      if (path === "/v1/models") {
        return Response.json({
          object: "list",
          data: [{ id: "stub.gguf", object: "model", meta: null }],
        });
      }
      return new Response("not found", { status: 404 });
    }
    const text = await req.text();
    let body: { stream?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch { /* an empty or bad body streams nothing special */ }
    const stream = body.stream === true;
    if (path === "/apply-template") return Response.json({ prompt: "stub" });
    if (path !== "/v1/chat/completions" && path !== "/completion") {
      return new Response("not found", { status: 404 });
    }
    generations++;
    if (options.delayMs && !crashing) await sleep(options.delayMs);
    if (options.latency) {
      const release = await engineSlots.acquire();
      await sleep(generationMs(options.latency)).finally(release);
    }
    const fault = options.fault;
    const marked = fault && text.includes(fault.marker);
    if (marked) faults++;
    if (marked && !crashing) {
      const message = fault.message ?? GRAMMAR_STACK_ERROR;
      return faultReply(message, fault.as === "http_500", path, stream);
    }
    // Asked for log probabilities (llama.cpp's n_probs, OpenAI's logprobs):
    // the reply is one token, with a fixed one.
    const logprobs = (body as { n_probs?: unknown }).n_probs !== undefined ||
      (body as { logprobs?: unknown }).logprobs === true;
    const answer = path === "/v1/chat/completions"
      ? chatReply(reply, stream, logprobs)
      : completionReply(reply, stream, logprobs);
    if (!crashing) return answer;
    // The marked request never completes: the engine dies of it.
    const response = await held(answer, !!marked);
    // Dies a moment after taking the marked request, the others in flight.
    if (marked) setTimeout(() => crash(port), 50);
    return response;
  }
  function listen(port: number) {
    const controller = new AbortController();
    const listening = Promise.withResolvers<number>();
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port,
      signal: controller.signal,
      onListen: ({ port }) => listening.resolve(port),
    }, async (req) => handle(req, await listening.promise));
    return { controller, server, listening: listening.promise };
  }
  let current = listen(options.port ?? 0);
  const port = await current.listening;
  return {
    url: `http://127.0.0.1:${port}`,
    get generations() {
      return generations;
    },
    get faults() {
      return faults;
    },
    get crashes() {
      return crashes;
    },
    get peakSlots() {
      return engineSlots.peak;
    },
    stop: async () => {
      clearTimeout(restart);
      for (const stream of live) stream.error("stopped");
      live.clear();
      current.controller.abort();
      await current.server.finished;
    },
  };
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--port");
  const port = at >= 0 ? Number(Deno.args[at + 1]) : undefined;
  const engine = await startStubEngine({ port });
  console.log(`stub engine at ${engine.url} (Ctrl-C stops it)`);
  const stop = async () => {
    await engine.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
