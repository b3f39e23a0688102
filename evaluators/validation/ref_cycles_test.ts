import assert from "node:assert/strict";
import { findRefCycle } from "./ref_cycles.ts";

Deno.test("ref cycles: a root that refers to itself", () => {
  const cycle = findRefCycle({ $ref: "#" });
  assert.equal(
    cycle?.message,
    "$ref at # loops back to itself without reaching into the instance",
  );
  assert.deepEqual(cycle?.path, ["#", "#"]);
});

Deno.test("ref cycles: two definitions that refer to each other", () => {
  const cycle = findRefCycle({
    $ref: "#/$defs/a",
    $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } },
  });
  assert.ok(cycle);
  assert.match(cycle.message, /^\$ref at #\/\$defs\/b loops back to itself/);
  assert.deepEqual(cycle.path, ["#/$defs/a", "#/$defs/b", "#/$defs/a"]);
});

Deno.test("ref cycles: every same-location applicator closes a loop", () => {
  for (
    const wrap of [
      (s: unknown) => ({ allOf: [{ type: "object" }, s] }),
      (s: unknown) => ({ anyOf: [s] }),
      (s: unknown) => ({ oneOf: [{ type: "string" }, s] }),
      (s: unknown) => ({ not: s }),
      (s: unknown) => ({ if: s }),
      (s: unknown) => ({ if: true, then: s }),
      (s: unknown) => ({ if: false, else: s }),
      (s: unknown) => ({ dependentSchemas: { a: s } }),
      (s: unknown) => ({ dependencies: { a: s } }),
    ]
  ) {
    const schema = {
      $defs: { loop: wrap({ $ref: "#/$defs/loop" }) },
      $ref: "#/$defs/loop",
    };
    const cycle = findRefCycle(schema);
    assert.ok(cycle, JSON.stringify(schema));
    assert.equal(cycle.path[0], "#/$defs/loop");
  }
});

Deno.test("ref cycles: recursion through the instance is fine", () => {
  const tree = {
    type: "object",
    properties: {
      value: { type: "integer" },
      children: { type: "array", items: { $ref: "#" } },
    },
  };
  assert.equal(findRefCycle(tree), null);
  const list = {
    $ref: "#/$defs/node",
    $defs: {
      node: {
        anyOf: [{ type: "null" }, {
          type: "object",
          properties: { next: { $ref: "#/$defs/node" } },
        }],
      },
    },
  };
  assert.equal(findRefCycle(list), null);
  for (
    const keyword of [
      "additionalProperties",
      "contains",
      "propertyNames",
      "unevaluatedProperties",
      "unevaluatedItems",
    ]
  ) {
    assert.equal(findRefCycle({ [keyword]: { $ref: "#" } }), null, keyword);
  }
  assert.equal(findRefCycle({ prefixItems: [{ $ref: "#" }] }), null);
  assert.equal(findRefCycle({ patternProperties: { x: { $ref: "#" } } }), null);
});

Deno.test("ref cycles: an unused cyclic definition is never checked", () => {
  assert.equal(
    findRefCycle({
      type: "string",
      $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } },
    }),
    null,
  );
});

Deno.test("ref cycles: anchors, $id and draft-04 id resolve locally", () => {
  assert.ok(
    findRefCycle({
      $ref: "#me",
      $defs: { x: { $anchor: "me", allOf: [{ $ref: "#me" }] } },
    }),
  );
  assert.ok(findRefCycle({
    $id: "https://example.com/root.json",
    $ref: "https://example.com/root.json#/$defs/a",
    $defs: { a: { $ref: "root.json" } },
  }));
  assert.ok(findRefCycle({
    $defs: { sub: { $id: "sub.json", not: { $ref: "sub.json#" } } },
    $ref: "sub.json",
  }));
  assert.ok(findRefCycle(
    {
      id: "http://x/s",
      definitions: { a: { $ref: "http://x/s#" } },
      allOf: [{ $ref: "#/definitions/a" }],
    },
    "draft4",
  ));
  assert.ok(
    findRefCycle({
      $ref: "#/definitions/a~1b",
      definitions: { "a/b": { $ref: "#/definitions/a~1b" } },
    }),
  );
  assert.ok(
    findRefCycle({
      $ref: "#/x-api/0",
      "x-api": [{ allOf: [{ $ref: "#/x-api/0" }] }],
    }),
  );
});

Deno.test("ref cycles: remote and unresolvable refs are not followed", () => {
  assert.equal(findRefCycle({ $ref: "http://127.0.0.1:9/" }), null);
  assert.equal(findRefCycle({ $ref: "file:///etc/passwd" }), null);
  assert.equal(findRefCycle({ $ref: "#/nowhere" }), null);
  assert.equal(findRefCycle({ $ref: "%%%" }), null);
  assert.equal(findRefCycle({ $dynamicRef: "#" }), null);
  assert.equal(
    findRefCycle({ enum: [{ $ref: "#" }], const: { allOf: [{ $ref: "#" }] } }),
    null,
  );
  assert.equal(findRefCycle(true), null);
});

Deno.test("ref cycles: a schema nested 50,000 deep is read without recursion", () => {
  let deep: Record<string, unknown> = { $ref: "#" };
  for (let i = 0; i < 50_000; i++) deep = { allOf: [deep] };
  const started = performance.now();
  const cycle = findRefCycle(deep);
  assert.ok(cycle);
  assert.ok(cycle.message.length < 1000, "the report stays short");
  assert.match(cycle.at, /^#\/allOf\/0\/allOf.*…/);
  assert.equal(cycle.path.length, 7);
  let fine: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < 50_000; i++) fine = { properties: { a: fine } };
  assert.equal(findRefCycle(fine), null);
  assert.ok(performance.now() - started < 10_000, "linear, not stuck");
});
