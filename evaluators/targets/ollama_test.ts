// Contract tests of the `ollama` kind against a local stub answering in
// Ollama's own API formats (`/api/chat` NDJSON, `{"error": …}`, the
// description routes): success, truncation, the refusal of `pattern`, a
// thinking field, `think` on/off, and the engine description.
import assert from "node:assert/strict";
import { startProviderStub, type StubReply } from "./testing/provider_stub.ts";
import { ollamaError, ollamaStream } from "./testing/native_replies.ts";
import { DEFAULT_TEMPLATE } from "../prompt.ts";
import { runCase } from "../run_case.ts";
import { SchemaValidator } from "../validation/validate.ts";
import { createTarget } from "./registry.ts";
import type { Mode, TargetConfig } from "./target.ts";

const schema = {
  type: "object",
  properties: { name: { type: "string" } },
  required: ["name"],
};

async function withStub(
  script: (index: number) => StubReply,
  fn: (stub: Awaited<ReturnType<typeof startProviderStub>>) => Promise<void>,
) {
  const stub = await startProviderStub((_req, i) => script(i));
  try {
    await fn(stub);
  } finally {
    await stub.stop();
  }
}

const config = (
  url: string,
  settings: Record<string, unknown> = {},
  mode: Mode = "json_schema",
): TargetConfig => ({
  name: "local ollama",
  kind: "ollama",
  baseUrl: url,
  model: "stub-model",
  mode,
  settings,
  params: {},
  apiKeyEnv: null,
});

function run(
  url: string,
  settings: Record<string, unknown> = {},
  mode: Mode = "json_schema",
) {
  return runCase({
    kase: { key: "k", schema },
    target: createTarget(config(url, settings, mode), () => undefined),
    mode,
    params: { temperature: 0, max_tokens: 64, seed: 7, timeout_ms: 10_000 },
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    retries: 1,
    backoffMs: 10,
  });
}

Deno.test("ollama: /api/chat with the schema as format, options as Ollama names them, timings kept", async () => {
  await withStub(() => ollamaStream('{"name":"Ada"}'), async (stub) => {
    const r = await run(stub.url, { keep_alive: "5m" });
    assert.equal(r.outcome, "valid");
    assert.equal(r.promptTokens, 30);
    assert.equal(r.completionTokens, 9);
    assert.equal(r.timings?.prompt_eval_ms, 20);
    assert.equal(r.timings?.load_ms, 10);
    const sent = stub.requests[0];
    assert.equal(sent.path, "/api/chat");
    assert.deepEqual(sent.body!.format, schema);
    assert.deepEqual(sent.body!.options, {
      temperature: 0,
      num_predict: 64,
      seed: 7,
    });
    assert.equal(sent.body!.keep_alive, "5m");
    assert.equal(sent.body!.think, undefined);
  });
  await withStub(() => ollamaStream('{"name":"Ada"}'), async (stub) => {
    await run(stub.url, {}, "json_object");
    assert.equal(stub.requests[0].body!.format, "json");
  });
});

Deno.test("ollama: done_reason length is a truncation; the refusal of pattern is unsupported_schema", async () => {
  await withStub(
    () => ollamaStream('{"name":"A', { doneReason: "length" }),
    async (stub) => assert.equal((await run(stub.url)).outcome, "truncated"),
  );
  await withStub(
    () => ollamaError(400, "invalid JSON schema in format"),
    async (stub) => {
      const r = await run(stub.url);
      assert.equal(r.outcome, "unsupported_schema");
      assert.equal(r.tries, 1);
    },
  );
});

Deno.test("ollama: think on and off are sent; thinking comes back apart; JSON only in thinking is invalid_json, flagged", async () => {
  await withStub(
    () => ollamaStream('{"name":"Ada"}', { thinking: "hmm" }),
    async (stub) => {
      const r = await run(stub.url, { reasoning: "on" });
      assert.equal(stub.requests[0].body!.think, true);
      assert.equal(r.reasoning, "hmm");
      assert.equal(r.outcome, "valid");
      assert.equal(r.answerInReasoning, false);
    },
  );
  await withStub(
    () => ollamaStream("", { thinking: '{"name":"Ada"}' }),
    async (stub) => {
      const r = await run(stub.url, { reasoning: "off" });
      assert.equal(stub.requests[0].body!.think, false);
      assert.equal(r.outcome, "invalid_json");
      assert.equal(r.answerInReasoning, true);
    },
  );
  // A <think> block in the content is stored apart, and the rest judged.
  await withStub(
    () => ollamaStream('<think>first this</think>{"name":"Ada"}'),
    async (stub) => {
      const r = await run(stub.url);
      assert.equal(r.outcome, "valid");
      assert.equal(r.reasoning, "first this");
      assert.equal(r.answerInReasoning, false);
    },
  );
});

Deno.test("ollama: describe gives the version, the model's digest, quantization and size; health is /api/version", async () => {
  await withStub(() => ollamaStream("{}"), async (stub) => {
    const target = createTarget(
      config(stub.url, { reasoning: "on" }),
      () => undefined,
    );
    const described = await target.describe();
    assert.equal(described.engine, "ollama");
    assert.equal(described.version, "0.12.0-stub");
    assert.equal(described.digest, "sha256:stub0digest");
    assert.equal(described.quantization, "Q4_K_M");
    assert.equal(described.parameter_size, "1B");
    assert.equal(described.reasoning, "on");
    assert.equal(await target.health!(AbortSignal.timeout(2000)), true);
  });
});
