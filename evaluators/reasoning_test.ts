import assert from "node:assert/strict";
import { judge } from "./outcome.ts";
import { holdsJson, splitReasoning } from "./reasoning.ts";
import { SchemaValidator } from "./validation/validate.ts";

Deno.test("a leading think block is kept apart and the answer alone is validated", () => {
  const split = splitReasoning(
    '<think>\nThe user wants a number.\n</think>\n\n{"n": 3}',
  );
  assert.deepEqual(split, {
    text: '{"n": 3}',
    reasoning: "The user wants a number.",
  });
  const compiled = new SchemaValidator().compile({
    type: "object",
    required: ["n"],
  });
  assert.ok(compiled.ok);
  assert.equal(
    judge({ text: split.text, finishReason: "stop" }, compiled.check).outcome,
    "valid",
  );
});

Deno.test("an unclosed think block is all reasoning; text without one is untouched", () => {
  assert.deepEqual(splitReasoning("<think>I am still"), {
    text: "",
    reasoning: "I am still",
  });
  assert.deepEqual(splitReasoning('{"a": "<think>x</think>"}'), {
    text: '{"a": "<think>x</think>"}',
    reasoning: null,
  });
  assert.deepEqual(splitReasoning(null), { text: null, reasoning: null });
});

Deno.test("holdsJson: an object or array in the reasoning, whole or inside words", () => {
  assert.ok(holdsJson('{"a":1}'));
  assert.ok(holdsJson('Thinking... the answer is {"a": [1, 2]} done'));
  assert.ok(holdsJson("```json\n[1,2]\n```"));
  assert.ok(!holdsJson("just words, no braces"));
  assert.ok(!holdsJson("a { broken"));
  assert.ok(!holdsJson(null));
  assert.ok(!holdsJson("42"));
});
