// The llamacpp target and one case against the stub engine's fault
// injector: llama.cpp's grammar error, as its server sends it, is
// engine_error after two attempts on either endpoint and in either shape (and
// through the OpenAI SDK of the openai-compatible kind); a refused
// connection, a 429 and a plain 503 stay infra_error.
import assert from "node:assert/strict";
import { DEFAULT_TEMPLATE } from "../prompt.ts";
import { runCase } from "../run_case.ts";
import { SchemaValidator } from "../validation/validate.ts";
import { llamacppTarget } from "./llamacpp.ts";
import { openAiCompatibleTarget } from "./openai_compatible.ts";
import type { TargetConfig } from "./target.ts";
import {
  GRAMMAR_STACK_ERROR,
  startStubEngine,
  type StubFault,
} from "./testing/stub_engine.ts";
import { jsonError, startProviderStub } from "./testing/provider_stub.ts";

const MARKER = "fails-on-this-schema";
const validator = new SchemaValidator();

function target(baseUrl: string, endpoint: "chat" | "completion" = "chat") {
  const config: TargetConfig = {
    name: "stub",
    kind: "llamacpp",
    baseUrl,
    model: null,
    mode: "json_schema",
    settings: { endpoint },
    params: {},
    apiKeyEnv: null,
  };
  return llamacppTarget(config, () => undefined);
}

function ask(baseUrl: string, schema: unknown, options: {
  endpoint?: "chat" | "completion";
  retries?: number;
} = {}) {
  return runCase({
    kase: { key: "k", schema },
    target: target(baseUrl, options.endpoint),
    mode: "json_schema",
    params: { timeout_ms: 5_000 },
    template: DEFAULT_TEMPLATE,
    validator,
    signal: new AbortController().signal,
    retries: options.retries ?? 3,
    backoffMs: 1,
  });
}

const marked = { type: "object", title: MARKER };

Deno.test("engine errors: llama.cpp's grammar error on a marked schema is engine_error after two attempts", async () => {
  const shapes: [StubFault["as"], "chat" | "completion"][] = [
    ["stream", "chat"],
    ["stream", "completion"],
    ["http_500", "chat"],
    ["http_500", "completion"],
  ];
  for (const [as, endpoint] of shapes) {
    const engine = await startStubEngine({ fault: { marker: MARKER, as } });
    try {
      const label = `${as} via ${endpoint}`;
      const failed = await ask(engine.url, marked, { endpoint });
      assert.equal(failed.outcome, "engine_error", label);
      assert.equal(failed.tries, 2, label);
      assert.equal(engine.faults, 2, label);
      assert.equal(failed.errorKind, "engine_error", label);
      assert.ok(
        failed.errorMessage?.includes(GRAMMAR_STACK_ERROR),
        `${label}: ${failed.errorMessage}`,
      );
      // Without retries the confirming attempt is still made.
      const once = await ask(engine.url, marked, { endpoint, retries: 0 });
      assert.equal(once.outcome, "engine_error", label);
      assert.equal(engine.faults, 4, label);
      // Every other schema is answered as usual.
      const fine = await ask(engine.url, { type: "object" }, { endpoint });
      assert.equal(fine.outcome, "valid", label);
      assert.equal(fine.tries, 1, label);
      assert.equal(engine.faults, 4, label);
    } finally {
      await engine.stop();
    }
  }
});

Deno.test("engine errors: a refused connection, a 429 and a plain 503 stay infra_error", async () => {
  const engine = await startStubEngine();
  const url = engine.url;
  await engine.stop();
  const refused = await ask(url, marked, { retries: 1 });
  assert.equal(refused.outcome, "infra_error");
  assert.equal(refused.tries, 2);
  assert.match(refused.errorMessage!, /transport/);
  const replies = [
    () => jsonError(429, "slow down", { "retry-after-ms": "1" }),
    () => new Response("Service Unavailable", { status: 503 }),
    () => jsonError(503, "Loading model", {}, "unavailable_error"),
  ];
  for (const reply of replies) {
    const stub = await startProviderStub(reply);
    try {
      const result = await ask(stub.url, marked, { retries: 1 });
      assert.equal(result.outcome, "infra_error", result.errorMessage!);
      assert.equal(result.tries, 2);
    } finally {
      await stub.stop();
    }
  }
});

Deno.test("engine errors: through the OpenAI SDK, llama.cpp's error event mid-stream is engine_error too", async () => {
  const chunk = {
    id: "x",
    object: "chat.completion.chunk",
    created: 0,
    model: "stub-model",
    choices: [{ index: 0, delta: { content: "{" }, finish_reason: null }],
  };
  const error = {
    code: 500,
    message: GRAMMAR_STACK_ERROR,
    type: "server_error",
  };
  const stub = await startProviderStub(() =>
    new Response(
      `data: ${JSON.stringify(chunk)}\n\ndata: ${
        JSON.stringify({ error })
      }\n\n`,
      { headers: { "content-type": "text/event-stream" } },
    )
  );
  try {
    const result = await runCase({
      kase: { key: "k", schema: { type: "object" } },
      target: openAiCompatibleTarget({
        name: "compat",
        kind: "openai-compatible",
        baseUrl: `${stub.url}/v1`,
        model: "stub-model",
        mode: "json_schema",
        settings: {},
        params: {},
        apiKeyEnv: null,
      }, () => undefined),
      mode: "json_schema",
      params: { timeout_ms: 5_000 },
      template: DEFAULT_TEMPLATE,
      validator,
      signal: new AbortController().signal,
      retries: 0,
      backoffMs: 1,
    });
    assert.equal(result.outcome, "engine_error", result.errorMessage!);
    assert.equal(result.tries, 2);
    assert.equal(stub.requests.length, 2);
  } finally {
    await stub.stop();
  }
});
