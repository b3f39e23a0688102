import assert from "node:assert/strict";
import { walkSchema } from "../../validation/keywords.ts";
import { SchemaValidator } from "../../validation/validate.ts";
import { smokeCases } from "../../testing/smoke.ts";
import {
  adaptSchema,
  type Provider,
  PROVIDER_SUBSETS,
} from "./adapt_schema.ts";

const PROVIDERS: Provider[] = ["openai", "gemini"];
const validator = new SchemaValidator();

function status(schema: unknown, instance: unknown): string {
  return validator.validate(schema, instance).status;
}

/** A chain of `depth` objects, each holding the next under `child`. */
function deepSchema(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = { type: "object" };
  let current = root;
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> = { type: "object" };
    current.properties = { child: next, tags: { uniqueItems: true } };
    current = next;
  }
  return root;
}

Deno.test("the smoke suite has its 40 cases", () => {
  assert.equal(smokeCases().length, 40);
});

Deno.test("openai: an optional property becomes required and nullable", () => {
  const schema = {
    type: "object",
    properties: {
      name: { type: "string" },
      nickname: { type: "string", pattern: "^[a-z]+$" },
      mood: { enum: ["happy", "sad"] },
      size: { type: "string", enum: ["s", "m"] },
      kind: { const: "pet" },
    },
    required: ["name"],
  };
  const adapted = adaptSchema(schema, "openai");
  assert.equal(adapted.changed, true);
  assert.deepEqual(adapted.schema, {
    type: "object",
    properties: {
      name: { type: "string" },
      nickname: { type: ["string", "null"], pattern: "^[a-z]+$" },
      mood: { enum: ["happy", "sad", null] },
      size: { type: ["string", "null"], enum: ["s", "m", null] },
      kind: { anyOf: [{ const: "pet" }, { type: "null" }] },
    },
    required: ["name", "nickname", "mood", "size", "kind"],
    additionalProperties: false,
  });
  const absent = {
    name: "Rex",
    nickname: null,
    mood: null,
    size: null,
    kind: null,
  };
  assert.equal(status(adapted.schema, absent), "valid");
  assert.equal(status(adapted.schema, { name: "Rex" }), "invalid");
  assert.ok(
    adapted.notes.some((n) =>
      n.startsWith("made optional properties required and nullable at") &&
      n.includes("/properties/nickname")
    ),
    adapted.notes.join("\n"),
  );
});

Deno.test("openai: a $ref property that was optional is wrapped in anyOf with null", () => {
  const schema = {
    type: "object",
    properties: { home: { $ref: "#/$defs/place" } },
    $defs: {
      place: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      },
    },
  };
  const adapted = adaptSchema(schema, "openai").schema as {
    properties: Record<string, unknown>;
  };
  assert.deepEqual(adapted.properties.home, {
    anyOf: [{ $ref: "#/$defs/place" }, { type: "null" }],
  });
  assert.equal(status(adapted, { home: null }), "valid");
  assert.equal(status(adapted, { home: { city: "Oslo" } }), "valid");
  assert.equal(status(adapted, { home: {} }), "invalid");
});

Deno.test("openai: nested objects in items, anyOf and $defs also get additionalProperties: false", () => {
  const schema = {
    type: "object",
    properties: {
      list: {
        type: "array",
        items: { type: "object", properties: { a: { type: "string" } } },
      },
      either: {
        anyOf: [
          { type: "object", properties: { b: { type: "integer" } } },
          { type: "string" },
        ],
      },
      ref: { $ref: "#/$defs/thing" },
    },
    required: ["list", "either", "ref"],
    $defs: {
      thing: { type: "object", properties: { c: { type: "boolean" } } },
    },
  };
  const adapted = adaptSchema(schema, "openai");
  const out = adapted.schema as {
    additionalProperties: unknown;
    properties: {
      list: { items: Record<string, unknown> };
      either: { anyOf: Record<string, unknown>[] };
    };
    $defs: { thing: Record<string, unknown> };
  };
  assert.equal(out.additionalProperties, false);
  assert.equal(out.properties.list.items.additionalProperties, false);
  assert.deepEqual(out.properties.list.items.required, ["a"]);
  assert.equal(out.properties.either.anyOf[0].additionalProperties, false);
  assert.equal("additionalProperties" in out.properties.either.anyOf[1], false);
  assert.equal(out.$defs.thing.additionalProperties, false);
  const extra = { list: [{ a: "x", z: 1 }], either: "s", ref: { c: true } };
  assert.equal(status(schema, extra), "valid");
  assert.equal(status(adapted.schema, extra), "invalid");
});

Deno.test("uniqueItems is dropped with a note naming its path", () => {
  const schema = {
    type: "object",
    properties: {
      tags: { type: "array", items: { type: "string" }, uniqueItems: true },
    },
    required: ["tags"],
    additionalProperties: false,
  };
  for (const provider of PROVIDERS) {
    const adapted = adaptSchema(schema, provider);
    assert.deepEqual(
      (adapted.schema as { properties: { tags: unknown } }).properties.tags,
      { type: "array", items: { type: "string" } },
    );
    assert.ok(
      adapted.notes.includes("dropped uniqueItems at /properties/tags"),
      adapted.notes.join("\n"),
    );
  }
});

Deno.test("definitions become $defs, refs are rewritten and still resolve", () => {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: {
      author: { $ref: "#/definitions/person" },
      editor: { $ref: "#/definitions/person" },
    },
    required: ["author", "editor"],
    definitions: {
      person: {
        type: "object",
        properties: { name: { type: "string" } },
        required: ["name"],
      },
    },
  };
  for (const provider of PROVIDERS) {
    const adapted = adaptSchema(schema, provider);
    const out = adapted.schema as Record<string, unknown> & {
      properties: Record<string, { $ref: string }>;
    };
    assert.equal("definitions" in out, false);
    assert.equal("$schema" in out, false);
    assert.ok("$defs" in out);
    assert.equal(out.properties.author.$ref, "#/$defs/person");
    assert.equal(out.properties.editor.$ref, "#/$defs/person");
    const good = { author: { name: "A" }, editor: { name: "B" } };
    assert.equal(status(out, good), "valid", provider);
    assert.equal(status(out, { author: {}, editor: { name: "B" } }), "invalid");
    assert.ok(
      adapted.notes.some((n) => n.startsWith("renamed definitions to $defs")),
    );
  }
});

Deno.test("nested $defs move to the root and a ref to a dropped place is copied into $defs", () => {
  const schema = {
    type: "object",
    properties: {
      inner: {
        type: "object",
        properties: { x: { $ref: "#/properties/inner/$defs/code" } },
        required: ["x"],
        $defs: { code: { type: "string", pattern: "^[A-Z]+$" } },
      },
      other: { $ref: "#/not/properties/secret" },
    },
    required: ["inner", "other"],
    not: { properties: { secret: { type: "integer" } } },
  };
  for (const provider of PROVIDERS) {
    const adapted = adaptSchema(schema, provider);
    const out = adapted.schema as {
      $defs: Record<string, unknown>;
      properties: Record<string, Record<string, unknown>>;
    };
    assert.deepEqual(Object.keys(out.$defs), ["code", "secret"]);
    const inner = out.properties.inner as {
      properties: { x: { $ref: string } };
    };
    assert.equal(inner.properties.x.$ref, "#/$defs/code");
    assert.equal(out.properties.other.$ref, "#/$defs/secret");
    assert.equal("$defs" in inner, false);
    assert.equal(status(out, {}) === "invalid_schema", false, provider);
    assert.equal(status(out, { inner: { x: "AB" }, other: 3 }), "valid");
    assert.equal(status(out, { inner: { x: "AB" }, other: "3" }), "invalid");
  }
});

Deno.test("the input is never mutated and the result shares nothing with it", () => {
  for (const kase of smokeCases()) {
    for (const provider of PROVIDERS) {
      const before = structuredClone(kase.schema);
      const adapted = adaptSchema(kase.schema, provider);
      assert.deepEqual(kase.schema, before, `${kase.file} ${provider}`);
      // Scribbling over every node of the result leaves the input alone.
      walkSchema(adapted.schema, ({ node }) => {
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.push("scribble");
        }
        node.scribbled = true;
      });
      assert.deepEqual(kase.schema, before, `${kase.file} ${provider}`);
    }
  }
});

Deno.test("a schema already in the subset comes back unchanged", () => {
  const openai = {
    title: "Order",
    type: "object",
    properties: {
      id: { type: "string", pattern: "^[0-9]+$", description: "the id" },
      status: { enum: ["open", "closed"] },
      placed: { type: "string", format: "date-time" },
      lines: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          properties: {
            qty: { type: "integer", minimum: 1, exclusiveMaximum: 100 },
            note: { type: ["string", "null"] },
          },
          required: ["qty", "note"],
          additionalProperties: false,
        },
      },
      parent: { anyOf: [{ $ref: "#" }, { type: "null" }] },
    },
    required: ["id", "status", "placed", "lines", "parent"],
    additionalProperties: false,
  };
  const gemini = {
    type: "object",
    properties: {
      day: { type: "string", format: "date" },
      pair: {
        type: "array",
        prefixItems: [{ type: "number" }, { type: "string" }],
      },
      score: { type: "number", minimum: 0, maximum: 10 },
      when: { $ref: "#/$defs/moment" },
    },
    required: ["day"],
    $defs: { moment: { type: ["string", "null"], format: "time" } },
  };
  for (const [provider, schema] of [["openai", openai], ["gemini", gemini]]) {
    const adapted = adaptSchema(schema, provider as Provider);
    assert.equal(adapted.changed, false, adapted.notes.join("\n"));
    assert.deepEqual(adapted.schema, schema);
    assert.notEqual(adapted.schema, schema);
    assert.deepEqual(adapted.notes, []);
  }
});

Deno.test("a recursive $ref schema adapts and still validates recursively", () => {
  const tree = {
    type: "object",
    properties: {
      label: { type: "string" },
      children: { type: "array", items: { $ref: "#" } },
      next: { $ref: "#/$defs/node" },
    },
    required: ["label", "children"],
    $defs: {
      node: {
        type: "object",
        properties: {
          value: { type: "integer" },
          next: { $ref: "#/$defs/node" },
        },
        required: ["value"],
      },
    },
  };
  const adapted = adaptSchema(tree, "openai");
  const instance = {
    label: "a",
    children: [{ label: "b", children: [], next: null }],
    next: { value: 1, next: { value: 2, next: null } },
  };
  assert.equal(status(adapted.schema, instance), "valid");
  assert.equal(status(tree, instance), "invalid"); // null is the adapted form of "absent"
  const broken = structuredClone(instance);
  broken.next.next = {
    value: "x",
    next: null,
  } as unknown as typeof broken.next.next;
  assert.equal(status(adapted.schema, broken), "invalid");
  const out = adapted.schema as {
    properties: { children: { items: unknown }; next: unknown };
  };
  assert.deepEqual(out.properties.children.items, { $ref: "#" });
  assert.deepEqual(out.properties.next, {
    anyOf: [{ $ref: "#/$defs/node" }, { type: "null" }],
  });
  const gemini = adaptSchema(tree, "gemini");
  assert.equal(gemini.changed, false);
  assert.equal(
    status(gemini.schema, {
      label: "a",
      children: [{ label: "b", children: [] }],
    }),
    "valid",
  );
});

Deno.test("a ref target that is also an optional property keeps its exact meaning", () => {
  const schema = {
    type: "object",
    properties: {
      first: { type: "string" },
      second: { $ref: "#/properties/first" },
    },
    required: ["second"],
  };
  const adapted = adaptSchema(schema, "openai").schema as {
    properties: { first: unknown; second: unknown };
  };
  assert.deepEqual(adapted.properties.first, {
    anyOf: [{ type: "string" }, { type: "null" }],
  });
  assert.deepEqual(adapted.properties.second, {
    $ref: "#/properties/first/anyOf/0",
  });
  assert.equal(status(adapted, { first: null, second: null }), "invalid");
  assert.equal(status(adapted, { first: null, second: "x" }), "valid");
});

Deno.test("a 5000-deep nested schema does not throw", () => {
  const schema = deepSchema(5000);
  for (const provider of PROVIDERS) {
    const adapted = adaptSchema(schema, provider);
    assert.equal(adapted.changed, true);
    let node = adapted.schema as Record<string, unknown>;
    let depth = 0;
    while (node && typeof node === "object" && "properties" in node) {
      const child = (node.properties as Record<string, unknown>).child;
      // OpenAI makes the optional child nullable: type ["object", "null"].
      node = child as Record<string, unknown>;
      depth++;
    }
    assert.equal(depth, 5000, provider);
    const note = adapted.notes.find((n) => n.startsWith("dropped uniqueItems"));
    assert.ok(note && note.endsWith("and 4995 more"), note);
    assert.ok(note.length < 1000);
  }
  const items: Record<string, unknown> = { type: "string" };
  let chain: Record<string, unknown> = items;
  for (let i = 0; i < 5000; i++) {
    chain = {
      anyOf: [{ type: "array", items: chain }, { allOf: [{ minItems: 1 }] }],
    };
  }
  for (const provider of PROVIDERS) adaptSchema(chain, provider);
});

Deno.test("oneOf becomes anyOf", () => {
  const schema = {
    type: "object",
    properties: {
      pay: {
        oneOf: [
          {
            type: "object",
            properties: { card: { type: "string" } },
            required: ["card"],
          },
          {
            type: "object",
            properties: { iban: { type: "string" } },
            required: ["iban"],
          },
        ],
      },
    },
    required: ["pay"],
  };
  for (const provider of PROVIDERS) {
    const adapted = adaptSchema(schema, provider);
    const pay =
      (adapted.schema as { properties: { pay: Record<string, unknown> } })
        .properties.pay;
    assert.equal("oneOf" in pay, false);
    assert.equal((pay.anyOf as unknown[]).length, 2);
    assert.ok(
      adapted.notes.some((n) =>
        n.startsWith("replaced oneOf with anyOf") &&
        n.endsWith("/properties/pay")
      ),
      adapted.notes.join("\n"),
    );
    assert.equal(status(adapted.schema, { pay: { card: "4242" } }), "valid");
  }
});

Deno.test("gemini: const becomes a one-value enum and exclusive bounds become inclusive", () => {
  const schema = {
    type: "object",
    properties: {
      version: { const: 2 },
      event: { const: "created" },
      rate: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
      flag: { const: true },
    },
  };
  const adapted = adaptSchema(schema, "gemini");
  assert.deepEqual(adapted.schema, {
    type: "object",
    properties: {
      version: { enum: [2], type: "integer" },
      event: { enum: ["created"], type: "string" },
      rate: { type: "number", minimum: 0, maximum: 1 },
      flag: { type: "boolean" },
    },
  });
  assert.ok(
    adapted.notes.some((n) => n.startsWith("relaxed exclusiveMinimum")),
  );
});

Deno.test("openai: draft-04 boolean exclusive bounds become numeric ones", () => {
  const schema = {
    $schema: "http://json-schema.org/draft-04/schema#",
    type: "object",
    properties: {
      pct: { type: "number", minimum: 0, maximum: 100, exclusiveMaximum: true },
    },
    required: ["pct"],
  };
  const adapted = adaptSchema(schema, "openai");
  const pct =
    (adapted.schema as { properties: { pct: unknown } }).properties.pct;
  assert.deepEqual(pct, { type: "number", minimum: 0, exclusiveMaximum: 100 });
  assert.equal(status(adapted.schema, { pct: 100 }), "invalid");
  assert.equal(status(adapted.schema, { pct: 99.5 }), "valid");
});

Deno.test("allOf is merged into the schema holding it", () => {
  const schema = {
    type: "object",
    allOf: [
      { $ref: "#/$defs/named" },
      {
        properties: {
          age: { type: "integer", minimum: 0 },
          name: { minLength: 1 },
        },
        required: ["age"],
      },
    ],
    $defs: {
      named: { properties: { name: { type: "string" } }, required: ["name"] },
    },
  };
  const adapted = adaptSchema(schema, "gemini");
  const out = adapted.schema as Record<string, unknown>;
  assert.equal("allOf" in out, false);
  assert.deepEqual(out.required, ["name", "age"]);
  assert.equal(status(out, { name: "Al", age: 3 }), "valid");
  assert.equal(status(out, { name: "Al" }), "invalid");
  assert.ok(adapted.notes.some((n) => n.startsWith("merged allOf")));
  // The same property in two branches: both constraints, then minLength dropped.
  assert.deepEqual((out.properties as Record<string, unknown>).name, {
    type: "string",
  });
});

Deno.test("openai: prefixItems become items anyOf with a length cap", () => {
  const schema = {
    type: "object",
    properties: {
      point: {
        type: "array",
        prefixItems: [{ type: "number" }, { type: "string" }],
        items: false,
      },
    },
    required: ["point"],
    additionalProperties: false,
  };
  const adapted = adaptSchema(schema, "openai");
  assert.deepEqual(
    (adapted.schema as { properties: { point: unknown } }).properties.point,
    {
      type: "array",
      items: { anyOf: [{ type: "number" }, { type: "string" }] },
      maxItems: 2,
    },
  );
});

Deno.test("boolean subschemas are handled", () => {
  const schema = {
    type: "object",
    properties: {
      any: true,
      never: false,
      list: { type: "array", items: true },
    },
    required: ["any", "list"],
  };
  const openai = adaptSchema(schema, "openai");
  const out = openai.schema as {
    properties: Record<string, unknown>;
    required: string[];
  };
  assert.deepEqual(Object.keys(out.properties), ["any", "list"]);
  assert.deepEqual(out.properties.any, {});
  assert.deepEqual(out.properties.list, { type: "array", items: {} });
  assert.deepEqual(out.required, ["any", "list"]);
  assert.ok(openai.notes.some((n) => n.includes("OpenAI may reject it")));
  for (const provider of PROVIDERS) {
    assert.deepEqual(adaptSchema(true, provider).schema, {});
    assert.equal(adaptSchema(false, provider).schema, false);
    assert.equal(adaptSchema(false, provider).changed, false);
  }
  assert.ok(
    adaptSchema(true, "openai").notes.includes(
      "root is not an object: OpenAI may reject it",
    ),
  );
});

Deno.test("openai: a non-object root is left alone, with a note", () => {
  const adapted = adaptSchema(
    { type: "array", items: { type: "string" } },
    "openai",
  );
  assert.equal(adapted.changed, false);
  assert.deepEqual(adapted.schema, {
    type: "array",
    items: { type: "string" },
  });
  assert.deepEqual(adapted.notes, [
    "root is not an object: OpenAI may reject it",
  ]);
});

Deno.test("notes are capped at 50 lines", () => {
  const schema: Record<string, unknown> = { type: "object" };
  for (let i = 0; i < 60; i++) schema[`x-vendor-${i}`] = i;
  const notes = adaptSchema(schema, "gemini").notes;
  assert.equal(notes.length, 51);
  assert.equal(notes[50], "… and 10 more");
});

Deno.test("an answer valid against the adapted schema, optional fields given, is valid against the original", () => {
  // Simple cases: nothing the provider drops, so the only rewrites are
  // required + nullable and additionalProperties: false.
  const person = {
    type: "object",
    properties: {
      name: { type: "string" },
      age: { type: "integer", minimum: 0 },
      role: { enum: ["admin", "user"] },
      born: { type: "string", format: "date" },
      address: {
        type: "object",
        properties: { city: { type: "string" }, zip: { type: "string" } },
        required: ["city"],
      },
      pets: {
        type: "array",
        maxItems: 2,
        items: {
          type: "object",
          properties: { kind: { type: "string" }, legs: { type: "number" } },
        },
      },
    },
    required: ["name"],
  };
  const order = {
    type: "object",
    properties: {
      sku: { type: "string", pattern: "^[A-Z]{3}$" },
      total: { type: "number", exclusiveMinimum: 0, multipleOf: 0.5 },
      contact: { type: "string", format: "email" },
    },
  };
  const full = {
    name: "Ann",
    age: 3,
    role: "user",
    born: "2020-01-31",
    address: { city: "Rome", zip: "00100" },
    pets: [{ kind: "cat", legs: 4 }],
  };
  const cases: {
    providers: Provider[];
    schema: unknown;
    instances: unknown[];
  }[] = [
    {
      providers: PROVIDERS,
      schema: person,
      instances: [
        full,
        { ...full, address: { city: "Rome", zip: "x", extra: 1 } },
        { ...full, age: -1 },
        { ...full, role: "guest" },
        {
          ...full,
          pets: [{ kind: "cat", legs: 4 }, { kind: "dog", legs: 4 }, {
            kind: "ant",
            legs: 6,
          }],
        },
        { ...full, pets: [{ kind: "cat", legs: "four" }] },
      ],
    },
    {
      providers: ["openai"],
      schema: order,
      instances: [
        { sku: "ABC", total: 5, contact: "a@b.co" },
        { sku: "AB", total: 5, contact: "a@b.co" },
        { sku: "ABC", total: 0, contact: "a@b.co" },
        { sku: "ABC", total: 0.7, contact: "a@b.co" },
        { sku: "ABC", total: 5, contact: "nobody" },
      ],
    },
  ];
  for (const { providers, schema, instances } of cases) {
    for (const provider of providers) {
      const adapted = adaptSchema(schema, provider).schema;
      let accepted = 0;
      for (const instance of instances) {
        if (status(adapted, instance) !== "valid") continue;
        accepted++;
        assert.equal(
          status(schema, instance),
          "valid",
          `${provider} ${JSON.stringify(instance)}`,
        );
      }
      assert.ok(accepted >= 1, provider);
    }
  }
});

Deno.test("every adapted smoke schema compiles and uses only its provider's keywords", () => {
  for (const kase of smokeCases()) {
    for (const provider of PROVIDERS) {
      const adapted = adaptSchema(kase.schema, provider);
      const verdict = validator.validate(adapted.schema, {});
      assert.notEqual(
        verdict.status,
        "invalid_schema",
        `${kase.file} ${provider}`,
      );
      const allowed = new Set(PROVIDER_SUBSETS[provider].supported);
      walkSchema(adapted.schema, ({ node, pointer }) => {
        for (const key of Object.keys(node)) {
          assert.ok(
            allowed.has(key),
            `${kase.file} ${provider} ${pointer}: ${key}`,
          );
        }
        if (typeof node.format === "string") {
          assert.ok(PROVIDER_SUBSETS[provider].formats.includes(node.format));
        }
        if (provider === "openai" && node.type === "object") {
          assert.equal(
            node.additionalProperties,
            false,
            `${kase.file} ${pointer}`,
          );
          assert.deepEqual(
            node.required ?? [],
            Object.keys(node.properties ?? {}),
          );
        }
      });
    }
  }
});

Deno.test("gemini: every answer the original accepts is still accepted by the adapted schema", () => {
  // Gemini's rewrites only relax or keep meaning, so nothing valid is lost.
  for (const kase of smokeCases()) {
    const adapted = adaptSchema(kase.schema, "gemini").schema;
    for (const instance of kase.valid) {
      assert.equal(
        status(adapted, instance),
        "valid",
        `${kase.file} ${JSON.stringify(instance)}`,
      );
    }
  }
});

Deno.test("PROVIDER_SUBSETS records a date and the kept keywords", () => {
  for (const provider of PROVIDERS) {
    const subset = PROVIDER_SUBSETS[provider];
    assert.match(subset.checked, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(subset.supported.includes("anyOf"));
    assert.ok(!subset.supported.includes("oneOf"));
    assert.ok(!subset.supported.includes("uniqueItems"));
    assert.ok(subset.notes.length > 0);
  }
  assert.throws(() => adaptSchema({}, "claude" as Provider), TypeError);
});
