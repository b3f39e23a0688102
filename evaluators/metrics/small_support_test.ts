import assert from "node:assert/strict";
import { patternCount, smallSupport, supportSize } from "./small_support.ts";

Deno.test("enums, consts, booleans and bounded integers have small support", () => {
  assert.equal(supportSize({ enum: ["red", "reed", "rose"] }), 3);
  assert.equal(supportSize({ const: "x" }), 1);
  assert.equal(supportSize({ type: "boolean" }), 2);
  assert.equal(supportSize({ type: ["boolean", "null"] }), 3);
  assert.equal(supportSize({ type: "integer", minimum: 0, maximum: 9 }), 10);
  assert.equal(
    supportSize({ type: "integer", exclusiveMinimum: 0, exclusiveMaximum: 5 }),
    4,
  );
  assert.equal(supportSize({ type: "integer", minimum: 0 }), Infinity);
  assert.equal(
    smallSupport({ type: "integer", minimum: 0, maximum: 1000 }),
    false,
  );
});

Deno.test("free strings and numbers do not; short anchored patterns do", () => {
  assert.equal(smallSupport({ type: "string" }), false);
  assert.equal(smallSupport({ type: "number", minimum: 0, maximum: 1 }), false);
  assert.equal(patternCount("^[ab][0-9]$"), 20);
  assert.equal(patternCount("^(yes|no)$"), 2);
  assert.equal(patternCount("^x\\d?$"), 11);
  assert.equal(patternCount("^[a-c]{1,2}$"), 12);
  assert.equal(patternCount("[ab]"), Infinity); // unanchored: any text around
  assert.equal(patternCount("^a+$"), Infinity);
  assert.equal(patternCount("^.$"), Infinity);
  assert.equal(smallSupport({ type: "string", pattern: "^[a-z]{3}$" }), false);
});

Deno.test("objects of such properties, closed, multiply; open ones do not count", () => {
  const closed = {
    type: "object",
    properties: {
      ok: { type: "boolean" },
      level: { enum: [1, 2, 3] },
    },
    required: ["ok"],
    additionalProperties: false,
  };
  assert.equal(supportSize(closed), 2 * 4);
  assert.equal(
    supportSize({ ...closed, additionalProperties: undefined }),
    Infinity,
  );
  assert.equal(
    supportSize({
      oneOf: [
        { ...closed, required: ["ok", "level"] },
        { const: null },
      ],
    }),
    7,
  );
  assert.equal(
    supportSize({ type: "array", items: { type: "boolean" }, maxItems: 2 }),
    7,
  );
  assert.equal(
    smallSupport({ type: "array", items: { type: "boolean" } }),
    false,
  );
});

Deno.test("hostile schemas: deep nesting and non-objects are unbounded, not a crash", () => {
  let deep: Record<string, unknown> = { type: "boolean" };
  for (let i = 0; i < 100; i++) deep = { anyOf: [deep] };
  assert.equal(supportSize(deep), Infinity);
  assert.equal(supportSize(true), Infinity);
  assert.equal(supportSize(false), 0);
  assert.equal(supportSize("nonsense"), Infinity);
});

Deno.test("hostile bounds: huge repetition counts answer at once", () => {
  assert.equal(patternCount("^[ab]{0,1000000000}$"), Infinity);
  assert.equal(patternCount("^a{0,1000000000}$"), 1000000001);
  assert.equal(
    supportSize({ type: "array", items: { const: 1 }, maxItems: 1e9 }),
    1e9 + 1,
  );
  assert.equal(
    supportSize({
      type: "array",
      items: { type: "boolean" },
      minItems: 1e9,
      maxItems: 2e9,
    }),
    Infinity,
  );
});

Deno.test("hostile patterns: deep nesting and great length are unbounded, not a crash", () => {
  assert.equal(
    patternCount(`^${"(".repeat(50000)}a${")".repeat(50000)}$`),
    Infinity,
  );
  assert.equal(patternCount(`^${"(".repeat(100)}a${")".repeat(100)}$`), 1);
});
