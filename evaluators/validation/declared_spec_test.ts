/**
 * Declared mode follows the spec: one test per known cause of a wrong
 * verdict (issue 16, causes 1 to 7), each with its minimal schema and
 * instance. The expected verdicts are Python `jsonschema`'s under the
 * schema's declared draft, every standard format checked.
 */
import assert from "node:assert/strict";
import { SchemaValidator } from "./validate.ts";
import { judge } from "../outcome.ts";
import { errorKeywords } from "./attribution.ts";
import { schemaKeywords } from "./keywords.ts";

const D4 = "http://json-schema.org/draft-04/schema#";
const D6 = "http://json-schema.org/draft-06/schema#";
const D7 = "http://json-schema.org/draft-07/schema#";

const status = (schema: unknown, instance: unknown) =>
  new SchemaValidator().validate(schema, instance).status;

Deno.test("cause 1: keywords beside $ref are ignored in drafts 4, 6 and 7", () => {
  for (const $schema of [D4, D6, D7]) {
    const schema = {
      $schema,
      definitions: { datos: { type: "object" } },
      properties: {
        Sensor: { type: "string", $ref: "#/definitions/datos" },
      },
    };
    assert.equal(status(schema, { Sensor: { a: 1 } }), "valid", $schema);
    assert.equal(status(schema, { Sensor: "text" }), "invalid", $schema);
  }
  // 2019-09 and 2020-12 apply them.
  const modern = {
    $defs: { datos: { type: "object" } },
    properties: { Sensor: { type: "string", $ref: "#/$defs/datos" } },
  };
  assert.equal(status(modern, { Sensor: { a: 1 } }), "invalid");
});

Deno.test("cause 2: non-standard formats are annotations only", () => {
  assert.equal(
    status({ type: "integer", format: "int32" }, 3000000000),
    "valid",
  );
  for (const format of ["byte", "int64", "url", "float", "made-up"]) {
    assert.equal(status({ format }, "not one at all ::"), "valid", format);
  }
  assert.equal(status({ format: "int32" }, "x"), "valid");
});

Deno.test("cause 3: a later draft's keywords do not apply in an earlier draft", () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    [D4, { if: { type: "string" }, then: { minLength: 5 } }, "ab"],
    [D4, { const: 1 }, 2],
    [D4, { contains: { type: "string" } }, [1]],
    [D4, { propertyNames: { maxLength: 1 } }, { long: 1 }],
    [D6, { if: { type: "string" }, then: { minLength: 5 } }, "ab"],
    [D7, { dependentRequired: { a: ["b"] } }, { a: 1 }],
  ];
  for (const [$schema, keywords, instance] of cases) {
    assert.equal(
      status({ $schema, ...keywords }, instance),
      "valid",
      JSON.stringify(keywords),
    );
    // The same keyword in 2020-12 does apply.
    assert.equal(status(keywords, instance), "invalid");
  }
  // "dependencies" left the spec in 2019-09: 2020-12 ignores it.
  const dependencies = { dependencies: { a: ["b"] } };
  assert.equal(status(dependencies, { a: 1 }), "valid");
  assert.equal(status({ $schema: D7, ...dependencies }, { a: 1 }), "invalid");
});

Deno.test("cause 4: an id alone does not make a schema draft-04, and repeated ids compile", () => {
  const validator = new SchemaValidator();
  const undeclared = {
    type: "object",
    properties: {
      a: { id: "", type: "string" },
      b: { id: "", type: "integer" },
    },
  };
  const verdict = validator.validate(undeclared, { a: "x", b: 1 });
  assert.equal(verdict.status, "valid");
  assert.equal(verdict.draft.draft, "draft2020-12");
  assert.equal(validator.validate(undeclared, { b: "x" }).status, "invalid");
  // An id that would make "#/definitions/..." unresolvable under draft-04.
  const shifted = {
    id: "schema/app",
    definitions: { n: { type: "integer" } },
    properties: { n: { $ref: "#/definitions/n" } },
  };
  assert.equal(validator.validate(shifted, { n: "x" }).status, "invalid");
  assert.equal(validator.validate(shifted, { n: 1 }).status, "valid");
  // Declared draft-04 with a repeated id: checked, not refused.
  const repeated = {
    $schema: D4,
    properties: {
      a: { id: "thing", type: "string" },
      b: { id: "thing", type: "integer" },
    },
  };
  assert.equal(validator.validate(repeated, { a: "x", b: 2 }).status, "valid");
  assert.equal(validator.validate(repeated, { b: "x" }).status, "invalid");
  // Refusals stay rare: a repeated enum value, an empty enum.
  const twice = { $schema: D4, enum: ["a", "b", "a"] };
  assert.equal(validator.validate(twice, "b").status, "valid");
  assert.equal(validator.validate(twice, "c").status, "invalid");
  assert.equal(validator.validate({ enum: [] }, "a").status, "invalid");
  // Syntax invalid in 2020-12 still decides: a boolean exclusiveMaximum.
  assert.equal(
    validator.validate({ maximum: 3, exclusiveMaximum: true }, 3).draft.draft,
    "draft4",
  );
});

Deno.test("cause 5: standard formats are checked strictly, the IDN ones included", () => {
  const cases: [string, string, boolean][] = [
    ["date-time", "2022-01-01T12:00:00Z", true],
    ["date-time", "2022-01-01 12:00:00Z", false],
    ["date-time", "2022-01-01T12:00:00", false],
    ["time", "12:00:00+01:00", true],
    ["time", "12:00:00+0100", false],
    ["time", "12:00:00", false],
    ["uri-reference", "://", false],
    ["uri-reference", "../a/b?c#d", true],
    ["iri", "https://例え.jp/パス", true],
    ["iri", "not an iri", false],
    ["iri-reference", "//例え.jp/パス", true],
    ["iri-reference", "\\\\WINDOWS\\fileshare", false],
    ["idn-email", "実例@例え.jp", true],
    ["idn-email", "no-at-sign", false],
    ["idn-hostname", "例え.jp", true],
    ["idn-hostname", "a b.jp", false],
    // IDNA 2008, as Python's idna enforces it.
    ["idn-hostname", "l·l", true],
    ["idn-hostname", "l·a", false],
    ["idn-hostname", "xn--ihqwcrb4cv8a8dqg056pqjye", true],
    ["idn-hostname", "xn--example-", false],
    ["idn-hostname", "aא", false],
    ["idn-hostname", "Königsgäßchen", false],
    ["uuid", "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", false],
  ];
  for (
    const $schema of [undefined, "https://json-schema.org/draft/2019-09/schema"]
  ) {
    for (const [format, value, valid] of cases) {
      assert.equal(
        status({ $schema, format }, value),
        valid ? "valid" : "invalid",
        `${format} ${value}`,
      );
    }
  }
});

Deno.test("cause 6: numbers are judged as the output wrote them", () => {
  const validator = new SchemaValidator();
  const verdictOf = (schema: unknown, text: string) => {
    const compiled = validator.compile(schema);
    assert.ok(compiled.ok);
    return judge({ text, finishReason: "stop" }, compiled.check).outcome;
  };
  const big = { type: "integer", maximum: 9223372036854776000 };
  assert.equal(verdictOf(big, "9223372036854776001"), "schema_violation");
  assert.equal(verdictOf(big, "9223372036854776000"), "valid");
  assert.equal(verdictOf({ maximum: 1 }, '{"a": 1}'), "valid");
  const above = { exclusiveMinimum: 9007199254740992 };
  assert.equal(verdictOf(above, "9007199254740993"), "valid");
  assert.equal(verdictOf(above, "9007199254740992"), "schema_violation");
  const draft4 = { $schema: D4, type: "integer" };
  assert.equal(verdictOf(draft4, "12345.0"), "schema_violation");
  assert.equal(verdictOf(draft4, "1e3"), "schema_violation");
  assert.equal(verdictOf(draft4, "12345"), "valid");
  assert.equal(verdictOf({ ...draft4, $schema: D6 }, "12345.0"), "valid");
  assert.equal(
    verdictOf({ $schema: D4, type: ["integer", "string"] }, "[1.0]"),
    "schema_violation",
  );
  // multipleOf is decimal arithmetic on the numbers as written.
  assert.equal(verdictOf({ multipleOf: 0.01 }, "19.99"), "valid");
  assert.equal(
    verdictOf({ multipleOf: 0.1 }, "0.30000000001"),
    "schema_violation",
  );
  assert.equal(verdictOf({ multipleOf: 3 }, "9007199254740993"), "valid");
  assert.equal(
    verdictOf({ multipleOf: 2 }, "9007199254740993"),
    "schema_violation",
  );
});

Deno.test("cause 7: keywords through a $ref into any container, formats by name, failures of the combinator only", () => {
  assert.deepEqual(
    schemaKeywords({
      type: "array",
      items: { $ref: "#/ListElement" },
      ListElement: { type: "string", pattern: "^a", format: "uuid" },
      defs: { unused: { minLength: 1 } },
    }),
    ["$ref", "format", "format:uuid", "items", "pattern", "type"],
  );
  assert.deepEqual(
    schemaKeywords({
      $ref: "#/defs/a",
      defs: { a: { $ref: "#/defs/b" }, b: { maxItems: 2 } },
    }),
    ["$ref", "maxItems"],
  );
  const validator = new SchemaValidator();
  const schema = {
    $defs: { card: { type: "object", required: ["number"] } },
    type: "object",
    required: ["name"],
    properties: {
      pay: {
        anyOf: [{ type: "string", format: "email" }, { $ref: "#/$defs/card" }],
      },
      when: { type: "string", format: "date-time" },
    },
  };
  const compiled = validator.compile(schema);
  assert.ok(compiled.ok);
  const judged = judge(
    { text: '{"pay": 5, "when": "yesterday"}', finishReason: "stop" },
    compiled.check,
  );
  assert.equal(judged.outcome, "schema_violation");
  assert.deepEqual(judged.failingKeywords, [
    "anyOf",
    "format",
    "format:date-time",
    "required",
  ]);
  // The branches' errors are still reported, marked.
  assert.ok(judged.errors.some((e) => e.branch && e.keyword === "type"));
  assert.deepEqual(
    errorKeywords(judged.errors).sort(),
    ["anyOf", "format", "format:date-time", "required"],
  );
});
