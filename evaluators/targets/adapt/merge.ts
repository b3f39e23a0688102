/**
 * Merging schemas: two into one ({@link mergeSchemas}), `allOf` into the
 * schema holding it and `oneOf` as `anyOf`, and (OpenAI) the keywords
 * beside an `anyOf` into each of its branches ({@link Merger}).
 * Internal to the adaptation; `adapt_schema.ts` is the entry point.
 *
 * @example
 * ```ts
 * import { mergeSchemas } from "./merge.ts";
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * mergeSchemas({ required: ["a"] }, { required: ["b"] }, ROOT, new NoteBook());
 * // { required: ["a", "b"] }
 * ```
 * @module
 */

import type { Link } from "./pointer.ts";
import type { SchemaIndex } from "./schema_index.ts";
import {
  deepEqual,
  FIRST_WINS,
  isObj,
  LOWER_BOUNDS,
  MAX_ALLOF_BRANCHES,
  MAX_CROSS_PRODUCT,
  MAX_REF_HOPS,
  NOT_INLINED,
  type NoteBook,
  OUTSIDE_ANYOF,
  rekey,
  type Schema,
  SCHEMA_MAPS,
  SCHEMA_SINGLES,
  setKey,
  types,
  UPPER_BOUNDS,
  without,
  type Work,
} from "./support.ts";
import { normalize } from "./transforms.ts";

/**
 * Both schemas at once, as far as a single schema can say it: types
 * intersected, bounds tightened, `required` united, the same property in
 * both as an `allOf` of the two; anything else keeps the first value, with
 * a note.
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * mergeSchemas(
 *   { type: ["string", "null"], maxLength: 9 },
 *   { type: "string", maxLength: 5 },
 *   ROOT,
 *   new NoteBook(),
 * ); // { type: "string", maxLength: 5 }
 * ```
 */
export function mergeSchemas(
  a: Schema,
  b: Schema,
  path: Link,
  notes: NoteBook,
): Schema {
  const out: Schema = { ...a };
  const conflict = (k: string) =>
    notes.add(`conflicting ${k} while merging: kept the first`, path);
  for (const [k, bv] of Object.entries(b)) {
    if (!(k in out)) {
      setKey(out, k, bv);
      continue;
    }
    const av = out[k];
    if (deepEqual(av, bv) || FIRST_WINS.has(k)) continue;
    if (k === "type") {
      const ta = types(av) ?? [];
      const tb = types(bv) ?? [];
      const both = [
        ...ta.filter((t) =>
          tb.includes(t) || (t === "integer" && tb.includes("number"))
        ),
        ...tb.filter((t) => t === "integer" && ta.includes("number")),
      ].filter((t, i, all) => all.indexOf(t) === i);
      if (both.length === 0) conflict(k);
      else setKey(out, k, both.length === 1 ? both[0] : both);
    } else if (k === "required" && Array.isArray(av) && Array.isArray(bv)) {
      setKey(out, k, [...av, ...bv.filter((n) => !av.includes(n))]);
    } else if (k === "enum" && Array.isArray(av) && Array.isArray(bv)) {
      const both = av.filter((x) => bv.some((y) => deepEqual(x, y)));
      if (both.length === 0) conflict(k);
      else setKey(out, k, both);
    } else if (
      (LOWER_BOUNDS.has(k) || UPPER_BOUNDS.has(k)) &&
      typeof av === "number" && typeof bv === "number"
    ) {
      setKey(
        out,
        k,
        LOWER_BOUNDS.has(k) ? Math.max(av, bv) : Math.min(av, bv),
      );
    } else if (k === "uniqueItems") {
      setKey(out, k, av === true || bv === true);
    } else if (SCHEMA_MAPS.has(k) && isObj(av) && isObj(bv)) {
      const map: Schema = { ...av };
      for (const [name, sub] of Object.entries(bv)) {
        const mine = map[name];
        setKey(
          map,
          name,
          mine === undefined || deepEqual(mine, sub)
            ? sub
            : { allOf: [mine, sub] },
        );
      }
      setKey(out, k, map);
    } else if (k === "dependentRequired" && isObj(av) && isObj(bv)) {
      const map: Schema = { ...av };
      for (const [name, list] of Object.entries(bv)) {
        const mine = map[name];
        setKey(
          map,
          name,
          Array.isArray(mine) && Array.isArray(list)
            ? [...mine, ...list.filter((n) => !mine.includes(n))]
            : list,
        );
      }
      setKey(out, k, map);
    } else if (SCHEMA_SINGLES.has(k)) {
      setKey(
        out,
        k,
        av === false || bv === false
          ? false
          : av === true
          ? bv
          : bv === true
          ? av
          : { allOf: [av, bv] },
      );
    } else if (k === "not") {
      setKey(out, k, { anyOf: [av, bv] });
    } else if (
      k === "prefixItems" && Array.isArray(av) && Array.isArray(bv)
    ) {
      const length = Math.max(av.length, bv.length);
      const list: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const x = av[i];
        const y = bv[i];
        list.push(
          x === undefined || x === true
            ? y
            : y === undefined || y === true || deepEqual(x, y)
            ? x
            : { allOf: [x, y] },
        );
      }
      setKey(out, k, list);
    } else if (k === "allOf" && Array.isArray(av) && Array.isArray(bv)) {
      setKey(out, k, [...av, ...bv]);
    } else if (
      (k === "anyOf" || k === "oneOf") && Array.isArray(av) &&
      Array.isArray(bv) && av.length * bv.length <= MAX_CROSS_PRODUCT
    ) {
      setKey(out, k, av.flatMap((x) => bv.map((y) => ({ allOf: [x, y] }))));
    } else conflict(k);
  }
  return out;
}

/**
 * `oneOf` as `anyOf` (merged into an `anyOf` already there).
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { ROOT } from "./pointer.ts";
 * oneOfAsAnyOf({ oneOf: [{ type: "string" }] }, ROOT, new NoteBook());
 * // { anyOf: [{ type: "string" }] }
 * ```
 */
export function oneOfAsAnyOf(
  node: Schema,
  path: Link,
  notes: NoteBook,
): Schema {
  notes.add("replaced oneOf with anyOf (exactly one is not enforced)", path);
  if (!("anyOf" in node)) return rekey(node, "oneOf", "anyOf", node.oneOf);
  return mergeSchemas(
    without(node, "oneOf"),
    { anyOf: node.oneOf },
    path,
    notes,
  );
}

/**
 * The merges that follow `$ref`s of the input: `allOf` into the schema
 * holding it, and (OpenAI) `anyOf` siblings into each branch.
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { SchemaIndex } from "./schema_index.ts";
 * const merger = new Merger(new SchemaIndex({}), new NoteBook());
 * ```
 */
export class Merger {
  readonly #index: SchemaIndex;
  readonly #notes: NoteBook;

  constructor(index: SchemaIndex, notes: NoteBook) {
    this.#index = index;
    this.#notes = notes;
  }

  /** A branch ready to merge: normalized, its `$ref` chain inlined. */
  #expand(
    schema: unknown,
    base: string,
    path: Link,
    seen?: Set<object>,
  ): { schema: Schema | boolean; base: string } {
    if (typeof schema === "boolean") return { schema, base };
    if (!isObj(schema)) return { schema: true, base };
    let node = normalize({ ...schema }, path, this.#notes);
    let at = this.#index.baseOf(schema, base);
    for (
      let hop = 0;
      hop < MAX_REF_HOPS && typeof node.$ref === "string";
      hop++
    ) {
      const found = this.#index.resolve(node.$ref, at);
      if (!found) break;
      const rest = without(node, "$ref");
      const target = found.target;
      if (target === false) return { schema: false, base: at };
      if (!isObj(target) || seen?.has(target)) {
        // A schema already merged in adds nothing (A and A is A).
        node = rest;
        continue;
      }
      seen?.add(target);
      const inlined = normalize(
        without(target, ...NOT_INLINED),
        path,
        this.#notes,
      );
      node = mergeSchemas(inlined, rest, path, this.#notes);
      at = this.#index.baseOf(target, at);
      this.#notes.add("inlined $ref while merging", path);
    }
    return { schema: node, base: at };
  }

  /**
   * `input` with its `allOf` (and a `$ref` beside it) merged in, branch by
   * branch, nested `allOf`s included, up to 256 branches. `origin` is the
   * input object `input` was copied from (a branch leading back to it adds
   * nothing).
   *
   * @example
   * ```ts
   * import { NoteBook } from "./support.ts";
   * import { SchemaIndex } from "./schema_index.ts";
   * import { ROOT } from "./pointer.ts";
   * const schema = { allOf: [{ type: "string" }, { maxLength: 3 }] };
   * const index = new SchemaIndex(schema);
   * new Merger(index, new NoteBook())
   *   .allOf({ ...schema }, index.rootBase, ROOT, schema);
   * // { type: "string", maxLength: 3 }
   * ```
   */
  allOf(
    input: Schema,
    base: string,
    path: Link,
    origin: Schema,
  ): Schema {
    const seen = new Set<object>([origin]);
    const branches: [unknown, string][] = (input.allOf as unknown[]).map((
      b,
    ) => [b, this.#index.baseOf(b, base)]);
    let node = without(input, "allOf");
    if (typeof node.$ref === "string") {
      branches.unshift([{ $ref: node.$ref }, base]);
      node = without(node, "$ref");
    }
    let count = 0;
    while (branches.length > 0 && count < MAX_ALLOF_BRANCHES) {
      count++;
      const [branch, branchBase] = branches.shift()!;
      const expanded = this.#expand(branch, branchBase, path, seen);
      let schema = expanded.schema;
      if (schema === true) continue;
      if (schema === false) {
        this.#notes.add(
          "ignored a false allOf branch (nothing could match)",
          path,
        );
        continue;
      }
      if (Array.isArray(schema.allOf)) {
        for (const b of schema.allOf) {
          branches.push([b, this.#index.baseOf(b, expanded.base)]);
        }
        schema = without(schema, "allOf");
      }
      node = mergeSchemas(node, schema, path, this.#notes);
    }
    if (branches.length > 0) {
      this.#notes.add(
        `dropped allOf branches beyond ${MAX_ALLOF_BRANCHES} (nested or recursive)`,
        path,
      );
    }
    this.#notes.add("merged allOf into the schema holding it", path);
    return node;
  }

  /**
   * OpenAI: `anyOf` with sibling constraints becomes an `anyOf` whose every
   * branch carries the siblings (same meaning); at the root, where OpenAI
   * wants a plain object, the `anyOf` is dropped instead.
   *
   * @example
   * ```ts
   * import { NoteBook, type Work } from "./support.ts";
   * import { SchemaIndex } from "./schema_index.ts";
   * import { child, ROOT } from "./pointer.ts";
   * const schema = { anyOf: [{ type: "string" }, { type: "null" }], maxLength: 3 };
   * const index = new SchemaIndex(schema);
   * const at = child(ROOT, "properties", "a");
   * const work: Work = {
   *   raw: schema, origin: schema, path: at, out: at, put: () => {},
   *   nullable: false, root: false, depth: 1,
   * };
   * new Merger(index, new NoteBook()).spreadAnyOf(schema, index.rootBase, work);
   * // { anyOf: [{ maxLength: 3, type: "string" }, { maxLength: 3, type: "null" }] }
   * ```
   */
  spreadAnyOf(node: Schema, base: string, work: Work): Schema {
    if (!Array.isArray(node.anyOf)) return node;
    const siblings = Object.keys(node).filter((k) => !OUTSIDE_ANYOF.has(k));
    if (siblings.length === 0) return node;
    if (work.root) {
      this.#notes.add(
        "dropped anyOf beside other keywords (OpenAI needs a plain object root)",
        work.path,
      );
      return without(node, "anyOf");
    }
    const rest: Schema = {};
    for (const k of siblings) setKey(rest, k, node[k]);
    const notes = this.#notes;
    const shared = this.#expand(rest, base, work.path).schema;
    const branches: unknown[] = [];
    for (const branch of node.anyOf) {
      if (branch === false) continue;
      const expanded = branch === true
        ? true
        : this.#expand(branch, this.#index.baseOf(branch, base), work.path)
          .schema;
      if (shared === false || expanded === false) continue;
      if (expanded === true) branches.push(shared === true ? {} : shared);
      else if (shared === true) branches.push(expanded);
      else branches.push(mergeSchemas(shared, expanded, work.path, notes));
    }
    const out: Schema = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "anyOf") {
        setKey(out, k, branches.length > 0 ? branches : [false]);
      } else if (OUTSIDE_ANYOF.has(k)) setKey(out, k, v);
    }
    this.#notes.add(
      "moved keywords beside anyOf into each of its branches",
      work.path,
    );
    return out;
  }
}
