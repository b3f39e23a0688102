import assert from "node:assert/strict";
import { SchemaValidator } from "./validate.ts";

Deno.test("a catastrophic-backtracking pattern does not hang validation", () => {
  const validator = new SchemaValidator();
  const schema = { type: "string", pattern: "^(a+)+$" };
  const started = performance.now();
  const verdict = validator.validate(schema, "a".repeat(40) + "!");
  const elapsed = performance.now() - started;
  assert.equal(verdict.status, "invalid");
  assert.equal(verdict.errors[0].keyword, "pattern");
  assert.equal(validator.validate(schema, "a".repeat(40)).status, "valid");
  // A backtracking engine needs about 2^40 steps here: minutes, not ms.
  assert.ok(elapsed < 5000, `took ${elapsed} ms`);
});

Deno.test("different patterns give different verdicts (no pattern cache mix-up)", () => {
  const validator = new SchemaValidator();
  const digits = { type: "string", pattern: "^[0-9]+$" };
  const letters = { type: "string", pattern: "^[a-z]+$" };
  assert.equal(validator.validate(digits, "123").status, "valid");
  assert.equal(validator.validate(letters, "123").status, "invalid");
  assert.equal(validator.validate(letters, "abc").status, "valid");
  assert.equal(validator.validate(digits, "abc").status, "invalid");
  const props = { patternProperties: { "^x-": { type: "integer" } } };
  assert.equal(validator.validate(props, { "x-a": "s" }).status, "invalid");
  assert.equal(validator.validate(props, { "y-a": "s" }).status, "valid");
});

Deno.test("errors are reduced to keyword and instance path", () => {
  const validator = new SchemaValidator();
  const verdict = validator.validate(
    {
      type: "object",
      properties: { age: { type: "integer", minimum: 0 } },
      required: ["name"],
    },
    { age: -1 },
  );
  assert.equal(verdict.status, "invalid");
  const pairs = verdict.errors.map((e) => `${e.keyword}@${e.instance_path}`)
    .sort();
  assert.deepEqual(pairs, ["minimum@/age", "required@"]);
});

Deno.test("the declared draft decides the rules", () => {
  const validator = new SchemaValidator();
  const draft4 = {
    $schema: "http://json-schema.org/draft-04/schema#",
    type: "number",
    maximum: 3,
    exclusiveMaximum: true,
  };
  const verdict = validator.validate(draft4, 3);
  assert.equal(verdict.status, "invalid");
  assert.equal(verdict.draft.draft, "draft4");
  assert.equal(verdict.draft.note, null);
  // In 2020-12 exclusiveMaximum is a number.
  assert.equal(
    validator.validate({ exclusiveMaximum: 3 }, 3).status,
    "invalid",
  );
  assert.equal(validator.validate({ exclusiveMaximum: 3 }, 2).status, "valid");
});

Deno.test("an undeclared draft-04 schema is inferred and the inference recorded", () => {
  const validator = new SchemaValidator();
  const schema = { type: "number", maximum: 3, exclusiveMaximum: true };
  const verdict = validator.validate(schema, 3);
  assert.equal(verdict.status, "invalid");
  assert.equal(verdict.draft.draft, "draft4");
  assert.match(verdict.draft.note ?? "", /boolean exclusiveMaximum/);
});

Deno.test("jsb mode applies 2020-12 to every schema and ignores $schema and id", () => {
  const jsb = new SchemaValidator({ mode: "jsb" });
  const schema = {
    $schema: "http://json-schema.org/draft-04/schema#",
    id: "legacy",
    type: "object",
    dependentRequired: { a: ["b"] },
  };
  // dependentRequired exists from 2019-09 on: draft-04 ignores it.
  const verdict = jsb.validate(schema, { a: 1 });
  assert.equal(verdict.status, "invalid");
  assert.equal(verdict.draft.draft, "draft2020-12");
  assert.equal(
    new SchemaValidator().validate(schema, { a: 1 }).status,
    "valid",
  );
});

Deno.test("formats are checked; unknown formats are ignored", () => {
  const validator = new SchemaValidator();
  assert.equal(
    validator.validate({ format: "email" }, "nope").status,
    "invalid",
  );
  assert.equal(
    validator.validate({ format: "email" }, "a@b.io").status,
    "valid",
  );
  assert.equal(
    validator.validate({ format: "date" }, "2024-02-30").status,
    "invalid",
  );
  assert.equal(validator.validate({ format: "made-up" }, "x").status, "valid");
});

Deno.test("a schema that cannot compile is reported with the reason", () => {
  const validator = new SchemaValidator();
  const verdict = validator.validate({ $ref: "#/$defs/missing" }, 1);
  assert.equal(verdict.status, "invalid_schema");
  if (verdict.status === "invalid_schema") {
    assert.equal(verdict.kind, "invalid_schema");
    assert.match(verdict.reason, /missing/);
  }
  const typed = validator.validate({ type: "strin" }, 1);
  assert.equal(typed.status, "invalid_schema");
  const lookahead = validator.validate({ pattern: "^(?=a)a$" }, "a");
  assert.equal(lookahead.status, "invalid_schema");
  if (lookahead.status === "invalid_schema") {
    assert.equal(lookahead.kind, "unsupported_pattern");
  }
});

Deno.test("a remote $ref is never fetched", async () => {
  let hits = 0;
  const controller = new AbortController();
  const server = Deno.serve(
    {
      port: 0,
      hostname: "127.0.0.1",
      signal: controller.signal,
      onListen() {},
    },
    () => {
      hits++;
      return Response.json({ type: "string" });
    },
  );
  try {
    const validator = new SchemaValidator();
    const url = `http://127.0.0.1:${server.addr.port}/remote.json`;
    const verdict = validator.validate({ $ref: url }, "x");
    assert.equal(verdict.status, "invalid_schema");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(hits, 0);
  } finally {
    controller.abort();
    await server.finished;
  }
});

Deno.test("recursive $ref through $defs validates nested data", () => {
  const validator = new SchemaValidator();
  const tree = {
    $defs: {
      node: {
        type: "object",
        properties: {
          value: { type: "integer" },
          children: { type: "array", items: { $ref: "#/$defs/node" } },
        },
        required: ["value"],
      },
    },
    $ref: "#/$defs/node",
  };
  const good = { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] };
  const bad = {
    value: 1,
    children: [{ value: 2, children: [{ value: "3" }] }],
  };
  assert.equal(validator.validate(tree, good).status, "valid");
  const verdict = validator.validate(tree, bad);
  assert.equal(verdict.status, "invalid");
  assert.equal(verdict.errors[0].instance_path, "/children/0/children/0/value");
});

Deno.test("compiled validators are cached and instances are recycled", () => {
  const validator = new SchemaValidator({ rotateAfter: 3 });
  const first = validator.compile({ type: "string", minLength: 2 });
  const again = validator.compile({ minLength: 2, type: "string" });
  assert.ok(first.ok && again.ok);
  assert.equal(again.compileMs, 0);
  // Two schemas with the same $id, compiled one after the other, both work.
  for (let i = 0; i < 8; i++) {
    const schema = { $id: "https://example.com/same", const: i };
    assert.equal(validator.validate(schema, i).status, "valid");
    assert.equal(validator.validate(schema, i + 1).status, "invalid");
  }
});

Deno.test("boolean schemas", () => {
  const validator = new SchemaValidator();
  assert.equal(validator.validate(true, { any: 1 }).status, "valid");
  assert.equal(validator.validate(false, 1).status, "invalid");
  assert.equal(validator.validate("nope", 1).status, "invalid_schema");
});

Deno.test("decimal multipleOf follows arithmetic, not binary floating point", () => {
  const validator = new SchemaValidator();
  const price = { type: "number", multipleOf: 0.01 };
  for (const ok of [19.99, 4.35, 0.3, 1.1, 100]) {
    assert.equal(validator.validate(price, ok).status, "valid", String(ok));
  }
  assert.equal(validator.validate(price, 4.355).status, "invalid");
  assert.equal(
    validator.validate({ multipleOf: 0.0001 }, 0.00751).status,
    "invalid",
  );
});

Deno.test("jsb mode checks the formats the paper's Python validator checked, and only those", () => {
  const jsb = new SchemaValidator({ mode: "jsb" });
  const declared = new SchemaValidator();
  // Python's FormatChecker only asks an email for an "@".
  assert.equal(
    jsb.validate({ format: "email" }, "not really@").status,
    "valid",
  );
  assert.equal(
    declared.validate({ format: "email" }, "not really@").status,
    "invalid",
  );
  // date-time needs an optional package there: not checked.
  assert.equal(
    jsb.validate({ format: "date-time" }, "yesterday").status,
    "valid",
  );
  assert.equal(
    declared.validate({ format: "date-time" }, "yesterday").status,
    "invalid",
  );
  for (
    const [format, bad] of [["uuid", "1234"], ["ipv4", "300.1.1.1"], [
      "ipv6",
      "::g",
    ], ["date", "2024-13-01"]]
  ) {
    assert.equal(
      jsb.validate({ format }, bad).status,
      "invalid",
      `${format} ${bad}`,
    );
  }
  // The schema is checked against the 2020-12 meta-schema first, as check_schema did.
  assert.equal(
    jsb.validate({ type: "number", exclusiveMaximum: true }, 1).status,
    "invalid_schema",
  );
});

Deno.test("a $ref loop that never reaches into the instance is an invalid schema, not a stack overflow", () => {
  const validator = new SchemaValidator();
  const compiled = validator.compile({
    $ref: "#/$defs/a",
    $defs: { a: { $ref: "#/$defs/b" }, b: { allOf: [{ $ref: "#/$defs/a" }] } },
  });
  assert.equal(compiled.ok, false);
  assert.equal(!compiled.ok && compiled.kind, "ref_cycle");
  assert.match(
    !compiled.ok ? compiled.reason : "",
    /^\$ref at #\/\$defs\/b\/allOf\/0 loops back to itself without reaching into the instance/,
  );
  const verdict = validator.validate({ $ref: "#" }, {});
  assert.equal(verdict.status, "invalid_schema");
  assert.equal(
    verdict.status === "invalid_schema" && verdict.kind,
    "ref_cycle",
  );
  // Recursion through the instance (a tree) validates as before.
  const tree = {
    type: "object",
    properties: { kids: { type: "array", items: { $ref: "#" } } },
  };
  assert.equal(
    validator.validate(tree, { kids: [{ kids: [] }] }).status,
    "valid",
  );
  assert.equal(
    validator.validate(tree, { kids: [{ kids: 1 }] }).status,
    "invalid",
  );
});

Deno.test("a schema nested 10,000 deep is refused at once, with or without a hash", () => {
  let deep: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < 10_000; i++) deep = { properties: { a: deep } };
  const validator = new SchemaValidator();
  for (const options of [{}, { hash: "deep" }]) {
    const started = performance.now();
    const compiled = validator.compile(deep, options);
    assert.equal(compiled.ok, false);
    assert.match(!compiled.ok ? compiled.reason : "", /nest/);
    assert.ok(performance.now() - started < 2000);
  }
  let fine: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < 50; i++) fine = { properties: { a: fine } };
  assert.equal(validator.compile(fine).ok, true);
});

Deno.test("validate: Ajv's own $async keyword is ignored, never a promise", () => {
  const v = new SchemaValidator();
  const schema = { $async: true, type: "object", required: ["a"] };
  assert.equal(v.validate(schema, {}).status, "invalid");
  assert.equal(v.validate(schema, { a: 1 }).status, "valid");
});
