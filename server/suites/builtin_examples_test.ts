/**
 * The built-in "smoke" suite (schemas/suites/smoke/): every case file has
 * the expected shape, its examples get the verdict they claim from the
 * project's validator, and together the cases cover every JSON Schema
 * keyword family.
 */
import assert from "node:assert/strict";
import { SchemaValidator } from "../../evaluators/validation/validate.ts";
import {
  schemaKeywords,
  walkSchema,
} from "../../evaluators/validation/keywords.ts";

const SMOKE_DIR = new URL("../../schemas/suites/smoke/", import.meta.url);
const CASE_FILE = /^(\d{2})_[a-z0-9]+(?:_[a-z0-9]+)*\.json$/;
const CASE_KEYS = ["description", "invalid", "schema", "tags", "valid"];

interface SmokeCase {
  file: string;
  description: string;
  tags: string[];
  schema: Record<string, unknown>;
  valid: unknown[];
  invalid: unknown[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function loadCases(): SmokeCase[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(SMOKE_DIR)) {
    if (entry.isFile && entry.name !== "suite.json") files.push(entry.name);
  }
  files.sort();
  return files.map((file) => {
    assert.match(file, CASE_FILE, `${file}: name must be NN_snake_case.json`);
    const data: unknown = JSON.parse(
      Deno.readTextFileSync(new URL(file, SMOKE_DIR)),
    );
    assert.ok(isObject(data), `${file}: not a JSON object`);
    assert.deepEqual(Object.keys(data).sort(), CASE_KEYS, `${file}: keys`);
    const { description, tags, schema, valid, invalid } = data;
    assert.ok(
      typeof description === "string" && description.trim().length > 0,
      `${file}: description must be a non-empty string`,
    );
    assert.ok(
      Array.isArray(tags) && tags.length > 0 &&
        tags.every((t) => typeof t === "string" && t.length > 0),
      `${file}: tags must be a non-empty array of strings`,
    );
    assert.ok(isObject(schema), `${file}: schema must be an object`);
    assert.ok(
      typeof schema.title === "string" ||
        typeof schema.description === "string",
      `${file}: schema needs a title or description`,
    );
    assert.ok(
      Array.isArray(valid) && valid.length >= 1,
      `${file}: needs at least one valid example`,
    );
    assert.ok(
      Array.isArray(invalid) && invalid.length >= 1,
      `${file}: needs at least one invalid example`,
    );
    return {
      file,
      description,
      tags: tags as string[],
      schema,
      valid,
      invalid,
    };
  });
}

Deno.test("smoke suite: suite.json names the suite", () => {
  const suite: unknown = JSON.parse(
    Deno.readTextFileSync(new URL("suite.json", SMOKE_DIR)),
  );
  assert.ok(isObject(suite));
  assert.deepEqual(Object.keys(suite).sort(), ["description", "name"]);
  assert.equal(suite.name, "smoke");
  assert.ok(
    typeof suite.description === "string" && suite.description.length > 0,
  );
});

Deno.test("smoke suite: 35 to 45 well-formed cases numbered 01..N", () => {
  const cases = loadCases();
  assert.ok(
    cases.length >= 35 && cases.length <= 45,
    `${cases.length} cases, expected 35 to 45`,
  );
  cases.forEach((c, i) => {
    const number = Number(CASE_FILE.exec(c.file)![1]);
    assert.equal(number, i + 1, `${c.file}: expected number ${i + 1}`);
  });
});

Deno.test("smoke suite: every example gets the verdict it claims", () => {
  const validator = new SchemaValidator();
  const failures: string[] = [];
  for (const c of loadCases()) {
    const expected = [
      ...c.valid.map((instance) => ({ instance, want: "valid" })),
      ...c.invalid.map((instance) => ({ instance, want: "invalid" })),
    ];
    for (const { instance, want } of expected) {
      const verdict = validator.validate(c.schema, instance);
      if (verdict.status !== want) {
        const detail = verdict.status === "invalid_schema"
          ? verdict.reason
          : JSON.stringify(verdict.errors);
        failures.push(
          `${c.file}: ${JSON.stringify(instance)} is ${verdict.status}, ` +
            `expected ${want} (${detail})`,
        );
      }
    }
  }
  assert.deepEqual(failures, []);
});

Deno.test("smoke suite: declared drafts are the ones validated", () => {
  const validator = new SchemaValidator();
  const drafts = new Set<string>();
  for (const c of loadCases()) {
    const compiled = validator.compile(c.schema);
    assert.ok(compiled.ok, `${c.file}: does not compile`);
    drafts.add(compiled.draft.draft);
    if (c.schema.$schema === undefined) {
      assert.equal(compiled.draft.draft, "draft2020-12", c.file);
    }
  }
  for (const draft of ["draft4", "draft7", "draft2019-09", "draft2020-12"]) {
    assert.ok(drafts.has(draft), `no case is validated as ${draft}`);
  }
});

Deno.test("smoke suite: the cases cover every keyword family", () => {
  const cases = loadCases();
  const keywords = new Set(cases.flatMap((c) => schemaKeywords(c.schema)));
  const families = [
    "type",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "$ref",
    "$defs",
    "definitions",
    "dependencies",
    "unevaluatedProperties",
    "$schema",
  ];
  const missing = families.filter((k) => !keywords.has(k));
  assert.deepEqual(missing, [], `keyword families not covered`);

  // Finer points no keyword list shows: every node of every schema.
  const types = new Set<string>();
  const formats = new Set<string>();
  const declared = new Set<string>();
  let typeArray = false;
  let closedObject = false;
  let additionalSchema = false;
  let closedTuple = false;
  let booleanExclusive = false;
  let recursive = false;
  for (const c of cases) {
    if (typeof c.schema.$schema === "string") declared.add(c.schema.$schema);
    walkSchema(c.schema, ({ node, pointer }) => {
      const type = node.type;
      if (typeof type === "string") types.add(type);
      if (Array.isArray(type)) {
        typeArray = true;
        for (const t of type) types.add(String(t));
      }
      if (typeof node.format === "string") formats.add(node.format);
      if (node.additionalProperties === false) closedObject = true;
      if (isObject(node.additionalProperties)) additionalSchema = true;
      if (Array.isArray(node.prefixItems) && node.items === false) {
        closedTuple = true;
      }
      if (
        typeof node.exclusiveMaximum === "boolean" &&
        c.schema.$schema === "http://json-schema.org/draft-04/schema#"
      ) booleanExclusive = true;
      // A $ref inside $defs/X (or definitions/X) that points at X itself.
      const home = /^\/(\$defs|definitions)\/([^/]+)/.exec(pointer);
      if (home && typeof node.$ref === "string") {
        if (node.$ref === `#/${home[1]}/${home[2]}`) recursive = true;
      }
    });
  }
  for (
    const t of [
      "null",
      "boolean",
      "integer",
      "number",
      "string",
      "array",
      "object",
    ]
  ) {
    assert.ok(types.has(t), `no schema uses type "${t}"`);
  }
  for (const f of ["date", "date-time", "email", "uuid", "uri", "ipv4"]) {
    assert.ok(formats.has(f), `no schema uses format "${f}"`);
  }
  for (
    const uri of [
      "http://json-schema.org/draft-07/schema#",
      "http://json-schema.org/draft-04/schema#",
      "https://json-schema.org/draft/2019-09/schema",
    ]
  ) {
    assert.ok(declared.has(uri), `no case declares ${uri}`);
  }
  assert.ok(typeArray, "no schema uses a type array");
  assert.ok(closedObject, "no schema uses additionalProperties: false");
  assert.ok(additionalSchema, "no schema gives additionalProperties a schema");
  assert.ok(closedTuple, "no schema closes prefixItems with items: false");
  assert.ok(booleanExclusive, "no draft-04 case uses boolean exclusiveMaximum");
  assert.ok(recursive, "no schema recurses through $defs");
});
