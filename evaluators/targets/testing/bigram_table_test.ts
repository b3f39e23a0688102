import assert from "node:assert/strict";
import {
  bigramModel,
  FLOOR_WEIGHT,
  nextLogProbs,
  sequenceLogProbs,
} from "./bigram_table.ts";
import { bigramModelBytes } from "./make_bigram_model.ts";

Deno.test("bigram model: every next-token distribution is proper, with the floor everywhere", () => {
  const model = bigramModel();
  for (let prev = 0; prev < model.size; prev++) {
    const row = nextLogProbs(prev);
    let sum = 0;
    let smallest = 1;
    for (const lp of row) {
      assert.ok(Number.isFinite(lp));
      sum += Math.exp(lp);
      smallest = Math.min(smallest, Math.exp(lp));
    }
    assert.ok(Math.abs(sum - 1) < 1e-9, `${model.tokens[prev]}: ${sum}`);
    // no token is impossible: every output has a finite log p
    assert.ok(smallest > FLOOR_WEIGHT / 2, `${model.tokens[prev]}`);
  }
});

Deno.test("bigram model: its turn starts with an object and ends after a closing brace", () => {
  const m = bigramModel();
  const start = nextLogProbs(m.id("\n"));
  assert.ok(Math.exp(start[m.id('{"v":')]) > 0.5);
  assert.ok(Math.exp(nextLogProbs(m.id("}"))[m.eos]) > 0.9);
  const path = ['{"v":', "true", "}", "<|endoftext|>"].map(m.id);
  const logp = sequenceLogProbs(m.id("\n"), path).reduce((s, x) => s + x, 0);
  assert.ok(Math.exp(logp) > 0.04, `p({"v":true}) = ${Math.exp(logp)}`);
});

Deno.test("bigram model: control tokens, and the same bytes every time", () => {
  const m = bigramModel();
  for (const control of ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]) {
    assert.equal(m.types[m.id(control)], 3);
  }
  assert.ok(m.eog.has(m.id("<|im_end|>")) && m.eog.has(m.eos));
  const a = bigramModelBytes();
  assert.deepEqual(a, bigramModelBytes());
  assert.equal(new TextDecoder().decode(a.subarray(0, 4)), "GGUF");
});
