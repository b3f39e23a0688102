/**
 * The closed-form bigram model on the real llama-server: the raw log
 * probabilities the server reports while generating (`n_probs: 1`,
 * `post_sampling_probs: false`, temperature 1, no truncation), with and
 * without a JSON schema, agree with a re-scoring of the same token
 * sequence (the completion endpoint with a token-array prompt and the full
 * next-token distribution) and with the closed form of bigram_table.ts;
 * so the log probabilities are pre-grammar, the model writer is right, and
 * the end-of-generation token's log p is reported. And the per-case
 * distortion figures of `distortion/basic`, from samples drawn straight
 * from the server, are finite on most cases.
 */
import assert from "node:assert/strict";
import { llamaTest } from "./engines.ts";
import { startLlamaServer } from "./llama_server.ts";
import { bigramModel, nextLogProbs } from "./bigram_table.ts";
import {
  canonicalJson,
  caseDistortion,
  type DistortionSample,
  smallSupport,
} from "../../metrics/distortion.ts";
import { stripFence } from "../../outcome.ts";
import { SchemaValidator } from "../../validation/validate.ts";

interface Probability {
  id: number;
  logprob: number;
  top_logprobs: { id: number; logprob: number }[];
}

interface Completion {
  content: string;
  tokens: number[];
  stop_type: string;
  completion_probabilities: Probability[];
}

const SAMPLING = {
  temperature: 1,
  top_k: 0,
  top_p: 1,
  min_p: 0,
  repeat_penalty: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  dry_multiplier: 0,
  xtc_probability: 0,
  typical_p: 1,
  mirostat: 0,
};

const SCHEMA = {
  type: "object",
  properties: { v: { enum: ["pa", "pb", "q"] } },
  required: ["v"],
  additionalProperties: false,
};

/** Float32 logits and the server's float32 softmax. */
const TOLERANCE = 1e-4;

async function complete(url: string, body: unknown): Promise<Completion> {
  const res = await fetch(`${url}/completion`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

llamaTest({
  name:
    "bigram model: raw log probabilities agree with a re-scoring and the closed form",
  fn: async () => {
    const model = bigramModel();
    const server = await startLlamaServer({
      model: "bigram",
      slots: 1,
      ctxPerSlot: 1024,
    });
    try {
      // The assistant's turn, as token ids: it ends with a newline.
      const prompt = [model.id("<|im_start|>"), model.id("a"), model.id("\n")];
      let eogSeen = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const constrained = seed % 2 === 0;
        const out = await complete(server.url, {
          prompt,
          n_predict: 24,
          seed,
          n_probs: 1,
          post_sampling_probs: false,
          return_tokens: true,
          cache_prompt: false,
          ...SAMPLING,
          ...(constrained ? { json_schema: SCHEMA } : {}),
        });
        const probs = out.completion_probabilities;
        const ids = probs.map((p) => p.id);
        if (constrained) {
          assert.ok(
            ['{"v":"pa"}', '{"v":"pb"}', '{"v":"q"}'].includes(out.content),
            out.content,
          );
        }
        if (out.stop_type === "eos") {
          // The end token is reported, with its log p, as the last entry.
          assert.ok(model.eog.has(ids.at(-1)!), JSON.stringify(ids));
          eogSeen++;
        }
        let prev = prompt.at(-1)!;
        for (const [i, p] of probs.entries()) {
          // The closed form of the model the project wrote.
          const closed = nextLogProbs(prev)[p.id];
          assert.ok(
            Math.abs(p.logprob - closed) < TOLERANCE,
            `seed ${seed} token ${i} (${
              model.tokens[p.id]
            }): server ${p.logprob}, closed form ${closed}`,
          );
          // A re-scoring: the same tokens as a prompt, the whole next-token
          // distribution of the position.
          const rescored = await complete(server.url, {
            prompt: [...prompt, ...ids.slice(0, i)],
            n_predict: 1,
            n_probs: model.size,
            post_sampling_probs: false,
            cache_prompt: false,
            ...SAMPLING,
          });
          const at = rescored.completion_probabilities[0].top_logprobs.find((
            t,
          ) => t.id === p.id);
          assert.ok(at, `token ${p.id} is in the re-scored distribution`);
          assert.ok(
            Math.abs(at.logprob - p.logprob) < TOLERANCE,
            `seed ${seed} token ${i}: generated ${p.logprob}, re-scored ${at.logprob}`,
          );
          prev = p.id;
        }
      }
      assert.ok(eogSeen >= 6, `${eogSeen} generations ended at an end token`);
    } finally {
      await server.stop();
    }
  },
});

const SUITE_DIR = new URL(
  "../../../schemas/suites/distortion_basic/",
  import.meta.url,
);

function suiteSchemas(): [string, unknown][] {
  return [...Deno.readDirSync(SUITE_DIR)]
    .map((e) => e.name)
    .filter((name) => /^\d{2}_.*\.json$/.test(name))
    .sort()
    .map((name) => [
      name,
      JSON.parse(Deno.readTextFileSync(new URL(name, SUITE_DIR))).schema,
    ]);
}

llamaTest({
  name: "bigram model: distortion/basic gives finite figures on most cases",
  fn: async () => {
    const model = bigramModel();
    const server = await startLlamaServer({
      model: "bigram",
      slots: 4,
      ctxPerSlot: 1024,
    });
    const validator = new SchemaValidator();
    const prompt = [model.id("<|im_start|>"), model.id("a"), model.id("\n")];
    const n = 128;
    try {
      let finite = 0;
      const cases = suiteSchemas();
      for (const [name, schema] of cases) {
        const draw = async (
          arm: DistortionSample["arm"],
          index: number,
        ): Promise<DistortionSample> => {
          const seed = 7919 * index + (arm === "constrained" ? 1 : 2);
          const out = await complete(server.url, {
            prompt,
            n_predict: 48,
            seed,
            n_probs: 1,
            post_sampling_probs: false,
            cache_prompt: false,
            ...SAMPLING,
            ...(arm === "constrained" ? { json_schema: schema } : {}),
          });
          let value: string | null = null;
          let valid = false;
          try {
            const instance = JSON.parse(stripFence(out.content).text);
            value = canonicalJson(instance);
            valid = validator.validate(schema, instance).status === "valid";
          } catch { /* not JSON */ }
          return {
            arm,
            index,
            seed,
            text: out.content,
            valid,
            value,
            token_logprobs: out.completion_probabilities.map((p) => p.logprob),
            eog_included: out.stop_type === "eos",
          };
        };
        const samples = await Promise.all(
          (["constrained", "unconstrained"] as const).flatMap((arm) =>
            Array.from({ length: n }, (_, i) => draw(arm, i))
          ),
        );
        // Every constrained sample is valid: the grammar holds.
        assert.ok(
          samples.filter((s) => s.arm === "constrained").every((s) => s.valid),
          name,
        );
        const figures = caseDistortion(samples, {
          seed: 1,
          smallSupport: smallSupport(schema),
          logprobsPreConstraint: true,
        });
        const ok = !figures.z_zero && figures.gap !== null &&
          Number.isFinite(figures.gap.value) &&
          (figures.divergence !== null) === smallSupport(schema);
        if (ok) finite++;
        if (Deno.env.get("DISTORTION_FIGURES")) {
          console.log(name, JSON.stringify(figures));
        }
      }
      assert.ok(
        finite >= cases.length - 2,
        `${finite} of ${cases.length} cases with finite figures`,
      );
    } finally {
      await server.stop();
    }
  },
});
