/**
 * `jsb` mode is the paper's harness bug for bug (issue 16, causes 8 to 13):
 * one test per cause, with the minimal schema and instance, each verdict the one
 * `core/evaluator.py` gives (jsonschema 4.23).
 */
import assert from "node:assert/strict";
import { DEFAULT_TEMPLATE } from "../prompt.ts";
import { runCase } from "../run_case.ts";
import type { Target } from "../targets/target.ts";
import { ValidationPool } from "./pool.ts";
import { SchemaValidator, type ValidationMode } from "./validate.ts";

const status = (mode: ValidationMode, schema: unknown, instance: unknown) =>
  new SchemaValidator({ mode }).validate(schema, instance).status;
const jsb = (schema: unknown, instance: unknown) =>
  status("jsb", schema, instance);

Deno.test("cause 8: ipv4, ipv6 and uuid strings always fail in jsb (the harness's checkers return None)", () => {
  const wellFormed: [string, string][] = [
    ["ipv4", "192.168.0.1"],
    ["ipv6", "::1"],
    ["uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"],
  ];
  for (const [format, value] of wellFormed) {
    assert.equal(jsb({ format }, value), "invalid", format);
    assert.equal(jsb({ format }, "malformed"), "invalid", format);
    assert.equal(jsb({ format }, 7), "valid", `${format} on a number`);
    assert.equal(status("declared", { format }, value), "valid", format);
  }
});

Deno.test("cause 9: jsb checks FormatChecker()'s formats: strptime time, idn-*, email by '@'", () => {
  assert.equal(jsb({ format: "time" }, "12:00:00"), "valid");
  assert.equal(jsb({ format: "time" }, "1:2:3"), "valid");
  assert.equal(jsb({ format: "time" }, "12:00:00Z"), "invalid");
  assert.equal(status("declared", { format: "time" }, "12:00:00Z"), "valid");
  assert.equal(jsb({ format: "idn-hostname" }, "a b"), "invalid");
  assert.equal(jsb({ format: "idn-email" }, "no at sign"), "invalid");
  assert.equal(jsb({ format: "email" }, "x@"), "valid");
  // Not checked by the harness at all.
  assert.equal(jsb({ format: "date-time" }, "yesterday"), "valid");
  assert.equal(jsb({ format: "uri" }, "not a uri"), "valid");
});

Deno.test("cause 10: dependencies is not a 2020-12 keyword: jsb ignores it", () => {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    dependencies: { a: ["b"] },
  };
  assert.equal(jsb(schema, { a: 1 }), "valid");
  assert.equal(status("declared", schema, { a: 1 }), "invalid");
});

Deno.test("cause 11: a subschema with its own $schema switches dialect below it in jsb", () => {
  const D7 = "http://json-schema.org/draft-07/schema#";
  const nested = {
    $schema: D7,
    dependencies: { a: ["b"] },
    properties: {
      inner: { $schema: D7, dependencies: { x: ["y"] } },
      ref: {
        $schema: D7,
        definitions: { n: { type: "integer" } },
        properties: {
          v: { $ref: "#/properties/ref/definitions/n", minimum: 10 },
        },
      },
    },
  };
  // The root is 2020-12 whatever it declares: its dependencies are ignored.
  assert.equal(jsb(nested, { a: 1 }), "valid");
  // Below the nested draft-07 $schema, dependencies apply ...
  assert.equal(jsb(nested, { inner: { x: 1 } }), "invalid");
  assert.equal(jsb(nested, { inner: { x: 1, y: 2 } }), "valid");
  // ... and keywords beside $ref are ignored.
  assert.equal(jsb(nested, { ref: { v: 3 } }), "valid");
  assert.equal(jsb(nested, { ref: { v: "3" } }), "invalid");
});

Deno.test("cause 12: multipleOf is Python's float division in jsb", () => {
  assert.equal(jsb({ multipleOf: 0.01 }, 19.99), "invalid");
  assert.equal(status("declared", { multipleOf: 0.01 }, 19.99), "valid");
  assert.equal(jsb({ multipleOf: 0.1 }, 0.30000000001), "invalid");
  assert.equal(jsb({ multipleOf: 0.5 }, 1.5), "valid");
  assert.equal(jsb({ multipleOf: 2 }, 7.5), "invalid");
});

function recorded(text: string): Target {
  return {
    config: {
      name: "recorded",
      kind: "recorded",
      baseUrl: null,
      model: null,
      mode: "json_schema",
      settings: {},
      params: {},
      apiKeyEnv: null,
    },
    describe: () => Promise.resolve({ engine: "recorded" }),
    generate: () =>
      Promise.resolve({ text, finishReason: "stop", latencyMs: 1 }),
  };
}

Deno.test("cause 13: a schema the harness cannot check is a failure in jsb (uncheckable_schema, in E); lookaround runs", async () => {
  const pool = new ValidationPool({ size: 1 });
  try {
    const run = (schema: unknown, text: string, mode: ValidationMode) =>
      runCase({
        kase: { key: "k", schema },
        target: recorded(text),
        mode: "json_schema",
        params: {},
        template: DEFAULT_TEMPLATE,
        validator: pool.forMode(mode),
        signal: new AbortController().signal,
        retries: 0,
      });
    const broken = { type: "strin" };
    const paper = await run(broken, "{}", "jsb");
    assert.equal(paper.outcome, "schema_violation");
    assert.deepEqual(paper.failingKeywords, ["uncheckable_schema"]);
    assert.match(
      paper.errorMessage ?? "",
      /^uncheckable_schema: invalid_schema/,
    );
    assert.equal((await run(broken, "{", "jsb")).outcome, "invalid_json");
    assert.equal(
      (await run(broken, "{}", "declared")).outcome,
      "invalid_schema",
    );
    // Lookaround: Python's re runs it, and so does jsb (in the bounded pool).
    const lookahead = { type: "string", pattern: "^(?!tag$)" };
    assert.equal((await run(lookahead, '"other"', "jsb")).outcome, "valid");
    assert.equal(
      (await run(lookahead, '"tag"', "jsb")).outcome,
      "schema_violation",
    );
    const declared = await run(lookahead, '"other"', "declared");
    assert.equal(declared.outcome, "invalid_schema");
    assert.equal(declared.errorKind, "unsupported_pattern");
  } finally {
    pool.close();
  }
});
