import assert from "node:assert/strict";
import { ttftSplit } from "./ttft_split.ts";

Deno.test("ttftSplit: llama.cpp's and Ollama's timings split the first token's wait; none without them", () => {
  assert.deepEqual(ttftSplit(120, { prompt_ms: 30, predicted_ms: 400 }), {
    load_ms: 0,
    prompt_ms: 30,
    rest_ms: 90,
  });
  assert.deepEqual(ttftSplit(200, { prompt_eval_ms: 50, load_ms: 100 }), {
    load_ms: 100,
    prompt_ms: 50,
    rest_ms: 50,
  });
  assert.equal(ttftSplit(null, { prompt_ms: 3 }), null);
  assert.equal(ttftSplit(50, { served_model: "x" }), null);
  assert.equal(ttftSplit(50, null), null);
});
