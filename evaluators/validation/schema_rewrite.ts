/**
 * The spec's reading of a schema, made explicit before Ajv compiles it, for
 * what Ajv reads otherwise:
 *
 * - In drafts 4 to 7 every keyword beside `$ref` is ignored; Ajv is told so
 *   (`ignoreKeywordsWithRef`), and a sibling `id`/`$id` (which Ajv would
 *   still let change the base URI) and `type` (which Ajv checks before it
 *   looks at `$ref`) are dropped here.
 * - `nullable` is OpenAPI's, not JSON Schema's: Ajv would let it add
 *   `null` to `type` (and refuse it without a `type`), so it is dropped.
 * - Two subschemas with the same `id` (`"id": ""` twice, one URI repeated)
 *   make Ajv refuse the schema; the spec says nothing of it and Python's
 *   `jsonschema` checks such schemas, so the second and later keep no id
 *   (the first one wins, as a lookup by URI finds the first).
 *
 * - An empty `enum` (2019-09 and 2020-12 allow one) accepts nothing: it
 *   becomes `allOf: [{ not: {} }]`, which Ajv compiles.
 * - An `enum` that lists a value twice means what it means listed once;
 *   the meta-schemas ask for distinct items, so Ajv would refuse it. The
 *   repeats are dropped (Python's `jsonschema` validates such schemas).
 * - Draft-04's `integer` has no fraction: beside such a `type` goes a
 *   keyword that refuses a number written with one (`12345.0`; see
 *   `exact_numbers.ts`).
 *
 * The input is never changed: nodes that change are copied on the way down.
 *
 * @example
 * ```ts
 * import { rewriteSchema } from "./schema_rewrite.ts";
 * rewriteSchema({ properties: { a: { $ref: "#/definitions/b", $id: "x" } } }, "draft7");
 * // { properties: { a: { $ref: "#/definitions/b" } } }
 * ```
 * @module
 */
import type { Draft } from "./draft.ts";
import { LIST, MAP, SINGLE } from "./keywords.ts";
import { canonicalJson } from "./canonical_json.ts";
import { DRAFT4_INTEGER } from "./exact_numbers.ts";

type Node = Record<string, unknown>;

const isObject = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Drafts whose `$ref` makes every sibling keyword ignored. */
export const REF_OVERRIDES: ReadonlySet<Draft> = new Set([
  "draft4",
  "draft6",
  "draft7",
]);

const FAKE_BASE = "x-root://root/";

function resolveId(base: string, id: string): string | null {
  try {
    return new URL(id, base).href.replace(/#$/, "");
  } catch {
    return null;
  }
}

/**
 * See the module doc. The walk is recursive through subschema positions
 * only; callers bound the depth first (the validator refuses schemas
 * nested more than 200 subschemas deep before this runs).
 *
 * @example
 * ```ts
 * rewriteSchema({ type: "string", nullable: true }, "draft2020-12"); // { type: "string" }
 * ```
 */
export function rewriteSchema(schema: unknown, draft: Draft): unknown {
  if (!isObject(schema)) return schema;
  const idKey = draft === "draft4" ? "id" : "$id";
  const seen = new Set<string>();
  const rootId = typeof schema[idKey] === "string"
    ? resolveId(FAKE_BASE, schema[idKey] as string)
    : null;
  if (rootId) seen.add(rootId);

  const visit = (node: Node, base: string, root: boolean): Node => {
    let copy: Node | null = null;
    const edit = (): Node => copy ??= { ...node };
    if ("nullable" in node) delete edit().nullable;
    if (
      Array.isArray(node.enum) && node.enum.length === 0 &&
      (draft === "draft2019-09" || draft === "draft2020-12")
    ) {
      // Nothing is one of no values; Ajv refuses an empty enum at compile.
      delete edit().enum;
      const all = Array.isArray(node.allOf) ? node.allOf : [];
      edit().allOf = [...all, { not: {} }];
    } else if (Array.isArray(node.enum) && node.enum.length > 1) {
      const distinct = new Map(
        node.enum.map((v) => [canonicalJson(v), v] as const),
      );
      if (distinct.size < node.enum.length) {
        edit().enum = [...distinct.values()];
      }
    }
    if (REF_OVERRIDES.has(draft) && typeof node.$ref === "string") {
      // Ajv checks "type" before it looks at "$ref"; the other siblings
      // stay, unevaluated, so that a pointer through them still resolves.
      for (const key of ["$id", "id", "type"]) {
        if (key in node) delete edit()[key];
      }
    }
    const type = (copy ?? node).type;
    if (
      draft === "draft4" &&
      (type === "integer" ||
        Array.isArray(type) && type.includes("integer") &&
          !type.includes("number"))
    ) edit()[DRAFT4_INTEGER] = true;
    let here = base;
    const id = (copy ?? node)[idKey];
    if (typeof id === "string") {
      const resolved = resolveId(base, id);
      if (root) here = resolved ?? base;
      else if (resolved === null || seen.has(resolved)) delete edit()[idKey];
      else {
        seen.add(resolved);
        if (!id.startsWith("#")) here = resolved;
      }
    }
    const source = copy ?? node;
    const child = (value: unknown): unknown =>
      isObject(value) ? visit(value, here, false) : value;
    const set = (key: string, value: unknown) => {
      if (value !== source[key]) edit()[key] = value;
    };
    for (const key of SINGLE) {
      if (isObject(source[key])) set(key, child(source[key]));
    }
    for (const key of LIST) {
      const list = source[key];
      if (!Array.isArray(list)) continue;
      const mapped = list.map(child);
      if (mapped.some((v, i) => v !== list[i])) set(key, mapped);
    }
    for (const key of MAP) {
      const map = source[key];
      if (!isObject(map)) continue;
      let changed = false;
      const out: Node = {};
      for (const [name, sub] of Object.entries(map)) {
        const mapped = child(sub);
        if (mapped !== sub) changed = true;
        Object.defineProperty(out, name, {
          value: mapped,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      if (changed) set(key, out);
    }
    return copy ?? node;
  };
  return visit(schema, FAKE_BASE, true);
}
