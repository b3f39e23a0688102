// Contract tests: provider replies that cannot be produced here (errors, a
// refusal, rate limits, hung connections), replayed by a local stub in the
// providers' documented formats. The real path is tested against a real
// llama-server in providers_llama_test.ts.
import assert from "node:assert/strict";
import {
  chatStream,
  jsonError,
  startProviderStub,
  type StubReply,
} from "./testing/provider_stub.ts";
import { DEFAULT_TEMPLATE } from "../prompt.ts";
import { runCase } from "../run_case.ts";
import { SchemaValidator } from "../validation/validate.ts";
import { AdaptiveLimit } from "./transport/adaptive_limit.ts";
import { createTarget } from "./registry.ts";
import type { TargetConfig } from "./target.ts";

const schema = {
  type: "object",
  properties: {
    name: { type: "string" },
    age: { type: "integer" },
    tags: { type: "array", uniqueItems: true },
  },
  required: ["name"],
};
const validator = new SchemaValidator();

async function withStub(
  script: (index: number) => StubReply,
  fn: (
    url: string,
    stub: Awaited<ReturnType<typeof startProviderStub>>,
  ) => Promise<void>,
) {
  const stub = await startProviderStub((_req, i) => script(i));
  try {
    await fn(stub.url, stub);
  } finally {
    await stub.stop();
  }
}

function config(
  kind: string,
  url: string,
  settings: Record<string, unknown> = {},
): TargetConfig {
  return {
    name: kind,
    kind,
    baseUrl: kind === "huggingface" ? url : `${url}/v1`,
    model: "stub-model",
    mode: "json_schema",
    settings,
    params: {},
    apiKeyEnv: "STUB_API_KEY",
  };
}

function run(
  kind: string,
  url: string,
  options: {
    settings?: Record<string, unknown>;
    retries?: number;
    timeout?: number;
    limiter?: AdaptiveLimit;
  } = {},
) {
  return runCase({
    kase: { key: "k", schema },
    target: createTarget(
      config(kind, url, options.settings),
      () => "sk-stub-secret-0000",
    ),
    mode: "json_schema",
    params: {
      temperature: 0,
      max_tokens: 64,
      timeout_ms: options.timeout ?? 10_000,
    },
    template: DEFAULT_TEMPLATE,
    validator,
    signal: new AbortController().signal,
    retries: options.retries ?? 3,
    backoffMs: 20,
    limiter: options.limiter,
  });
}

Deno.test("openai: a 400 about the schema is unsupported_schema, with OpenAI's message kept", async () => {
  const message =
    "Invalid schema for response_format 'answer': In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'age'.";
  await withStub(() => jsonError(400, message), async (url, stub) => {
    const r = await run("openai", url, { settings: { adapt: "none" } });
    assert.equal(r.outcome, "unsupported_schema");
    assert.match(r.errorMessage ?? "", /Missing 'age'/);
    assert.equal(r.tries, 1);
    assert.equal(r.sentSchema, null, "adapt none sends the schema as written");
    const sent = stub.requests[0].body!.response_format as {
      json_schema: { schema: unknown; strict: boolean };
    };
    assert.deepEqual(sent.json_schema.schema, schema);
    assert.equal(
      stub.requests[0].headers.get("authorization"),
      "Bearer sk-stub-secret-0000",
    );
  });
});

Deno.test("openai adapt strict: the rewritten schema is sent and stored, the answer judged against the original", async () => {
  // Valid for the strict schema (all keys present, nullable), and for the original.
  await withStub(
    () => chatStream('{"name":"Ada","age":null,"tags":null}'),
    async (url, stub) => {
      const r = await run("openai", url, { settings: { adapt: "strict" } });
      const sent = (stub.requests[0].body!.response_format as {
        json_schema: { schema: Record<string, unknown> };
      }).json_schema.schema;
      assert.equal(sent.additionalProperties, false);
      assert.deepEqual([...(sent.required as string[])].sort(), [
        "age",
        "name",
        "tags",
      ]);
      assert.deepEqual(r.sentSchema, sent);
      // The original says age is an integer when present: null violates it.
      assert.equal(r.outcome, "schema_violation");
      assert.ok(r.failingKeywords!.includes("type"));
    },
  );
});

Deno.test("openai: the refusal field gives the refusal outcome", async () => {
  await withStub(
    () => chatStream("", { refusal: "I'm sorry, I can't help with that." }),
    async (url) => {
      const r = await run("openai", url);
      assert.equal(r.outcome, "refusal");
      assert.match(r.errorMessage ?? "", /can't help/);
    },
  );
});

Deno.test("a 429 with Retry-After is waited out, then the case succeeds", async () => {
  const limiter = new AdaptiveLimit({ max: 4 });
  await withStub(
    (i) =>
      i === 0
        ? jsonError(
          429,
          "Rate limit reached for requests. Please try again in 1s.",
          { "retry-after": "1" },
          "requests",
          "rate_limit_exceeded",
        )
        : chatStream('{"name":"Ada"}'),
    async (url, stub) => {
      const r = await run("openai", url, { limiter });
      assert.equal(r.outcome, "valid");
      assert.equal(r.tries, 2);
      const gap = stub.requests[1].at - stub.requests[0].at;
      assert.ok(
        gap >= 1000,
        `waited ${gap.toFixed(0)} ms, Retry-After asked 1000`,
      );
      assert.equal(limiter.rateLimited, 1);
      assert.equal(limiter.limit, 2, "the limit halved");
    },
  );
});

Deno.test("500s then success: retried with backoff, one result", async () => {
  await withStub(
    (
      i,
    ) => (i < 2
      ? jsonError(500, "The server had an error", {}, "server_error")
      : chatStream('{"name":"x"}')),
    async (url, stub) => {
      const r = await run("openai-compatible", url);
      assert.equal(r.outcome, "valid");
      assert.equal(r.tries, 3);
      assert.equal(stub.requests.length, 3);
    },
  );
});

Deno.test("a hung connection: the timeout fires and the case is infra_error after its retries", async () => {
  await withStub(() => "hang", async (url, stub) => {
    const started = performance.now();
    const r = await run("openai-compatible", url, { timeout: 300, retries: 1 });
    assert.equal(r.outcome, "infra_error");
    assert.match(r.errorMessage ?? "", /time/i);
    assert.equal(stub.requests.length, 2);
    assert.ok(performance.now() - started < 5000);
  });
});

Deno.test("gemini: its schema error is unsupported_schema", async () => {
  const body = [{
    error: {
      code: 400,
      message:
        '* GenerateContentRequest.generation_config.response_schema.properties["tags"].items: missing field.\n',
      status: "INVALID_ARGUMENT",
    },
  }];
  await withStub(() => Response.json(body, { status: 400 }), async (url) => {
    const r = await run("gemini", url);
    assert.equal(r.outcome, "unsupported_schema", r.errorMessage ?? "");
    assert.match(r.errorMessage ?? "", /response_schema/);
  });
});

Deno.test("a context-length 400 that mentions a token count is context_exceeded, not a rate limit", async () => {
  const message =
    "This model's maximum context length is 4096 tokens. However, your messages resulted in 4295 tokens. Please reduce the length of the messages.";
  await withStub(
    () =>
      jsonError(
        400,
        message,
        {},
        "invalid_request_error",
        "context_length_exceeded",
      ),
    async (url, stub) => {
      const r = await run("openai", url);
      assert.equal(r.outcome, "context_exceeded");
      assert.equal(stub.requests.length, 1, "not retried");
    },
  );
});

Deno.test("a key echoed in a provider's error never reaches the result", async () => {
  await withStub(
    () =>
      jsonError(
        401,
        "Incorrect API key provided: sk-stub-secret-0000. You can find your API key at your account page.",
        {},
        "invalid_request_error",
        "invalid_api_key",
      ),
    async (url) => {
      for (const kind of ["openai", "huggingface"]) {
        const r = await run(kind, url);
        assert.equal(r.outcome, "infra_error");
        assert.ok(
          !JSON.stringify(r).includes("sk-stub-secret-0000"),
          `${kind}: ${r.errorMessage}`,
        );
        assert.match(r.errorMessage ?? "", /\*\*\*/);
      }
    },
  );
});

Deno.test("huggingface: reasoning is kept apart and a 429 is retried", async () => {
  await withStub(
    (
      i,
    ) => (i === 0
      ? jsonError(429, "rate limited", { "retry-after": "0" })
      : chatStream('{"name":"q"}', { reasoning: "thinking hard" })),
    async (url) => {
      const r = await run("huggingface", url);
      assert.equal(r.outcome, "valid", `${r.outcome} ${r.errorMessage}`);
      assert.equal(r.reasoning, "thinking hard");
      assert.equal(r.tries, 2);
    },
  );
});
