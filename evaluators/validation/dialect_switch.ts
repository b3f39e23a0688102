/**
 * `jsb` mode's dialect switch (issue 16, cause 11): in the paper's harness
 * (jsonschema 4.23), a subschema with its own `$schema` is validated under
 * that draft's rules from there down (jsonschema's `evolve` picks the
 * validator class by `$schema` on every descent), while the root is
 * 2020-12 whatever it declares. Ajv has one dialect per compile, so such a
 * subtree is translated into 2020-12 terms that mean what its draft says:
 *
 * - drafts 4 to 7: keywords beside `$ref` dropped (`definitions`/`$defs`
 *   kept as locations); `dependencies` becomes `dependentRequired` (names)
 *   and `dependentSchemas` (schemas); keywords of later drafts dropped
 *   (`dependentRequired`, `unevaluated*`, `prefixItems`, … as written;
 *   `if`/`then`/`else` below draft-07; `const`, `contains`,
 *   `propertyNames` in draft-04).
 *
 * Syntax the 2020-12 meta-schema refuses (a boolean `exclusiveMaximum`,
 * the array form of `items`) needs no translation: the harness's
 * `check_schema` fails on it first, so the schema is uncheckable there and
 * here alike. Not covered: a `$ref` back to the root, which re-enters the
 * root under its own declared draft in the harness.
 *
 * @example
 * ```ts
 * import { switchDialects } from "./dialect_switch.ts";
 * switchDialects({ properties: { a: { $schema: "http://json-schema.org/draft-07/schema#", dependencies: { x: ["y"] } } } });
 * // { properties: { a: { $schema: "…draft-07…", dependentRequired: { x: ["y"] } } } }
 * ```
 * @module
 */
import { declaredDraft, type Draft } from "./draft.ts";
import { LIST, MAP, SINGLE } from "./keywords.ts";

type Node = Record<string, unknown>;

const isObject = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const LATER_THAN_7 = [
  "dependentRequired",
  "dependentSchemas",
  "unevaluatedItems",
  "unevaluatedProperties",
  "minContains",
  "maxContains",
  "prefixItems",
  "$defs",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$recursiveRef",
  "$recursiveAnchor",
];
const UNKNOWN_IN: Partial<Record<Draft, string[]>> = {
  "draft4": [
    ...LATER_THAN_7,
    "if",
    "then",
    "else",
    "const",
    "contains",
    "propertyNames",
  ],
  "draft6": [...LATER_THAN_7, "if", "then", "else"],
  "draft7": LATER_THAN_7,
}; // deno-fmt-ignore

/** One node of a draft 4–7 subtree, in 2020-12 terms. */
function translate(node: Node, draft: Draft): Node {
  const out: Node = { ...node };
  for (const key of UNKNOWN_IN[draft] ?? []) {
    // "$defs" stays a location: a pointer may still go through it.
    if (key !== "$defs") delete out[key];
  }
  if (typeof node.$ref === "string") {
    const kept: Node = { $ref: node.$ref };
    for (const key of ["definitions", "$defs", "$schema"]) {
      if (key in node) kept[key] = node[key];
    }
    return kept;
  }
  if (isObject(node.dependencies)) {
    const required: Node = {}, schemas: Node = {};
    for (const [name, value] of Object.entries(node.dependencies)) {
      if (Array.isArray(value)) required[name] = value;
      else schemas[name] = value;
    }
    delete out.dependencies;
    if (Object.keys(required).length) out.dependentRequired = required;
    if (Object.keys(schemas).length) out.dependentSchemas = schemas;
  }
  return out;
}

/**
 * The schema with every subtree under a nested `$schema` of draft 4, 6 or
 * 7 translated (see the module doc); the input is not changed. Recursive
 * through subschema positions (the validator bounds the depth first).
 *
 * @example
 * ```ts
 * switchDialects({ type: "string" }); // the same object, untouched
 * ```
 */
export function switchDialects(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const visit = (node: Node, dialect: Draft, root: boolean): Node => {
    let here = dialect;
    if (!root && typeof node.$schema === "string") {
      here = declaredDraft(node.$schema) ?? dialect;
    }
    let out = here in UNKNOWN_IN ? translate(node, here) : node;
    const child = (value: unknown) =>
      isObject(value) ? visit(value, here, false) : value;
    const set = (key: string, value: unknown) => {
      if (value === out[key]) return;
      if (out === node) out = { ...node };
      out[key] = value;
    };
    for (const key of SINGLE) if (isObject(out[key])) set(key, child(out[key]));
    for (const key of LIST) {
      const list = out[key];
      if (!Array.isArray(list)) continue;
      const mapped = list.map(child);
      if (mapped.some((v, i) => v !== list[i])) set(key, mapped);
    }
    for (const key of MAP) {
      const map = out[key];
      if (!isObject(map)) continue;
      const mapped: Node = {};
      let changed = false;
      for (const [name, sub] of Object.entries(map)) {
        const value = child(sub);
        if (value !== sub) changed = true;
        Object.defineProperty(mapped, name, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      if (changed) set(key, mapped);
    }
    return out;
  };
  return visit(schema, "draft2020-12", true);
}
