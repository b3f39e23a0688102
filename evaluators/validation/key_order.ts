/**
 * Key order: whether every object of an output has its keys in the order
 * of the schema's `properties` for that object. Providers are known to
 * sort keys, which breaks "reasoning before answer" schemas.
 *
 * Keys the schema does not list are ignored. `$ref` is followed (local
 * refs only: `#` and `#/…` pointers into the case's schema), and so are
 * `allOf` members (each `properties` list is checked on its own). Under
 * `anyOf`/`oneOf` the branch that validated is used; an object whose branch
 * is ambiguous (none validates, or more than one does and they order
 * differently: one in order, one not) is skipped, with everything under
 * it. The schema's order is that of its parsed `properties`, which is the
 * order the engine was sent (JavaScript, and so the prompt and the request,
 * put integer-like names first); the output's is the order it was written. An output counts only
 * when at least one of its objects has two or more listed keys: otherwise
 * the answer is null, and it is left out of the rate.
 *
 * The order is read from the raw text ({@link scanJson}), never from
 * `Object.keys` (which puts integer-like keys first).
 *
 * @example
 * ```ts
 * import { keyOrder } from "./key_order.ts";
 * const schema = { properties: { reasoning: {}, answer: {} } };
 * await keyOrder('{"reasoning": "…", "answer": 4}', schema); // true
 * await keyOrder('{"answer": 4, "reasoning": "…"}', schema); // false
 * await keyOrder('{"answer": 4}', schema); // null: nothing to order
 * ```
 * @module
 */
import { type JsonNode, plainValue, scanJson } from "./json_scan.ts";

/**
 * Whether `instance` validates against `schema` (a branch, made whole by
 * {@link branchSchema}); null when that cannot be told.
 *
 * @example
 * ```ts
 * import type { BranchCheck } from "./key_order.ts";
 * const anything: BranchCheck = () => true;
 * ```
 */
export type BranchCheck = (
  schema: unknown,
  instance: unknown,
) => boolean | null | Promise<boolean | null>;

/**
 * Options of {@link keyOrder}.
 *
 * @example
 * ```ts
 * import type { KeyOrderOptions } from "./key_order.ts";
 * const options: KeyOrderOptions = { validates: () => null, maxDepth: 64 };
 * ```
 */
export interface KeyOrderOptions {
  /**
   * Tells which `anyOf`/`oneOf` branch an object validates against (given
   * the branch made whole by {@link branchSchema}). Without it every
   * object under such a choice is skipped.
   */
  validates?: BranchCheck;
  /** The deepest nesting read, of the text and of the schema (default 200). */
  maxDepth?: number;
  /** The longest text read (default 1 MiB). */
  maxChars?: number;
  /** Schema-and-value pairs visited before giving up (default 100,000). */
  maxSteps?: number;
  /** Branch checks made before giving up (default 64). */
  maxBranchChecks?: number;
  /** Milliseconds spent before giving up (default 1,000). */
  maxMs?: number;
}

/** What the objects seen so far say. */
interface Tally {
  /** Every checked object had its listed keys in order. */
  inOrder: boolean;
  /** Some checked object had two or more listed keys. */
  counts: boolean;
}

const EMPTY: Tally = { inOrder: true, counts: false };

class OverBudget extends Error {}

type SchemaObject = Record<string, unknown>;

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The schema at a local `$ref` (`#` or a `#/…` JSON Pointer), or undefined
 * when it is not one or does not resolve.
 *
 * @example
 * ```ts
 * import { resolveLocalRef } from "./key_order.ts";
 * resolveLocalRef({ $defs: { a: { type: "string" } } }, "#/$defs/a"); // { type: "string" }
 * resolveLocalRef({}, "other.json#"); // undefined
 * ```
 */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let part: string;
    try {
      part = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll(
        "~0",
        "~",
      );
    } catch {
      return undefined;
    }
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(part)) {
      node = node[Number(part)];
    } else if (isObject(node) && Object.hasOwn(node, part)) {
      node = node[part];
    } else return undefined;
  }
  return node;
}

/**
 * A branch of `root` made a schema of its own, for checking whether a part
 * of the output validates against it: the branch under `allOf`, beside the
 * root's `$schema`, `$id` and definitions (`definitions`, `$defs`), so that
 * its refs into them resolve. Null when the root has a local ref that
 * would then mean something else (`#` itself, or a pointer outside the
 * definitions).
 *
 * @example
 * ```ts
 * import { branchSchema } from "./key_order.ts";
 * const root = { $defs: { n: { type: "number" } }, oneOf: [{ $ref: "#/$defs/n" }] };
 * branchSchema(root, root.oneOf[0]); // { $defs: { n: { type: "number" } }, allOf: [{ $ref: "#/$defs/n" }] }
 * branchSchema({ oneOf: [{ $ref: "#" }] }, { $ref: "#" }); // null
 * ```
 */
export function branchSchema(root: unknown, branch: unknown): unknown {
  if (!isObject(root)) return null;
  let stray = false;
  const visit = (node: unknown, depth: number) => {
    if (stray || depth > 200 || typeof node !== "object" || node === null) {
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const ref = (node as SchemaObject).$ref;
    if (
      typeof ref === "string" && ref.startsWith("#") &&
      !/^#\/(definitions|\$defs)\//.test(ref)
    ) stray = true;
    for (const value of Object.values(node)) visit(value, depth + 1);
  };
  visit(root, 0);
  if (stray) return null;
  const out: SchemaObject = {};
  for (const key of ["$schema", "$id", "id", "definitions", "$defs"]) {
    if (Object.hasOwn(root, key)) out[key] = root[key];
  }
  out.allOf = [branch];
  return out;
}

/**
 * Whether the output's objects have their keys in the schema's order: true
 * or false, or null when no object of it has two listed keys (or the text
 * cannot be read within the bounds).
 *
 * @example
 * ```ts
 * import { keyOrder } from "./key_order.ts";
 * // Integer-like keys keep their written order.
 * await keyOrder('{"2": 0, "10": 0}', { properties: { "2": {}, "10": {} } }); // true
 * ```
 */
export async function keyOrder(
  text: string,
  schema: unknown,
  options: KeyOrderOptions = {},
): Promise<boolean | null> {
  const maxDepth = options.maxDepth ?? 200;
  const node = scanJson(text, { maxDepth, maxChars: options.maxChars });
  if (node === null) return null;
  let steps = options.maxSteps ?? 100_000;
  let branchChecks = options.maxBranchChecks ?? 64;
  // A wall-clock bound too: branch checks compile and validate.
  const deadline = Date.now() + (options.maxMs ?? 1000);
  const step = () => {
    if (--steps < 0 || Date.now() > deadline) throw new OverBudget();
  };

  /** The schemas that apply where `schema` applies: it, its `$ref`s, its `allOf`. */
  const expand = (start: unknown): SchemaObject[] => {
    const out: SchemaObject[] = [];
    const seen = new Set<unknown>();
    const walk = (s: unknown, depth: number) => {
      step();
      if (!isObject(s) || seen.has(s) || depth > maxDepth) return;
      seen.add(s);
      out.push(s);
      if (typeof s.$ref === "string") {
        walk(resolveLocalRef(schema, s.$ref), depth + 1);
      }
      if (Array.isArray(s.allOf)) {
        for (const member of s.allOf) walk(member, depth + 1);
      }
    };
    walk(start, 0);
    return out;
  };

  const combine = (a: Tally, b: Tally): Tally => ({
    inOrder: a.inOrder && b.inOrder,
    counts: a.counts || b.counts,
  });

  /** The tally of `value` under `schemas`; null when it is skipped. */
  const check = async (
    schemas: SchemaObject[],
    value: JsonNode,
  ): Promise<Tally | null> => {
    step();
    if (value.kind === "scalar" || schemas.length === 0) return EMPTY;
    let tally = EMPTY;
    if (value.kind === "object") {
      const written = value.entries.map(([key]) => key);
      for (const s of schemas) {
        const properties = s.properties;
        if (!isObject(properties)) continue;
        // In order when the listed keys present come by rising position in
        // the schema: one pass, each key a step (linear in the keys).
        const position = new Map(Object.keys(properties).map((k, i) => [k, i]));
        let last = -1;
        let present = 0;
        let inOrder = true;
        for (const key of written) {
          step();
          const at = position.get(key);
          if (at === undefined) continue;
          present++;
          if (at < last) inOrder = false;
          last = at;
        }
        tally = combine(tally, { inOrder, counts: present >= 2 });
      }
      for (const [key, item] of value.entries) {
        const under = schemas.flatMap((s) =>
          isObject(s.properties) && Object.hasOwn(s.properties, key)
            ? expand(s.properties[key])
            : []
        );
        const child = await check(under, item);
        if (child) tally = combine(tally, child);
      }
    } else {
      for (const [i, item] of value.items.entries()) {
        const under = schemas.flatMap((s) => {
          const tuple = Array.isArray(s.items)
            ? s.items
            : Array.isArray(s.prefixItems)
            ? s.prefixItems
            : null;
          if (tuple && i < tuple.length) return expand(tuple[i]);
          if (tuple && Array.isArray(s.items)) return expand(s.additionalItems);
          return expand(s.items);
        });
        const child = await check(under, item);
        if (child) tally = combine(tally, child);
      }
    }
    for (const s of schemas) {
      for (const keyword of ["anyOf", "oneOf"] as const) {
        const branches = s[keyword];
        if (!Array.isArray(branches)) continue;
        const chosen = await choose(branches, value);
        if (chosen === null) return null;
        tally = combine(tally, chosen);
      }
    }
    return tally;
  };

  /** The tally of the branch that validated; null when ambiguous. */
  const choose = async (
    branches: unknown[],
    value: JsonNode,
  ): Promise<Tally | null> => {
    const validates = options.validates;
    if (!validates) return null;
    const instance = plainValue(value);
    const verdicts: Tally[] = [];
    for (const branch of branches) {
      if (--branchChecks < 0 || Date.now() > deadline) throw new OverBudget();
      const whole = branchSchema(schema, branch);
      if (whole === null) return null;
      const valid = await validates(whole, instance);
      if (valid === null) return null;
      if (!valid) continue;
      const tally = await check(expand(branch), value);
      if (tally === null) return null;
      verdicts.push(tally);
    }
    if (verdicts.length === 0) return null;
    // A branch with nothing to order agrees with every other.
    const counted = verdicts.filter((t) => t.counts);
    if (counted.length === 0) return EMPTY;
    const inOrder = counted[0].inOrder;
    return counted.every((t) => t.inOrder === inOrder)
      ? { inOrder, counts: true }
      : null;
  };

  try {
    const tally = await check(expand(schema), node);
    return tally && tally.counts ? tally.inOrder : null;
  } catch (error) {
    if (error instanceof OverBudget || error instanceof RangeError) return null;
    throw error;
  }
}
