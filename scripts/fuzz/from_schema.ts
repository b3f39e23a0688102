/**
 * Valid values derived from the JSON Schemas of `schemas/api/` (the
 * subset those schemas use), for the fuzz's valid and mutated bodies.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { API_SCHEMAS } from "../../server/http/request_body.ts";
 * import { fromSchema, type JsonSchema } from "./from_schema.ts";
 * const schema = API_SCHEMAS.suite_create as JsonSchema;
 * fc.sample(fromSchema(schema, schema, {}), 3);
 * ```
 * @module
 */
import fc from "fast-check";
import { API_SCHEMAS } from "../../server/http/request_body.ts";
import { WEIRD_KEYS } from "./hostile_values.ts";

/** A JSON Schema, as read from `schemas/api/`. */
export type JsonSchema = Record<string, unknown>;

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const [file, pointer = ""] = ref.split("#");
  let node: unknown = file
    ? (API_SCHEMAS as Record<string, unknown>)[file]
    : root;
  for (const part of pointer.split("/").filter(Boolean)) {
    node = (node as Record<string, unknown>)[part];
  }
  return node as JsonSchema;
}

/** Schema-like objects for free-form `schema` fields. */
const SCHEMA_LIKE: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.boolean(),
    fc.record({
      type: fc.constantFrom(
        "object",
        "string",
        "integer",
        "number",
        "array",
        "boolean",
        "null",
      ),
    }),
    fc.record({
      $schema: fc.constantFrom(
        "http://json-schema.org/draft-04/schema#",
        "http://json-schema.org/draft-07/schema#",
        "https://json-schema.org/draft/2020-12/schema",
        "nonsense",
      ),
      properties: fc.dictionary(fc.string({ maxLength: 8 }), tie("node"), {
        maxKeys: 3,
      }),
      required: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
    }, { requiredKeys: [] }),
    fc.record({
      items: tie("node"),
      allOf: fc.array(tie("node"), { maxLength: 2 }),
      $ref: fc.constantFrom("#", "#/$defs/x", "http://x/y", "#/nope"),
      pattern: fc.constantFrom("^(a+)+$", "[", "\\p{L}", "(?<=a)b"),
    }, { requiredKeys: [] }),
    fc.dictionary(fc.constantFrom(...WEIRD_KEYS), fc.jsonValue(), {
      maxKeys: 2,
    }),
  ),
})).node;

/**
 * Valid values for a schema of `schemas/api/` (object, string with length,
 * pattern or uuid format, integer, number, boolean, enum, const, array,
 * `$ref`, type lists). `overrides` maps a JSON Pointer (`*` for any array
 * index) to the arbitrary to use there, for ids that must exist.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { API_SCHEMAS } from "../../server/http/request_body.ts";
 * import { fromSchema, type JsonSchema } from "./from_schema.ts";
 * declare const suiteId: string;
 * const runCreate = API_SCHEMAS.run_create as JsonSchema;
 * fromSchema(runCreate, runCreate, {
 *   "/suite_id": fc.constant(suiteId),
 * });
 * ```
 */
export function fromSchema(
  schema: JsonSchema,
  root: JsonSchema,
  overrides: Record<string, fc.Arbitrary<unknown>>,
  path = "",
): fc.Arbitrary<unknown> {
  if (overrides[path]) return overrides[path];
  if (typeof schema.$ref === "string") {
    const target = resolveRef(schema.$ref, root);
    const nextRoot = schema.$ref.startsWith("#") ? root : resolveRef(
      schema.$ref.split("#")[0],
      root,
    );
    return fromSchema(target, nextRoot, overrides, path);
  }
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.type)) {
    return fc.oneof(
      ...schema.type.map((type) =>
        fromSchema({ ...schema, type }, root, overrides, path)
      ),
    );
  }
  const num = (key: string) =>
    typeof schema[key] === "number" ? schema[key] as number : undefined;
  switch (schema.type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<
        string,
        JsonSchema
      >;
      if (Object.keys(properties).length === 0) return SCHEMA_LIKE;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(properties)) {
        model[key] = fromSchema(sub, root, overrides, `${path}/${key}`);
      }
      return fc.record(model, {
        requiredKeys: (schema.required ?? []) as string[],
      });
    }
    case "array": {
      const item = fromSchema(
        (schema.items ?? {}) as JsonSchema,
        root,
        overrides,
        `${path}/*`,
      );
      const constraints = {
        minLength: num("minItems") ?? 0,
        maxLength: Math.min(num("maxItems") ?? 3, 3),
      };
      return schema.uniqueItems
        ? fc.uniqueArray(item, { ...constraints, selector: JSON.stringify })
        : fc.array(item, constraints);
    }
    case "string": {
      if (schema.format === "uuid") return fc.uuid();
      const min = num("minLength") ?? 0;
      const max = Math.min(num("maxLength") ?? 40, 40);
      const text = typeof schema.pattern === "string"
        ? fc.stringMatching(new RegExp(schema.pattern))
        : fc.string({ minLength: min, maxLength: max });
      return text.filter((s) => s.length >= min && s.length <= max);
    }
    case "integer":
      return fc.integer({
        min: Math.max(num("minimum") ?? -(2 ** 31), -(2 ** 31)),
        max: Math.min(num("maximum") ?? 2 ** 31, 2 ** 31),
      });
    case "number":
      return fc.double({
        min: num("exclusiveMinimum") ?? num("minimum") ?? -1e6,
        minExcluded: num("exclusiveMinimum") !== undefined,
        max: num("maximum") ?? 1e6,
        noNaN: true,
      });
    case "boolean":
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
