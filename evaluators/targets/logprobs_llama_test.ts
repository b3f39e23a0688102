// Issue 20: the llama.cpp adapter's per-token log probabilities, against a
// real llama-server serving the closed-form bigram model. They are whole
// (one per generated token; the end token's included on /completion, not
// sent by the chat stream), pre-constraint, and agree with a re-scoring of
// that exact output: the completion endpoint fed the prompt's tokens and
// the output's first i tokens, asked for every token's raw probability.
import assert from "node:assert/strict";
import { startLlamaServer } from "./testing/llama_server.ts";
import { llamaTest } from "./testing/engines.ts";
import { llamacppTarget } from "./llamacpp.ts";
import type { GenerationParams, Mode } from "./target.ts";

const SCHEMA = {
  type: "object",
  properties: { v: { enum: ["ab", "ac", "b"] } },
  required: ["v"],
};
const MESSAGES = [{ role: "user" as const, content: "pick one" }];
const SAMPLING: GenerationParams = {
  temperature: 1,
  top_k: 0,
  top_p: 1,
  min_p: 0,
  repeat_penalty: 1,
  other_samplers_off: true,
  max_tokens: 48,
  logprobs: true,
};

llamaTest({
  name:
    "llama.cpp token log probabilities: whole, raw, and equal to a re-scoring",
  fn: async (t) => {
    const server = await startLlamaServer({
      slots: 1,
      ctxPerSlot: 2048,
      model: "bigram",
    });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 200, path);
      return await response.json();
    };
    const target = (endpoint: string, mode: Mode) =>
      llamacppTarget({
        name: "bigram",
        kind: "llamacpp",
        baseUrl: server.url,
        model: null,
        mode,
        settings: { endpoint },
        params: {},
        apiKeyEnv: null,
      }, () => undefined);
    try {
      for (const endpoint of ["completion", "chat"]) {
        for (const mode of ["json_schema", "prompt_only"] as const) {
          await t.step(`${endpoint}, ${mode}: one per token`, async () => {
            for (const seed of [1, 2, 3]) {
              const answer = await target(endpoint, mode).generate({
                schema: SCHEMA,
                messages: MESSAGES,
                mode,
                params: { ...SAMPLING, seed },
                signal: new AbortController().signal,
              });
              assert.equal(answer.error, undefined);
              assert.equal(answer.finishReason, "stop");
              const logprobs = answer.tokenLogprobs!;
              assert.ok(logprobs, "the log probabilities are whole");
              assert.equal(answer.logprobsPreConstraint, true);
              assert.equal(answer.logprobsEog, endpoint === "completion");
              assert.equal(
                logprobs.length,
                answer.completionTokens! - (endpoint === "chat" ? 1 : 0),
              );
              assert.ok(logprobs.every((x) => x <= 0 && Number.isFinite(x)));
            }
          });
        }
      }

      await t.step(
        "the constrained output's log p equals its re-scoring",
        async () => {
          const { prompt } = await post("/apply-template", {
            messages: MESSAGES,
          });
          const promptIds: number[] = (await post("/tokenize", {
            content: prompt,
            add_special: true,
            parse_special: true,
          })).tokens;
          for (const seed of [4, 5, 6, 7]) {
            const answer = await target("completion", "json_schema").generate({
              schema: SCHEMA,
              messages: MESSAGES,
              mode: "json_schema",
              params: { ...SAMPLING, seed },
              signal: new AbortController().signal,
            });
            // The same request, unstreamed, names the tokens it drew.
            const raw = await post("/completion", {
              prompt,
              stream: false,
              cache_prompt: false,
              json_schema: SCHEMA,
              seed,
              n_predict: SAMPLING.max_tokens,
              temperature: 1,
              top_k: 0,
              top_p: 1,
              min_p: 0,
              repeat_penalty: 1,
              typical_p: 1,
              xtc_probability: 0,
              dry_multiplier: 0,
              mirostat: 0,
              top_n_sigma: -1,
              n_probs: 1,
              post_sampling_probs: false,
            });
            assert.equal(raw.content, answer.text, "the same draw");
            const ids: number[] = raw.completion_probabilities.map((
              p: { id: number },
            ) => p.id);
            assert.equal(ids.length, answer.tokenLogprobs!.length);
            for (let i = 0; i < ids.length; i++) {
              // Forced prefix: the prompt and the output's first i tokens.
              const next = await post("/completion", {
                prompt: [...promptIds, ...ids.slice(0, i)],
                n_predict: 1,
                cache_prompt: false,
                n_probs: 1000,
                post_sampling_probs: false,
                temperature: 1,
                top_k: 0,
              });
              const all: { id: number; logprob: number }[] =
                next.completion_probabilities[0].top_logprobs;
              const rescored = all.find((p) => p.id === ids[i]);
              assert.ok(rescored, `token ${ids[i]} is scored`);
              assert.ok(
                Math.abs(rescored.logprob - answer.tokenLogprobs![i]) < 1e-3,
                `token ${i}: ${rescored.logprob} vs ${
                  answer.tokenLogprobs![i]
                }`,
              );
            }
          }
        },
      );
    } finally {
      await server.stop();
    }
  },
});
