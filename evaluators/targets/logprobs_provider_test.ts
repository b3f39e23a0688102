// Issue 20: the OpenAI-style kinds' sampling fields and token log
// probabilities, against a local stub answering in OpenAI's documented
// streaming format. A self-hosted openai-compatible server gets top_k (0
// sent as -1) and min_p; OpenAI's own API, which has no such fields, does
// not. The log probabilities are kept only when whole, and never claimed to
// be pre-constraint.
import assert from "node:assert/strict";
import { chatStream, startProviderStub } from "./testing/provider_stub.ts";
import { createTarget } from "./registry.ts";
import type { Answer, GenerationParams } from "./target.ts";

const PURE: GenerationParams = {
  temperature: 1,
  top_k: 0,
  top_p: 1,
  min_p: 0,
  repeat_penalty: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  seed: 42,
  logprobs: true,
};

async function ask(
  kind: string,
  reply: () => Response,
  params: GenerationParams = PURE,
): Promise<{ answer: Answer; body: Record<string, unknown> }> {
  const stub = await startProviderStub(() => reply());
  Deno.env.set("STUB_API_KEY", "sk-stub");
  try {
    const target = createTarget({
      name: kind,
      kind,
      baseUrl: `${stub.url}/v1`,
      model: "stub-model",
      mode: "json_schema",
      settings: {},
      params: {},
      apiKeyEnv: "STUB_API_KEY",
    }, (name) => Deno.env.get(name));
    const answer = await target.generate({
      schema: { type: "boolean" },
      messages: [{ role: "user", content: "yes?" }],
      mode: "json_schema",
      params,
      signal: new AbortController().signal,
    });
    const request = stub.requests.find((r) => r.method === "POST")!;
    return { answer, body: request.body! };
  } finally {
    await stub.stop();
  }
}

Deno.test("openai-compatible: every sampling field sent, the log probabilities read", async () => {
  const { answer, body } = await ask(
    "openai-compatible",
    () => chatStream("true", { logprobs: [-0.25, -0.5] }),
  );
  assert.equal(answer.error, undefined);
  assert.equal(answer.text, "true");
  assert.deepEqual(answer.tokenLogprobs, [-0.25, -0.5]);
  assert.equal(answer.logprobsEog, false);
  assert.equal(answer.logprobsPreConstraint, false, "not documented: unknown");
  assert.equal(body.logprobs, true);
  assert.equal(
    body.top_k,
    -1,
    "top_k off, as vLLM, SGLang and llama.cpp read it",
  );
  for (
    const [key, value] of Object.entries({
      temperature: 1,
      top_p: 1,
      min_p: 0,
      repeat_penalty: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
      seed: 42,
    })
  ) assert.equal(body[key], value, key);
});

Deno.test("openai: no top_k or min_p (its API has none), logprobs asked", async () => {
  const { answer, body } = await ask(
    "openai",
    () => chatStream("true", { logprobs: [-0.25, -0.5] }),
  );
  assert.deepEqual(answer.tokenLogprobs, [-0.25, -0.5]);
  assert.equal(body.logprobs, true);
  assert.equal(body.top_p, 1);
  assert.ok(!("top_k" in body) && !("min_p" in body), JSON.stringify(body));
});

Deno.test("openai-compatible: an incomplete list is dropped, not averaged", async () => {
  const { answer } = await ask(
    "openai-compatible",
    () => chatStream("true", { logprobs: [-0.25, -0.5], completionTokens: 5 }),
  );
  assert.equal(answer.text, "true");
  assert.equal(answer.tokenLogprobs, undefined);
});

Deno.test("openai-compatible: a plain request sends no sampling field", async () => {
  const { answer, body } = await ask(
    "openai-compatible",
    () => chatStream("true"),
    { temperature: 0 },
  );
  assert.equal(answer.tokenLogprobs, undefined);
  for (const key of ["logprobs", "top_k", "top_p", "min_p", "seed"]) {
    assert.ok(!(key in body), key);
  }
});
