/**
 * OpenAI: how a property that was optional is made nullable (it must be
 * listed in `required`, so `null` is how the model leaves it empty).
 * Internal to the adaptation; `adapt_schema.ts` is the entry point.
 *
 * @example
 * ```ts
 * import { applyNull, nullStrategy } from "./nullable.ts";
 * const node = { type: "string" };
 * applyNull({ ...node }, nullStrategy(node, null, new Set()));
 * // { type: ["string", "null"] }
 * ```
 * @module
 */

import { isObj, type Schema, setKey, typeIncludes, types } from "./support.ts";

/**
 * How `null` is let into a schema: not at all (it already accepts it), by
 * its `type`, by its `enum`, as one more `anyOf` member, or by wrapping it
 * in `anyOf: [<schema>, { type: "null" }]`.
 *
 * @example
 * ```ts
 * const strategy: NullStrategy = "wrap";
 * ```
 */
export type NullStrategy = "none" | "type" | "enum" | "member" | "wrap";

/**
 * Whether `node` already accepts `null` (looking into `anyOf` members one
 * level down when `deep`).
 *
 * @example
 * ```ts
 * acceptsNull({ type: ["string", "null"] }, true); // true
 * acceptsNull({ enum: ["a"] }, true); // false
 * ```
 */
export function acceptsNull(node: Schema, deep: boolean): boolean {
  const t = node.type;
  if (t !== undefined && !typeIncludes(t, "null")) return false;
  if (Array.isArray(node.enum) && !node.enum.includes(null)) return false;
  if ("const" in node && node.const !== null) return false;
  if ("$ref" in node) return false;
  if (Array.isArray(node.anyOf)) {
    return deep &&
      node.anyOf.some((m) => m === true || (isObj(m) && acceptsNull(m, false)));
  }
  return true;
}

/**
 * The way to make `node` nullable. `origin` is the input object it was
 * rewritten from; one that some `$ref` points to (in `targets`) is wrapped,
 * so that the `$ref`s keep pointing to the schema itself.
 *
 * @example
 * ```ts
 * nullStrategy({ type: "string" }, null, new Set()); // "type"
 * nullStrategy({ $ref: "#/$defs/a" }, null, new Set()); // "wrap"
 * ```
 */
export function nullStrategy(
  node: Schema,
  origin: object | null,
  targets: ReadonlySet<object>,
): NullStrategy {
  if (acceptsNull(node, true)) return "none";
  if (origin && targets.has(origin)) return "wrap";
  if ("$ref" in node || "const" in node) return "wrap";
  const typed = typeof node.type === "string" || Array.isArray(node.type);
  if (Array.isArray(node.anyOf) && !typed && !("enum" in node)) {
    return "member";
  }
  if (typed && !("anyOf" in node)) return "type";
  if (Array.isArray(node.enum) && !typed && !("anyOf" in node)) return "enum";
  return "wrap";
}

/**
 * `out` made nullable by `strategy` (changed in place, or wrapped).
 *
 * @example
 * ```ts
 * applyNull({ enum: ["a"] }, "enum"); // { enum: ["a", null] }
 * ```
 */
export function applyNull(out: Schema, strategy: NullStrategy): unknown {
  switch (strategy) {
    case "none":
      return out;
    case "wrap":
      return { anyOf: [out, { type: "null" }] };
    case "member":
      if (Array.isArray(out.anyOf)) out.anyOf.push({ type: "null" });
      return out;
    case "type": {
      const list = types(out.type);
      if (list) setKey(out, "type", [...list, "null"]);
      if (Array.isArray(out.enum)) out.enum.push(null);
      return out;
    }
    case "enum":
      if (Array.isArray(out.enum)) out.enum.push(null);
      return out;
  }
}
