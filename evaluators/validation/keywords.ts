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

/** The node a local `$ref` ("#/a/b") points at in `root`, if any. */
function pointerTarget(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll(
        "~0",
        "~",
      );
    } catch {
      return undefined;
    }
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** The longest `format` value kept in a keyword name (`format:date-time`). */
const MAX_FORMAT_NAME = 64;

/**
 * The keyword name of a format: `format:<value>`, so that each format gets
 * a row of its own in the per-keyword tables.
 *
 * @example
 * ```ts
 * formatKeyword("date-time"); // "format:date-time"
 * ```
 */
export function formatKeyword(value: string): string {
  return `format:${value.slice(0, MAX_FORMAT_NAME)}`;
}

/**
 * The sorted, distinct JSON Schema keywords used anywhere in `schema`,
 * subschemas reached only through a local `$ref` into a container that is
 * not a keyword (`#/ListElement`, `#/defs/…`) included. Unknown keys
 * (`example`, vendor extensions) are left out; each `format` also adds
 * `format:<value>`.
 *
 * @example
 * ```ts
 * schemaKeywords({ $defs: { a: { uniqueItems: true } } }); // ["$defs", "uniqueItems"]
 * schemaKeywords({ $ref: "#/Item", Item: { format: "uuid" } });
 * // ["$ref", "format", "format:uuid"]
 * ```
 */
export function schemaKeywords(schema: unknown): string[] {
  const found = new Set<string>();
  const seen = new Set<unknown>();
  const refs: string[] = [];
  const visit = ({ node }: SchemaNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const key of Object.keys(node)) {
      if (JSON_SCHEMA_KEYWORDS.has(key)) found.add(key);
    }
    if (typeof node.format === "string") found.add(formatKeyword(node.format));
    if (typeof node.$ref === "string") refs.push(node.$ref);
  };
  walkSchema(schema, visit);
  // Follow local pointers to nodes the walk did not reach (bounded: each
  // node is visited once).
  while (refs.length > 0) {
    const target = pointerTarget(schema, refs.pop()!);
    if (isObject(target) && !seen.has(target)) walkSchema(target, visit);
  }
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
