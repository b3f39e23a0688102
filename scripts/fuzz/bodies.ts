/**
 * The bodies `deno task fuzz` sends: valid ones derived from the JSON
 * Schemas of `schemas/api/` (the subset those schemas use), mutations of
 * them, random JSON values, and text or bytes that are not JSON.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { bodyCase, fromSchema } from "./bodies.ts";
 * const valid = fromSchema(schema, schema, {});
 * fc.sample(bodyCase(valid), 3); // [{ body, contentType, kind }, …]
 * ```
 * @module
 */
import fc from "fast-check";
import { API_SCHEMAS } from "../../server/http/request_body.ts";

/** A JSON Schema, as read from `schemas/api/`. */
export type JsonSchema = Record<string, unknown>;

/** One request body as sent. */
export interface BodyCase {
  /** Which generator made it. */
  kind: "valid" | "mutated" | "json" | "anything" | "not-json" | "bytes";
  body: string | Uint8Array | undefined;
  /** Empty: no content-type header. */
  contentType: string;
}

const WEIRD_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  "\u0000",
  "$ref",
  "a".repeat(300),
];

const LONE_SURROGATES = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) =>
    String.fromCharCode(c)
  ),
  minLength: 1,
  maxLength: 3,
});

/**
 * A string that {@link rawJson} replaces, in the JSON text, by the JSON
 * it wraps: numbers no double holds (`1e400`), nesting deeper than
 * `JSON.stringify` could write.
 */
const RAW = "\u0001raw:";
const RAW_TEXT = /"\\u0001raw:(.*?)\\u0001raw:"/g;

function raw(json: string): string {
  return `${RAW}${json}${RAW}`;
}

function rawJson(text: string): string {
  return text.replace(RAW_TEXT, (_, json) => json.replaceAll('\\"', '"'));
}

/** Values meant to break a field: numbers at the edges, odd strings. */
const EVIL: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    1e308,
    -1e308,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    2 ** 31,
    2 ** 63,
    4294967296,
    -1,
    0,
    1.5,
    -0.5,
    1e-300,
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-0",
    "0x10",
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfff",
    "😀\u202e\u200b",
    "null",
    "true",
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%00",
    null,
    true,
    false,
    [],
    {},
    [[]],
  ),
  fc.integer(),
  fc.double(),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  LONE_SURROGATES,
  fc.nat({ max: 70_000 }).map((n) => "x".repeat(n)),
  fc.nat({ max: 200 }).map((depth) => nest(depth)),
  fc.nat({ max: 30_000 }).map((n) =>
    raw(`${'{"a":'.repeat(n)}1${"}".repeat(n)}`)
  ),
  fc.constantFrom(
    "1e400",
    "-1e400",
    "123456789012345678901234567890",
    "1e-400",
    "-0",
    "1E2",
    "0.1e1",
  ).map(raw),
  fc.jsonValue({ maxDepth: 3 }),
);

/** `depth` objects inside each other. */
function nest(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

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
 * fromSchema(API_SCHEMAS.run_create, API_SCHEMAS.run_create, {
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

interface Mutation {
  op: "drop" | "set" | "add";
  node: number;
  key: number;
  name: string;
  value: unknown;
}

const MUTATION: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("drop", "set", "add"),
  node: fc.nat(),
  key: fc.nat(),
  name: fc.oneof(fc.constantFrom(...WEIRD_KEYS), fc.string({ maxLength: 10 })),
  value: EVIL,
});

/** Applies mutations to a copy of `body`, at any depth. */
function mutate(body: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(body);
  for (const m of mutations) {
    const nodes: object[] = [];
    const stack: unknown[] = [copy];
    while (stack.length) {
      const node = stack.pop();
      if (node && typeof node === "object") {
        nodes.push(node);
        stack.push(...Object.values(node));
      }
    }
    if (nodes.length === 0) return m.value;
    const node = nodes[m.node % nodes.length] as Record<string, unknown>;
    const keys = Object.keys(node);
    const key = m.op === "add" || keys.length === 0
      ? m.name
      : keys[m.key % keys.length];
    if (m.op === "drop") delete node[key];
    else setOwn(node, key, m.value);
  }
  return copy;
}

/**
 * One body to send: valid (from `valid`), mutated, random JSON, anything
 * serialised, text that is not JSON, or raw bytes; with the JSON content
 * type mostly, sometimes another or none. `valid` null: the route reads
 * no body, and random ones are sent anyway.
 *
 * @example
 * ```ts
 * fc.sample(bodyCase(fc.constant({ name: "x" })), 1)[0].body;
 * ```
 */
export function bodyCase(
  valid: fc.Arbitrary<unknown> | null,
  encode: (body: unknown) => string = JSON.stringify,
): fc.Arbitrary<BodyCase> {
  const base = valid ?? fc.jsonValue({ maxDepth: 2 });
  const text = (kind: BodyCase["kind"]) => (value: unknown) => ({
    kind,
    body: rawJson(encode(value) ?? "") as string | undefined,
  });
  const notJson = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    LONE_SURROGATES,
    base.map((v) => encode(v)).chain((t) =>
      fc.oneof(
        fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n)),
        fc.constant(`${t}}`),
        fc.constant(`\uFEFF${t}`),
        fc.constant(t.replaceAll('"', "'")),
      )
    ),
    fc.nat({ max: 20_000 }).map((n) => "[".repeat(n)),
    fc.nat({ max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
    fc.constantFrom("", "null", "NaN", "undefined", "{a:1}", "[1,]", "\u0000"),
  ).map((body) => ({ kind: "not-json" as const, body }));
  const bodies = fc.oneof(
    { arbitrary: base.map(text("valid")), weight: 3 },
    {
      arbitrary: fc.tuple(
        base,
        fc.array(MUTATION, { minLength: 1, maxLength: 3 }),
      ).map(([v, m]) => text("mutated")(mutate(v, m))),
      weight: 5,
    },
    { arbitrary: fc.jsonValue().map(text("json")), weight: 2 },
    {
      arbitrary: fc.anything({ withNullPrototype: true }).map((v) => ({
        kind: "anything" as const,
        body: JSON.stringify(v) as string | undefined,
      })),
      weight: 1,
    },
    { arbitrary: notJson, weight: 2 },
    {
      arbitrary: fc.uint8Array({ maxLength: 200 }).map((body) => ({
        kind: "bytes" as const,
        body: body as string | Uint8Array | undefined,
      })),
      weight: 1,
    },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant("application/json"), weight: 8 },
    fc.constantFrom("", "text/plain", "application/x-www-form-urlencoded"),
  );
  return fc.record({ sent: bodies, contentType }).map((
    { sent, contentType },
  ) => ({
    ...sent,
    contentType,
  }));
}

/**
 * Values for a path's `:id`: mostly the real one, else another uuid, a
 * string of uuid characters, or any text.
 *
 * @example
 * ```ts
 * fc.sample(idArb("8c0e…"), 5);
 * ```
 */
export function idArb(real: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(real), weight: 12 },
    fc.uuid(),
    fc.stringMatching(/^[0-9a-f-]{36}$/),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
  );
}
