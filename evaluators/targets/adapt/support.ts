/**
 * The machinery under `adaptSchema`: keyword lists, JSON helpers and the
 * notebook of changes (places in a schema are `pointer.ts`; the index of a
 * schema's resources and anchors is `schema_index.ts`).
 * Internal to the adaptation; `adapt_schema.ts` is the entry point.
 *
 * @example
 * ```ts
 * import { cloneJson } from "./support.ts";
 * cloneJson({ a: [1] }); // a deep copy
 * ```
 * @module
 */

import { LIST, MAP, SINGLE } from "../../validation/keywords.ts";
import { display, type Link, pointerOf } from "./pointer.ts";

export type Schema = Record<string, unknown>;

/** One schema waiting to be rewritten. */
export interface Work {
  raw: unknown;
  /** The input object whose rewritten form this is (for `$ref`). */
  origin: object | null;
  /** Where it sits in the original (for notes). */
  path: Link;
  /** Where its output goes in the adapted schema. */
  out: Link;
  put: (value: unknown) => void;
  /** OpenAI: an optional property, to be made nullable. */
  nullable: boolean;
  root: boolean;
  /** Levels of properties above it. */
  depth: number;
}

export interface PendingRef {
  holder: Schema;
  ref: string;
  base: string;
  path: Link;
}

export const FALLBACK_BASE = "https://schema.invalid/root.json";
export const MAX_NOTES = 50;
export const PATHS_PER_NOTE = 5;
export const MAX_ALLOF_BRANCHES = 256;
export const MAX_REF_HOPS = 16;
export const MAX_CROSS_PRODUCT = 64;

/** Keywords that bring in other schemas' annotations. */
export const APPLICATORS = [
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "$ref",
  "$dynamicRef",
  "$recursiveRef",
  "dependentSchemas",
  "dependencies",
]; // deno-fmt-ignore
/** Keywords that stay on a schema whose `anyOf` is spread into branches. */
export const OUTSIDE_ANYOF = new Set([
  "anyOf", "title", "description", "$defs", "definitions", "$comment",
  "$schema", "$id", "id", "$anchor", "$dynamicAnchor", "$recursiveAnchor",
  "default", "examples", "deprecated", "readOnly", "writeOnly",
]); // deno-fmt-ignore
/** Keywords of a `$ref` target that stay at its own place when inlined. */
export const NOT_INLINED = [
  "$defs", "definitions", "$id", "id", "$schema", "$anchor",
  "$dynamicAnchor", "$recursiveAnchor", "$vocabulary",
]; // deno-fmt-ignore
/** Annotations: on a merge the first value wins, silently. */
export const FIRST_WINS = new Set([
  "title", "description", "$comment", "default", "examples", "$id", "id",
  "$schema", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "deprecated",
  "readOnly", "writeOnly", "$vocabulary",
]); // deno-fmt-ignore
export const LOWER_BOUNDS = new Set([
  "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties",
  "minContains",
]); // deno-fmt-ignore
export const UPPER_BOUNDS = new Set([
  "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties",
  "maxContains",
]); // deno-fmt-ignore
export const SCHEMA_MAPS = new Set([
  "properties", "patternProperties", "$defs", "definitions",
  "dependentSchemas",
]); // deno-fmt-ignore
export const SCHEMA_SINGLES = new Set([
  "items", "additionalProperties", "additionalItems", "contains",
  "propertyNames", "unevaluatedProperties", "unevaluatedItems",
  "contentSchema",
]); // deno-fmt-ignore

export function isObj(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets an own, enumerable key (safe for `__proto__`), keeping its place. */
export function setKey(target: Schema, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

export function without(node: Schema, ...keys: string[]): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (!keys.includes(k)) setKey(out, k, v);
  }
  return out;
}

/** `node` with `from` replaced, in its place, by `to` (an older `to` goes). */
export function rekey(
  node: Schema,
  from: string,
  to: string,
  value: unknown,
): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === from) setKey(out, to, value);
    else if (k !== to) setKey(out, k, v);
  }
  return out;
}

export function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Structural equality of JSON values, without recursion. */
export function deepEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (
      typeof x !== "object" || typeof y !== "object" || x === null ||
      y === null || Array.isArray(x) !== Array.isArray(y)
    ) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      x.forEach((v, i) => stack.push([v, ys[i]]));
      continue;
    }
    const xo = x as Schema;
    const yo = y as Schema;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (const k of keys) {
      if (!Object.hasOwn(yo, k)) return false;
      stack.push([xo[k], yo[k]]);
    }
  }
  return true;
}

/** A deep copy of a JSON value, without recursion. */
export function cloneJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const top: unknown[] | Schema = Array.isArray(value) ? [] : {};
  const stack: [unknown, unknown[] | Schema][] = [[value, top]];
  while (stack.length > 0) {
    const [source, target] = stack.pop()!;
    const entries: [string, unknown][] = Array.isArray(source)
      ? source.map((v, i) => [String(i), v])
      : Object.entries(source as Schema);
    for (const [k, v] of entries) {
      let copy = v;
      if (typeof v === "object" && v !== null) {
        copy = Array.isArray(v) ? [] : {};
        stack.push([v, copy as unknown[] | Schema]);
      }
      if (Array.isArray(target)) target.push(copy);
      else setKey(target, k, copy);
    }
  }
  return top;
}

export function types(value: unknown): string[] | null {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) {
    return value.filter((t): t is string => typeof t === "string");
  }
  return null;
}

export function typeIncludes(value: unknown, name: string): boolean {
  return types(value)?.includes(name) ?? false;
}

/** Calls `visit` on each object-valued subschema of `node`. */
export function forEachSubschema(
  node: Schema,
  visit: (sub: Schema) => void,
): void {
  for (const k of SINGLE) if (isObj(node[k])) visit(node[k] as Schema);
  for (const k of LIST) {
    const list = node[k];
    if (Array.isArray(list)) { for (const s of list) if (isObj(s)) visit(s); }
  }
  for (const k of MAP) {
    const map = node[k];
    if (!isObj(map)) continue;
    for (const s of Object.values(map)) if (isObj(s)) visit(s);
  }
}

/** Notes grouped by kind, each naming a few places. */
export class NoteBook {
  readonly #kinds = new Map<
    string,
    { pointers: string[]; shown: string[]; total: number }
  >();

  add(kind: string, at?: Link): void {
    let entry = this.#kinds.get(kind);
    if (!entry) {
      entry = { pointers: [], shown: [], total: 0 };
      this.#kinds.set(kind, entry);
    }
    if (!at) return;
    if (entry.shown.length < PATHS_PER_NOTE) {
      const pointer = pointerOf(at);
      if (entry.pointers.includes(pointer)) return;
      entry.pointers.push(pointer);
      entry.shown.push(display(pointer));
    }
    entry.total++;
  }

  list(): string[] {
    const lines: string[] = [];
    for (const [kind, { shown, total }] of this.#kinds) {
      if (shown.length === 0) {
        lines.push(kind);
        continue;
      }
      const more = total - shown.length;
      lines.push(
        `${kind} at ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`,
      );
    }
    if (lines.length <= MAX_NOTES) return lines;
    return [
      ...lines.slice(0, MAX_NOTES),
      `… and ${lines.length - MAX_NOTES} more`,
    ];
  }
}
