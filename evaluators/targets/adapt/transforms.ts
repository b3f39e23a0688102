/**
 * The rewrites of one schema node that need no other schema: draft forms to
 * 2020-12 ones, `unevaluated*`, `patternProperties` folded away, tuples,
 * Gemini's scalars. Each returns a new node and notes what it changed.
 * Internal to the adaptation; `adapt_schema.ts` is the entry point.
 *
 * @example
 * ```ts
 * import { normalize } from "./transforms.ts";
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * const notes = new NoteBook();
 * normalize({ exclusiveMinimum: true, minimum: 0 }, ROOT, notes);
 * // { exclusiveMinimum: 0 }
 * notes.list(); // ["rewrote draft-04 boolean exclusiveMinimum as a number at the root"]
 * ```
 * @module
 */

import type { Link } from "./pointer.ts";
import {
  APPLICATORS,
  deepEqual,
  isObj,
  type NoteBook,
  rekey,
  type Schema,
  setKey,
  without,
} from "./support.ts";

/**
 * Draft-specific forms to their 2020-12 equivalents: array-form `items`
 * (with `additionalItems`) as `prefixItems` (with `items`), draft-04
 * boolean exclusive bounds as numbers, `$dynamicRef`/`$recursiveRef` as
 * `$ref`.
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * normalize({ items: [{ type: "string" }] }, ROOT, new NoteBook());
 * // { prefixItems: [{ type: "string" }] }
 * ```
 */
export function normalize(input: Schema, path: Link, notes: NoteBook): Schema {
  let node = input;
  if (Array.isArray(node.items)) {
    const rest = node.additionalItems;
    node = "prefixItems" in node
      ? without(node, "items", "additionalItems")
      : rekey(
        without(node, "additionalItems"),
        "items",
        "prefixItems",
        node.items,
      );
    if (rest !== undefined) setKey(node, "items", rest);
    notes.add("rewrote array-form items as prefixItems", path);
  } else if ("additionalItems" in node) {
    node = without(node, "additionalItems");
    notes.add(
      "dropped additionalItems (no effect without array-form items)",
      path,
    );
  }
  for (
    const [exclusive, inclusive] of [
      ["exclusiveMaximum", "maximum"],
      ["exclusiveMinimum", "minimum"],
    ]
  ) {
    if (typeof node[exclusive] !== "boolean") continue;
    if (node[exclusive] === true && typeof node[inclusive] === "number") {
      node = rekey(
        without(node, exclusive),
        inclusive,
        exclusive,
        node[inclusive],
      );
    } else node = without(node, exclusive);
    notes.add(`rewrote draft-04 boolean ${exclusive} as a number`, path);
  }
  for (const k of ["$dynamicRef", "$recursiveRef"]) {
    if (typeof node[k] !== "string") continue;
    node = "$ref" in node ? without(node, k) : rekey(node, k, "$ref", node[k]);
    notes.add(`treated ${k} as $ref`, path);
  }
  return node;
}

/**
 * `unevaluated*` with nothing else evaluating is `additional*`/`items`.
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * unevaluated({ unevaluatedProperties: false }, ROOT, new NoteBook());
 * // { additionalProperties: false }
 * ```
 */
export function unevaluated(
  input: Schema,
  path: Link,
  notes: NoteBook,
): Schema {
  let node = input;
  const plain = !APPLICATORS.some((k) => k in node);
  if (
    "unevaluatedProperties" in node && plain &&
    !("patternProperties" in node) && !("additionalProperties" in node)
  ) {
    node = rekey(
      node,
      "unevaluatedProperties",
      "additionalProperties",
      node.unevaluatedProperties,
    );
    notes.add("rewrote unevaluatedProperties as additionalProperties", path);
  }
  if (
    "unevaluatedItems" in node && plain && !("contains" in node) &&
    !("items" in node)
  ) {
    node = rekey(node, "unevaluatedItems", "items", node.unevaluatedItems);
    notes.add("rewrote unevaluatedItems as items", path);
  }
  return node;
}

/**
 * Where `patternProperties` is dropped (a provider that keeps neither it
 * nor closes every object), a closed `additionalProperties` would refuse
 * the properties the patterns allowed: it becomes an `anyOf` of the
 * pattern schemas and itself (names are no longer checked).
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * foldPatternProperties({
 *   patternProperties: { "^x-": { type: "string" } },
 *   additionalProperties: false,
 * }, ROOT, new NoteBook());
 * // { patternProperties: { "^x-": { type: "string" } },
 * //   additionalProperties: { type: "string" } }
 * ```
 */
export function foldPatternProperties(
  node: Schema,
  path: Link,
  notes: NoteBook,
): Schema {
  const patterns = node.patternProperties;
  const rest = node.additionalProperties;
  if (!isObj(patterns) || rest === undefined || rest === true) return node;
  const members: unknown[] = [];
  for (const s of [...Object.values(patterns), rest]) {
    if (s !== false && !members.some((m) => deepEqual(m, s))) members.push(s);
  }
  notes.add(
    "folded patternProperties into additionalProperties (property names are no longer checked)",
    path,
  );
  const value = members.length === 0
    ? false
    : members.includes(true)
    ? true
    : members.length === 1
    ? members[0]
    : { anyOf: members };
  return rekey(node, "additionalProperties", "additionalProperties", value);
}

/**
 * `items: false` as a `maxItems`; for OpenAI (`openai`), which has no
 * `prefixItems`, the tuple as `items: anyOf` of its members.
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * arrays({ prefixItems: [{ type: "string" }] }, ROOT, new NoteBook(), true);
 * // { items: { type: "string" }, maxItems: 1 }
 * ```
 */
export function arrays(
  input: Schema,
  path: Link,
  notes: NoteBook,
  openai: boolean,
): Schema {
  let node = input;
  const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : null;
  const capItems = (limit: number) => {
    const current = node.maxItems;
    setKey(
      node,
      "maxItems",
      typeof current === "number" ? Math.min(current, limit) : limit,
    );
  };
  if (node.items === false) {
    node = without(node, "items");
    capItems(prefix ? prefix.length : 0);
    notes.add("rewrote items: false as maxItems", path);
  }
  if (!openai || !prefix) return node;
  if (prefix.length === 0) return without(node, "prefixItems");
  const members: unknown[] = [];
  for (const p of prefix) {
    if (!members.some((m) => deepEqual(m, p))) members.push(p);
  }
  const rest = node.items;
  if (rest === undefined) capItems(prefix.length);
  else if (!members.some((m) => deepEqual(m, rest))) members.push(rest);
  node = rekey(
    node,
    "prefixItems",
    "items",
    members.length === 1 ? members[0] : { anyOf: members },
  );
  notes.add(
    "rewrote prefixItems as items: anyOf (the order of elements is not enforced)",
    path,
  );
  return node;
}

/**
 * Gemini: `const` as a one-value `enum`, exclusive bounds as inclusive.
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * geminiScalars({ const: "a" }, ROOT, new NoteBook());
 * // { enum: ["a"], type: "string" }
 * ```
 */
export function geminiScalars(
  input: Schema,
  path: Link,
  notes: NoteBook,
): Schema {
  let node = input;
  if ("const" in node) {
    const value = node.const;
    if (
      typeof value === "string" ||
      (typeof value === "number" && Number.isFinite(value))
    ) {
      node = rekey(node, "const", "enum", [value]);
      if (!("type" in node)) {
        setKey(
          node,
          "type",
          typeof value === "string"
            ? "string"
            : Number.isInteger(value)
            ? "integer"
            : "number",
        );
      }
      notes.add("rewrote const as a one-value enum", path);
    } else if (typeof value === "boolean" || value === null) {
      const type = value === null ? "null" : "boolean";
      node = "type" in node
        ? without(node, "const")
        : rekey(node, "const", "type", type);
      notes.add(`relaxed const ${value} to type ${type}`, path);
    } else {
      node = without(node, "const");
      notes.add("dropped const with an object or array value", path);
    }
  }
  for (
    const [exclusive, inclusive, tighter] of [
      ["exclusiveMinimum", "minimum", Math.max],
      ["exclusiveMaximum", "maximum", Math.min],
    ] as const
  ) {
    const value = node[exclusive];
    if (typeof value !== "number") continue;
    const current = node[inclusive];
    if (typeof current === "number") {
      node = without(node, exclusive);
      setKey(node, inclusive, tighter(current, value));
    } else node = rekey(node, exclusive, inclusive, value);
    notes.add(`relaxed ${exclusive} to ${inclusive}`, path);
  }
  return node;
}
