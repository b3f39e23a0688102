/**
 * A walk over a JSON Schema's subschemas (`$defs`, `definitions` and every
 * applicator included, `$ref` not followed) and the list of JSON Schema
 * keywords a schema uses. Data-holding keywords (`enum`, `const`,
 * `default`, `examples`) and property names are never mistaken for
 * keywords.
 *
 * @example
 * ```ts
 * import { schemaKeywords } from "./keywords.ts";
 * schemaKeywords({ type: "object", properties: { type: { minLength: 1 } } });
 * // ["minLength", "properties", "type"]
 * ```
 * @module
 */

/** Every keyword of drafts 4 to 2020-12, vocabulary and annotation alike. */
export const JSON_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  "$schema",
  "$id",
  "id",
  "$ref",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$recursiveRef",
  "$recursiveAnchor",
  "$vocabulary",
  "$comment",
  "$defs",
  "definitions",
  "type",
  "enum",
  "const",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "format",
  "contentEncoding",
  "contentMediaType",
  "contentSchema",
  "items",
  "prefixItems",
  "additionalItems",
  "maxItems",
  "minItems",
  "uniqueItems",
  "contains",
  "maxContains",
  "minContains",
  "unevaluatedItems",
  "maxProperties",
  "minProperties",
  "required",
  "properties",
  "patternProperties",
  "additionalProperties",
  "dependencies",
  "dependentRequired",
  "dependentSchemas",
  "propertyNames",
  "unevaluatedProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "title",
  "description",
  "default",
  "examples",
  "readOnly",
  "writeOnly",
  "deprecated",
]); // deno-fmt-ignore

/**
 * Keywords whose value is one subschema (`items` may also be an array).
 *
 * @example
 * ```ts
 * SINGLE.includes("not"); // true
 * ```
 */
export const SINGLE = [
  "additionalProperties", "additionalItems", "contains", "propertyNames",
  "not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties",
  "contentSchema", "items",
]; // deno-fmt-ignore

/**
 * Keywords whose value is an array of subschemas.
 *
 * @example
 * ```ts
 * LIST.includes("anyOf"); // true
 * ```
 */
export const LIST = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];

/**
 * Keywords whose value maps names to subschemas.
 *
 * @example
 * ```ts
 * MAP.includes("properties"); // true
 * ```
 */
export const MAP = [
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
  "dependencies",
]; // deno-fmt-ignore

/** One schema object met by {@link walkSchema}, with where it sits. */
export interface SchemaNode {
  node: Record<string, unknown>;
  /** JSON Pointer of the node from the root. */
  pointer: string;
  depth: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointer(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * Visits every schema object reachable through applicators, iteratively
 * (no recursion, so deep schemas cannot overflow the stack). Stops
 * descending below `maxDepth`.
 *
 * @example
 * ```ts
 * const pointers: string[] = [];
 * walkSchema({ items: { type: "x" } }, (n) => pointers.push(n.pointer));
 * pointers; // ["", "/items"]
 * ```
 */
export function walkSchema(
  schema: unknown,
  visit: (node: SchemaNode) => void,
  maxDepth = 10_000,
): void {
  if (!isObject(schema)) return;
  const stack: SchemaNode[] = [{ node: schema, pointer: "", depth: 0 }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    visit(current);
    if (current.depth >= maxDepth) continue;
    const { node, pointer, depth } = current;
    const push = (value: unknown, path: string) => {
      if (isObject(value)) {
        stack.push({ node: value, pointer: path, depth: depth + 1 });
      }
    };
    for (const keyword of SINGLE) push(node[keyword], `${pointer}/${keyword}`);
    for (const keyword of LIST) {
      const value = node[keyword];
      if (Array.isArray(value)) {
        value.forEach((v, i) => push(v, `${pointer}/${keyword}/${i}`));
      }
    }
    for (const keyword of MAP) {
      const value = node[keyword];
      if (!isObject(value)) continue;
      for (const [name, sub] of Object.entries(value)) {
        push(sub, `${pointer}/${keyword}/${escapePointer(name)}`);
      }
    }
  }
}

/**
 * The sorted, distinct JSON Schema keywords used anywhere in `schema`.
 * Unknown keys (`example`, vendor extensions) are left out.
 *
 * @example
 * ```ts
 * schemaKeywords({ $defs: { a: { uniqueItems: true } } }); // ["$defs", "uniqueItems"]
 * ```
 */
export function schemaKeywords(schema: unknown): string[] {
  const found = new Set<string>();
  walkSchema(schema, ({ node }) => {
    for (const key of Object.keys(node)) {
      if (JSON_SCHEMA_KEYWORDS.has(key)) found.add(key);
    }
  });
  return [...found].sort();
}

/** Longest `format` value kept as a keyword of its own. */
const MAX_FORMAT_LENGTH = 64;

/**
 * The keywords a schema uses ({@link schemaKeywords}) plus one
 * `format:<value>` per distinct `format` value (up to 64 characters), for
 * the keyword matrix's rows per format.
 *
 * @example
 * ```ts
 * matrixKeywords({ properties: { a: { format: "email" } } }); // ["format", "format:email", "properties"]
 * ```
 */
export function matrixKeywords(schema: unknown): string[] {
  const found = new Set(schemaKeywords(schema));
  walkSchema(schema, ({ node }) => {
    const f = node.format;
    if (
      typeof f === "string" && f.length > 0 && f.length <= MAX_FORMAT_LENGTH
    ) {
      found.add(`format:${f}`);
    }
  });
  return [...found].sort();
}

/**
 * The nesting depth of any JSON value (a scalar is 0, `[]` and `{}` are 1),
 * computed without recursion.
 *
 * @example
 * ```ts
 * jsonDepth({ a: [{ b: 1 }] }); // 3
 * ```
 */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    const children = Array.isArray(current)
      ? current
      : Object.values(current as Record<string, unknown>);
    for (const child of children) {
      if (child !== null && typeof child === "object") {
        stack.push([child, here]);
      }
    }
  }
  return deepest;
}
