// A hostile or broken engine: every reply, however malformed or enormous,
// ends as an answer (text, finish reason, or a typed error), never a crash
// or an unbounded read; outcome.ts turns each into its outcome (a cut
// answer with finish reason `length` is `truncated`, an error `infra_error`). A real HTTP server on 127.0.0.1 plays the engine.
import assert from "node:assert/strict";
import { MAX_ANSWER_CHARS } from "./transport/chat_chunks.ts";
import { llamacppTarget } from "./llamacpp.ts";
import { openAiCompatibleTarget } from "./openai_compatible.ts";
import type { Answer, Target, TargetConfig } from "./target.ts";

const encoder = new TextEncoder();
const MiB = 1024 * 1024;

function isolateBytes(): number {
  // What is kept, when the runner exposes the collector (deno task test).
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, external } = Deno.memoryUsage();
  return heapUsed + external;
}

/** A body streamed in 64 KiB pieces, `total` bytes in all, from `piece`. */
function streamOf(pieces: () => Generator<string>): ReadableStream {
  const it = pieces();
  return new ReadableStream({
    pull(controller) {
      const next = it.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

const delta = (content: string) =>
  `data: ${
    JSON.stringify({ choices: [{ delta: { content }, finish_reason: null }] })
  }\n\n`;

/** What each path of the hostile engine sends back. */
const REPLIES: Record<string, () => Response> = {
  // 40 MiB of content in small deltas: more than any answer may gather.
  endless: () =>
    new Response(
      streamOf(function* () {
        const piece = delta("a".repeat(64 * 1024));
        for (let i = 0; i < 640; i++) yield piece;
      }),
      { headers: { "content-type": "text/event-stream" } },
    ),
  // One 32 MiB line and never a newline.
  "one-line": () =>
    new Response(
      streamOf(function* () {
        yield "data: ";
        for (let i = 0; i < 512; i++) yield "x".repeat(64 * 1024);
      }),
      { headers: { "content-type": "text/event-stream" } },
    ),
  // HTML where an event stream was expected.
  html: () =>
    new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", {
      headers: { "content-type": "text/html" },
    }),
  // Events that are not JSON, and JSON of the wrong shape.
  garbage: () =>
    new Response(
      'data: {not json\n\ndata: [1,2,3]\n\ndata: {"choices":"no"}\n\n' +
        'data: {"choices":[{"delta":{"content":42}}]}\n\n' +
        delta('{"ok":') + delta("true}") + "data: [DONE]\n\n",
      { headers: { "content-type": "text/event-stream" } },
    ),
  // A 500 whose body is 64 MiB.
  "huge-error": () =>
    new Response(
      streamOf(function* () {
        for (let i = 0; i < 1024; i++) yield "e".repeat(64 * 1024);
      }),
      { status: 500 },
    ),
  // Half an answer, then the connection drops.
  reset: () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode(delta('{"a":')));
          setTimeout(() => controller.error(new Error("reset")), 20);
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    ),
  // A redirect elsewhere (it could name a metadata address): not followed.
  redirect: () =>
    new Response(null, {
      status: 302,
      headers: { location: "/landing/v1/chat/completions" },
    }),
  // Invalid UTF-8 inside the content.
  bytes: () =>
    new Response(
      new Uint8Array([
        ...encoder.encode('data: {"choices":[{"delta":{"content":"'),
        0xff,
        0xfe,
        0xc3,
        ...encoder.encode('"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'),
      ]),
      { headers: { "content-type": "text/event-stream" } },
    ),
};

async function withEngine(
  fn: (base: string, served: string[]) => Promise<void>,
): Promise<void> {
  const served: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      const name = new URL(request.url).pathname.split("/")[1];
      served.push(name);
      const reply = REPLIES[name];
      return reply ? reply() : new Response("no", { status: 404 });
    },
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, served);
  } finally {
    await server.shutdown();
  }
}

function config(kind: string, baseUrl: string): TargetConfig {
  return {
    name: `hostile ${kind}`,
    kind,
    baseUrl,
    model: "m",
    mode: "json_schema",
    settings: {},
    params: {},
    apiKeyEnv: null,
  };
}

const TARGETS: Record<string, (base: string) => Target> = {
  llamacpp: (base) => llamacppTarget(config("llamacpp", base), () => undefined),
  "openai-compatible": (base) =>
    openAiCompatibleTarget(
      config("openai-compatible", `${base}/v1`),
      () => undefined,
    ),
};

async function ask(target: Target): Promise<Answer> {
  return await target.generate({
    schema: { type: "object" },
    messages: [{ role: "user", content: "answer" }],
    mode: "json_schema",
    params: { max_tokens: 16, timeout_ms: 20_000 },
    signal: new AbortController().signal,
  });
}

for (const [kind, make] of Object.entries(TARGETS)) {
  Deno.test(`hostile engine replies (${kind}): an outcome each, memory bounded`, async () => {
    await withEngine(async (base, served) => {
      const answers: Record<string, Answer> = {};
      for (const name of Object.keys(REPLIES)) {
        // The llamacpp target posts to <base>/v1/chat/completions; the
        // OpenAI-style one to <base>/v1/chat/completions too: the first path
        // segment picks the reply.
        const target = make(`${base}/${name}`);
        // This isolate's memory (JS heap and the buffers it holds), not the
        // process's RSS: under `deno test --parallel` other test files run
        // in the same process and would be counted too.
        const before = isolateBytes();
        answers[name] = await ask(target);
        const grown = (isolateBytes() - before) / MiB;
        assert.ok(grown < 400, `${name}: memory grew ${grown.toFixed(0)} MiB`);
      }
      assert.ok(served.length >= Object.keys(REPLIES).length);

      const endless = answers.endless;
      assert.equal(endless.finishReason, "length");
      // The answer is cut at the cap, not dropped: what was read is kept,
      // whole (only the engine's "a"s), and no more than a piece past it.
      assert.ok(endless.text!.length >= MAX_ANSWER_CHARS);
      assert.ok(endless.text!.length <= MAX_ANSWER_CHARS + 64 * 1024);
      assert.match(endless.text!, /^a+$/);

      assert.equal(answers["one-line"].error?.kind, "infra_error");

      // Not an event stream: no text, or text that is not JSON.
      const html = answers.html;
      assert.ok(
        html.error || !html.text?.startsWith("{"),
        JSON.stringify(html),
      );

      // Bad events are skipped, or the whole reply is an engine fault (the
      // OpenAI SDK refuses an event that is not JSON): never a wrong text.
      const garbage = answers.garbage;
      if (garbage.error) assert.equal(garbage.error.kind, "infra_error");
      else assert.equal(garbage.text, '{"ok":true}');

      const huge = answers["huge-error"];
      assert.equal(huge.error?.kind, "infra_error");
      assert.ok((huge.error?.message.length ?? 0) <= 8192);

      assert.equal(answers.redirect.error?.kind, "infra_error");
      assert.ok(!served.includes("landing"), "the redirect was not followed");

      assert.equal(answers.reset.error?.kind, "infra_error");
      assert.equal(answers.reset.error?.retryable, true);

      assert.ok(answers.bytes.text!.includes("\ufffd"));
    });
  });
}
