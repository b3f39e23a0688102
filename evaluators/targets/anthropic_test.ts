// Contract tests of the `anthropic` kind against a local stub answering in
// the Messages API's documented formats: success, a refusal, truncation,
// 429 with its headers, 529, "compiled grammar is too large", a thinking
// block, and the adapt policy. The smoke suite through the whole server is
// in server/routes/native_providers_test.ts.
import assert from "node:assert/strict";
import { startProviderStub, type StubReply } from "./testing/provider_stub.ts";
import { anthropicError, anthropicStream } from "./testing/native_replies.ts";
import { DEFAULT_TEMPLATE } from "../prompt.ts";
import { runCase } from "../run_case.ts";
import { SchemaValidator } from "../validation/validate.ts";
import { AdaptiveLimit } from "./transport/adaptive_limit.ts";
import { createTarget } from "./registry.ts";
import { adaptForAnthropic } from "./adapt/anthropic.ts";

const schema = {
  type: "object",
  properties: { name: { type: "string", maxLength: 20 } },
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

function run(
  url: string,
  settings: Record<string, unknown> = {},
  options: { mode?: "json_schema" | "prompt_only"; limiter?: AdaptiveLimit } =
    {},
) {
  return runCase({
    kase: { key: "k", schema },
    target: createTarget({
      name: "claude",
      kind: "anthropic",
      baseUrl: url,
      model: "claude-stub",
      mode: options.mode ?? "json_schema",
      settings,
      params: {},
      apiKeyEnv: "ANTHROPIC_API_KEY",
    }, () => "sk-ant-stub-secret"),
    mode: options.mode ?? "json_schema",
    params: { temperature: 0, max_tokens: 64, timeout_ms: 10_000 },
    template: DEFAULT_TEMPLATE,
    validator: new SchemaValidator(),
    signal: new AbortController().signal,
    retries: 2,
    backoffMs: 10,
    limiter: options.limiter,
  });
}

Deno.test("anthropic: the schema goes as output_config.format, the answer is judged, tokens counted", async () => {
  await withStub(() => anthropicStream('{"name":"Ada"}'), async (stub) => {
    const r = await run(stub.url);
    assert.equal(r.outcome, "valid");
    assert.equal(r.promptTokens, 40);
    assert.equal(r.completionTokens, 12);
    const sent = stub.requests[0];
    assert.equal(sent.path, "/v1/messages");
    assert.equal(sent.headers.get("x-api-key"), "sk-ant-stub-secret");
    assert.equal(sent.headers.get("anthropic-version"), "2023-06-01");
    assert.deepEqual(sent.body!.output_config, {
      format: { type: "json_schema", schema },
    });
    assert.equal(sent.body!.stream, true);
    // The system prompt goes apart, as the API wants it.
    const messages = sent.body!.messages as { role: string }[];
    assert.ok(messages.every((m) => m.role !== "system"));
    assert.equal(typeof sent.body!.system, "string");
  });
});

Deno.test("anthropic: stop_reason refusal is a refusal, max_tokens a truncation", async () => {
  await withStub(
    () => anthropicStream("", { stopReason: "refusal" }),
    async (stub) => assert.equal((await run(stub.url)).outcome, "refusal"),
  );
  await withStub(
    () => anthropicStream('{"name":"Ad', { stopReason: "max_tokens" }),
    async (stub) => {
      const r = await run(stub.url);
      assert.equal(r.outcome, "truncated");
      assert.equal(r.finishReason, "length");
    },
  );
});

Deno.test("anthropic: 429 and 529 slow the target down and are retried after the provider's wait", async () => {
  const reset = new Date(Date.now() + 1500).toISOString();
  await withStub(
    (i) =>
      i === 0
        ? anthropicError(
          429,
          "rate_limit_error",
          "Number of requests has exceeded your rate limit",
          {
            "anthropic-ratelimit-requests-remaining": "0",
            "anthropic-ratelimit-requests-reset": reset,
          },
        )
        : i === 1
        ? anthropicError(529, "overloaded_error", "Overloaded")
        : anthropicStream('{"name":"Ada"}'),
    async (stub) => {
      const limiter = new AdaptiveLimit({ max: 4 });
      const r = await run(stub.url, {}, { limiter });
      assert.equal(r.outcome, "valid");
      assert.equal(r.tries, 3);
      assert.ok(limiter.limit < 4, "the limiter slowed down");
      const gap = stub.requests[1].at - stub.requests[0].at;
      assert.ok(gap >= 1000, `retried after ${gap} ms, before the reset`);
    },
  );
});

Deno.test('anthropic: "compiled grammar is too large" is unsupported_schema, and the key is in no message', async () => {
  await withStub(
    () =>
      anthropicError(
        400,
        "invalid_request_error",
        "The compiled grammar is too large. Reduce the number of optional fields.",
      ),
    async (stub) => {
      const r = await run(stub.url);
      assert.equal(r.outcome, "unsupported_schema");
      assert.equal(r.tries, 1);
      assert.ok(!r.errorMessage!.includes("sk-ant-stub-secret"));
    },
  );
});

Deno.test("anthropic: thinking comes back apart; reasoning on sends thinking with its budget and no temperature", async () => {
  await withStub(
    () => anthropicStream('{"name":"Ada"}', { thinking: "Let me think." }),
    async (stub) => {
      const r = await run(stub.url, { reasoning: "on", thinking_budget: 2048 });
      assert.equal(r.outcome, "valid");
      assert.equal(r.reasoning, "Let me think.");
      const body = stub.requests[0].body!;
      assert.deepEqual(body.thinking, { type: "enabled", budget_tokens: 2048 });
      assert.equal(body.max_tokens, 64 + 2048);
      assert.equal(body.temperature, undefined);
    },
  );
  await withStub(() => anthropicStream('{"name":"Ada"}'), async (stub) => {
    await run(stub.url, { reasoning: "off" });
    assert.deepEqual(stub.requests[0].body!.thinking, { type: "disabled" });
  });
});

Deno.test("anthropic: JSON only in the thinking block, empty content, is invalid_json and flagged", async () => {
  await withStub(
    () => anthropicStream("", { thinking: 'Answer: {"name":"Ada"}' }),
    async (stub) => {
      const r = await run(stub.url);
      assert.equal(r.outcome, "invalid_json");
      assert.equal(r.answerInReasoning, true);
    },
  );
});

Deno.test("anthropic adapt strict: objects closed, bounds and unlisted formats dropped, the sent schema stored", async () => {
  const adapted = adaptForAnthropic({
    type: "object",
    properties: {
      n: { type: "integer", minimum: 1 },
      s: { type: "string", format: "iri", maxLength: 5 },
      u: { anyOf: [{ type: "object", properties: {} }, { type: "null" }] },
      list: { type: "array", minItems: 3, items: { $ref: "#" } },
    },
  });
  type Node = Record<string, unknown>;
  const sent = adapted.schema as Node & { properties: Record<string, Node> };
  assert.equal(sent.additionalProperties, false);
  assert.deepEqual(sent.properties.n, { type: "integer" });
  assert.deepEqual(sent.properties.s, { type: "string" });
  assert.equal(
    sent.properties.u.additionalProperties,
    undefined,
    "a union node stays open",
  );
  const branch = (sent.properties.u.anyOf as Record<string, unknown>[])[0];
  assert.equal(branch.additionalProperties, false);
  assert.equal(sent.properties.list.minItems, undefined);
  assert.ok(
    adapted.notes.some((n) => n.startsWith("dropped minimum at /properties/n")),
  );
  assert.ok(adapted.notes.some((n) => n.startsWith("a recursive $ref")));
  await withStub(() => anthropicStream('{"name":"Ada"}'), async (stub) => {
    const r = await run(stub.url, { adapt: "strict" });
    const format = (stub.requests[0].body!.output_config as {
      format: { schema: Record<string, unknown> };
    }).format;
    assert.equal(format.schema.additionalProperties, false);
    assert.deepEqual(r.sentSchema, format.schema);
    assert.equal(r.outcome, "valid");
  });
});

Deno.test("anthropic: describe lists the models and says the reasoning setting; the health probe answers", async () => {
  await withStub(() => anthropicStream("{}"), async (stub) => {
    const target = createTarget({
      name: "claude",
      kind: "anthropic",
      baseUrl: stub.url,
      model: "claude-stub",
      mode: "json_schema",
      settings: { reasoning: "off" },
      params: {},
      apiKeyEnv: null,
    }, () => undefined);
    const described = await target.describe();
    assert.deepEqual(described.models_listed, ["stub-model"]);
    assert.equal(described.reasoning, "off");
    assert.equal(await target.health!(AbortSignal.timeout(2000)), true);
  });
});
