import assert from "node:assert/strict";
import { branchSchema, keyOrder, resolveLocalRef } from "./key_order.ts";
import { SchemaValidator } from "./validate.ts";

const validator = new SchemaValidator();
const validates = (schema: unknown, instance: unknown) => {
  const verdict = validator.validate(schema, instance);
  return verdict.status === "invalid_schema"
    ? null
    : verdict.status === "valid";
};
const order = (text: string, schema: unknown) =>
  keyOrder(text, schema, { validates });

// Reasoning before answer: not alphabetical.
const NOT_SORTED = {
  type: "object",
  properties: { reasoning: {}, answer: {}, confidence: {} },
};

Deno.test("keyOrder: schema order 1, sorted alphabetically 0, reversed 0", async () => {
  assert.equal(
    await order('{"reasoning": "r", "answer": 2, "confidence": 1}', NOT_SORTED),
    true,
  );
  assert.equal(
    await order('{"answer": 2, "confidence": 1, "reasoning": "r"}', NOT_SORTED),
    false,
    "sorted",
  );
  assert.equal(
    await order('{"confidence": 1, "answer": 2, "reasoning": "r"}', NOT_SORTED),
    false,
    "reversed",
  );
});

Deno.test("keyOrder: with an alphabetical schema, a sorted output is in order", async () => {
  const sorted = { properties: { answer: {}, confidence: {}, reasoning: {} } };
  assert.equal(
    await order('{"answer": 2, "confidence": 1, "reasoning": "r"}', sorted),
    true,
  );
});

Deno.test("keyOrder: unlisted keys are ignored; missing keys do not matter", async () => {
  assert.equal(
    await order(
      '{"extra": 0, "reasoning": "r", "zz": 1, "answer": 2}',
      NOT_SORTED,
    ),
    true,
  );
  assert.equal(
    await order('{"reasoning": "r", "answer": 2}', NOT_SORTED),
    true,
  );
});

Deno.test("keyOrder: an output with no object of two listed keys is left out (null)", async () => {
  assert.equal(await order('{"answer": 2}', NOT_SORTED), null);
  assert.equal(await order('{"x": 1, "y": 2}', NOT_SORTED), null);
  assert.equal(await order("[1, 2]", NOT_SORTED), null);
  assert.equal(await order('"text"', { type: "string" }), null);
  assert.equal(await order("{", NOT_SORTED), null, "not JSON");
});

Deno.test("keyOrder: integer-like keys keep their written order", async () => {
  const schema = { properties: { "2": {}, "10": {} } };
  // JSON.parse would give ["2", "10"] for both: the scan reads the text.
  const written = '{"10": 0, "2": 0}';
  assert.deepEqual(Object.keys(JSON.parse(written)), ["2", "10"]);
  assert.equal(await order(written, schema), false);
  assert.equal(await order('{"2": 0, "10": 0}', schema), true);
  const mixed = { properties: { b: {}, "10": {} } }; // parsed: "10", then b
  assert.equal(await order('{"10": 0, "b": 0}', mixed), true);
  assert.equal(await order('{"b": 0, "10": 0}', mixed), false);
});

Deno.test("keyOrder: nested objects and array items count", async () => {
  const schema = {
    properties: {
      steps: { type: "array", items: NOT_SORTED },
      result: NOT_SORTED,
    },
  };
  const good = '{"reasoning": "r", "answer": 1}';
  const bad = '{"answer": 1, "reasoning": "r"}';
  assert.equal(
    await order(`{"steps": [${good}, ${good}], "result": ${good}}`, schema),
    true,
  );
  assert.equal(
    await order(`{"steps": [${good}, ${bad}], "result": ${good}}`, schema),
    false,
    "one item out of order",
  );
  assert.equal(
    await order(`{"steps": [], "result": ${bad}}`, schema),
    false,
    "a nested object out of order",
  );
  assert.equal(
    await order(`{"result": ${good}, "steps": []}`, schema),
    false,
    "the outer object out of order",
  );
  // Only the nested object has two listed keys: it alone makes it count.
  assert.equal(await order(`{"result": ${good}}`, schema), true);
});

Deno.test("keyOrder: $ref is followed (definitions, $defs, recursion)", async () => {
  const schema = {
    $defs: { answer: NOT_SORTED },
    definitions: { wrapper: { properties: { z: { $ref: "#/$defs/answer" } } } },
    properties: { outer: { $ref: "#/definitions/wrapper" } },
  };
  assert.equal(
    await order('{"outer": {"z": {"reasoning": 1, "answer": 2}}}', schema),
    true,
  );
  assert.equal(
    await order('{"outer": {"z": {"answer": 2, "reasoning": 1}}}', schema),
    false,
  );
  const tree = {
    properties: { name: {}, children: { items: { $ref: "#" } } },
  };
  assert.equal(
    await order(
      '{"name": "a", "children": [{"name": "b", "children": []}]}',
      tree,
    ),
    true,
  );
  assert.equal(
    await order(
      '{"name": "a", "children": [{"children": [], "name": "b"}]}',
      tree,
    ),
    false,
  );
});

Deno.test("keyOrder: under oneOf/anyOf the branch that validated is used", async () => {
  const schema = {
    oneOf: [
      {
        type: "object",
        properties: { kind: { const: "a" }, why: {}, value: {} },
        required: ["kind"],
      },
      {
        type: "object",
        properties: { value: {}, why: {}, kind: { const: "b" } },
        required: ["kind"],
      },
    ],
  };
  assert.equal(
    await order('{"kind": "a", "why": 1, "value": 2}', schema),
    true,
  );
  assert.equal(
    await order('{"value": 2, "why": 1, "kind": "b"}', schema),
    true,
  );
  assert.equal(
    await order('{"kind": "b", "why": 1, "value": 2}', schema),
    false,
  );
  // Neither branch validates: skipped, so nothing counts.
  assert.equal(
    await order('{"kind": "c", "why": 1, "value": 2}', schema),
    null,
  );
  // Without a way to tell the branch, it is skipped too.
  assert.equal(await keyOrder('{"kind": "a", "why": 1}', schema), null);
});

Deno.test("keyOrder: anyOf branches that both validate count only when they agree", async () => {
  const schema = {
    anyOf: [
      { properties: { a: {}, b: {} } },
      { properties: { b: {}, a: {} } },
    ],
  };
  assert.equal(await order('{"a": 1, "b": 2}', schema), null, "ambiguous");
  const agreeing = {
    anyOf: [{ properties: { a: {}, b: {} } }, { properties: { a: {}, c: {} } }],
  };
  assert.equal(await order('{"a": 1, "b": 2}', agreeing), true);
  // The second branch has nothing to order: it agrees with the first.
  assert.equal(await order('{"b": 2, "a": 1}', agreeing), false);
  // A oneOf branch reached through $ref.
  const refd = {
    $defs: { pair: { type: "object", properties: { x: {}, y: {} } } },
    properties: { p: { oneOf: [{ $ref: "#/$defs/pair" }, { type: "null" }] } },
  };
  assert.equal(await order('{"p": {"y": 1, "x": 2}}', refd), false);
  assert.equal(await order('{"p": null}', refd), null);
});

Deno.test("keyOrder: bounded in depth and work", async () => {
  const deep = "[".repeat(300) + "]".repeat(300);
  assert.equal(await order(deep, {}), null);
  const wide = `[${Array(50).fill('{"b": 1, "a": 2}').join(",")}]`;
  assert.equal(
    await keyOrder(wide, { items: { properties: { a: {}, b: {} } } }, {
      maxSteps: 10,
    }),
    null,
  );
});

Deno.test("resolveLocalRef and branchSchema", () => {
  const root = {
    $schema: "http://json-schema.org/draft-07/schema#",
    definitions: { "a/b": { type: "string" } },
    anyOf: [{ $ref: "#/definitions/a~1b" }],
  };
  assert.deepEqual(resolveLocalRef(root, "#/definitions/a~1b"), {
    type: "string",
  });
  assert.deepEqual(resolveLocalRef(root, "#/anyOf/0"), root.anyOf[0]);
  assert.equal(resolveLocalRef(root, "#/nope"), undefined);
  assert.equal(resolveLocalRef(root, "#anchor"), undefined);
  assert.deepEqual(branchSchema(root, root.anyOf[0]), {
    $schema: root.$schema,
    definitions: root.definitions,
    allOf: [root.anyOf[0]],
  });
  assert.equal(
    branchSchema({ properties: { a: { $ref: "#/properties/b" } } }, {}),
    null,
  );
});

Deno.test("keyOrder: a wide object is read whole within a budget, and past its bounds the output is left out", async () => {
  const keys = Array.from({ length: 50_000 }, (_, i) => `k${i}`);
  const schema = { properties: Object.fromEntries(keys.map((k) => [k, {}])) };
  const text = `{${keys.map((k) => `"${k}": 0`).join(", ")}}`;
  // A generous time bound: on a loaded machine the default second can pass.
  assert.equal(
    await keyOrder(text, schema, { maxSteps: 1_000_000, maxMs: 60_000 }),
    true,
  );
  // The default step budget leaves such an output out rather than spend on it.
  assert.equal(await keyOrder(text, schema), null);
  assert.equal(
    await keyOrder(text, schema, { maxSteps: 1_000_000, maxMs: 0 }),
    null,
  );
});
