/**
 * The rewrite of one schema node, keyword by keyword: what the provider
 * does not keep is dropped, `$ref`s are set aside to be pointed into the
 * adapted schema, and every subschema becomes a {@link Work} for the walker
 * to take up next. OpenAI's objects are closed and list every property in
 * `required` here.
 * Internal to the adaptation; `adapt_schema.ts` is the entry point.
 *
 * @example
 * ```ts
 * import { buildNode, type BuildContext } from "./build.ts";
 * import type { Work } from "./support.ts";
 * declare const ctx: BuildContext;
 * declare const work: Work;
 * const { out, children } = buildNode(
 *   ctx,
 *   { type: "array", items: { type: "string" } },
 *   "https://schema.invalid/root.json",
 *   work,
 *   work.out,
 * );
 * // where ctx keeps "type" and "items":
 * out; // { type: "array", items: null }, until its child is put there
 * children.length; // 1
 * ```
 * @module
 */

import { child, type Link, ROOT } from "./pointer.ts";
import {
  cloneJson,
  isObj,
  type NoteBook,
  type PendingRef,
  type Schema,
  setKey,
  typeIncludes,
  type Work,
} from "./support.ts";

/**
 * What {@link buildNode} needs from the walk it is part of.
 *
 * @example
 * ```ts
 * import { NoteBook } from "./support.ts";
 * import { child, ROOT } from "./pointer.ts";
 * const names = new Set<string>();
 * const ctx: BuildContext = {
 *   openai: false,
 *   supported: new Set(["type", "items"]),
 *   formats: new Set(),
 *   notes: new NoteBook(),
 *   refs: [],
 *   totals: { properties: 0, enumValues: 0 },
 *   claim: (name) => (names.add(name), name),
 *   hoist: (_schema, name) => child(ROOT, "$defs", name),
 * };
 * ```
 */
export interface BuildContext {
  /** The provider is OpenAI (closed objects, every property required). */
  readonly openai: boolean;
  /** The keywords the provider keeps. */
  readonly supported: ReadonlySet<string>;
  /** The `format` values the provider keeps. */
  readonly formats: ReadonlySet<string>;
  readonly notes: NoteBook;
  /** `$ref`s to point into the adapted schema once the walk is done. */
  readonly refs: PendingRef[];
  /** Running counts, for OpenAI's limits on the whole schema. */
  readonly totals: { properties: number; enumValues: number };
  /** `name`, or a free variant of it, taken for the root `$defs`. */
  claim(name: string): string;
  /** Queues `schema` as a new entry of the root `$defs`; its place. */
  hoist(schema: unknown, name: string, path: Link): Link;
}

/**
 * One node rewritten: `out` holds `null` where each child goes, and
 * `children` (in keyword order) put their results there once processed.
 *
 * @example
 * ```ts
 * const built: Built = { out: {}, children: [] };
 * ```
 */
export interface Built {
  out: Schema;
  children: Work[];
}

/**
 * Rewrites `node` (already normalized and merged) keyword by keyword.
 * `base` is its base URI (for its `$ref`), `self` the place of its output
 * in the adapted schema.
 *
 * @example
 * ```ts
 * import type { Work } from "./support.ts";
 * declare const ctx: BuildContext;
 * declare const work: Work;
 * buildNode(ctx, { type: "string", format: "email" }, "", work, work.out).out;
 * // { type: "string", format: "email" } when ctx.formats has "email"
 * ```
 */
export function buildNode(
  ctx: BuildContext,
  node: Schema,
  base: string,
  work: Work,
  self: Link,
): Built {
  const out: Schema = {};
  const children: Work[] = [];
  const openai = ctx.openai;
  const objectish = typeIncludes(node.type, "object") ||
    isObj(node.properties);
  const required = new Set(
    Array.isArray(node.required)
      ? node.required.filter((n): n is string => typeof n === "string")
      : [],
  );
  const properties = isObj(node.properties) ? node.properties : null;
  const queue = (
    raw: unknown,
    path: Link,
    at: Link,
    put: (value: unknown) => void,
    nullable = false,
    depth = work.depth,
  ) =>
    children.push({
      raw,
      origin: isObj(raw) ? raw : null,
      path,
      out: at,
      put,
      nullable,
      root: false,
      depth,
    });

  for (const [key, value] of Object.entries(node)) {
    const listed = key === "definitions" ? "$defs" : key;
    const path = child(work.path, key);
    if (!ctx.supported.has(listed)) {
      ctx.notes.add(`dropped ${key}`, work.path);
      continue;
    }
    switch (key) {
      case "$ref":
        if (typeof value !== "string") {
          ctx.notes.add("dropped a $ref that is not a string", work.path);
          break;
        }
        setKey(out, key, value);
        ctx.refs.push({ holder: out, ref: value, base, path: work.path });
        break;
      case "$defs":
      case "definitions": {
        if (!isObj(value)) {
          ctx.notes.add(`dropped ${key} that is not an object`, work.path);
          break;
        }
        if (!work.root) {
          ctx.notes.add("moved nested $defs to the root $defs", path);
          for (const [name, sub] of Object.entries(value)) {
            ctx.hoist(sub, name, child(path, name));
          }
          break;
        }
        if (key === "definitions") {
          ctx.notes.add("renamed definitions to $defs (refs rewritten)", path);
        }
        if (!isObj(out.$defs)) setKey(out, "$defs", {});
        const defs = out.$defs as Schema;
        for (const [name, sub] of Object.entries(value)) {
          const claimed = ctx.claim(name);
          setKey(defs, claimed, null);
          queue(
            sub,
            child(path, name),
            child(ROOT, "$defs", claimed),
            (v) => setKey(defs, claimed, v),
            false,
            0,
          );
        }
        break;
      }
      case "properties": {
        if (!isObj(value)) {
          ctx.notes.add("dropped properties that is not an object", work.path);
          break;
        }
        const map: Schema = {};
        setKey(out, key, map);
        for (const [name, sub] of Object.entries(value)) {
          const at = child(path, name);
          if (sub === false) {
            ctx.notes.add("removed properties whose schema is false", at);
            continue;
          }
          ctx.totals.properties++;
          const optional = openai && !required.has(name);
          if (optional) {
            ctx.notes.add("made optional properties required and nullable", at);
          }
          if (openai && work.depth + 1 > 10) {
            ctx.notes.add(
              "more than 10 levels of nesting: OpenAI may reject it",
              at,
            );
          }
          setKey(map, name, null);
          queue(
            sub,
            at,
            child(self, key, name),
            (v) => setKey(map, name, v),
            optional,
            work.depth + 1,
          );
        }
        break;
      }
      case "items":
      case "additionalProperties": {
        if (key === "additionalProperties" && openai) {
          setKey(out, key, false);
          if (value !== false) {
            ctx.notes.add(
              `replaced additionalProperties ${
                value === true ? "true" : "schema"
              } with false`,
              work.path,
            );
          }
          break;
        }
        if (typeof value === "boolean" && key === "additionalProperties") {
          setKey(out, key, value);
          break;
        }
        if (!isObj(value) && typeof value !== "boolean") {
          ctx.notes.add(`dropped ${key} that is not a schema`, work.path);
          break;
        }
        setKey(out, key, null);
        queue(value, path, child(self, key), (v) => setKey(out, key, v));
        break;
      }
      case "prefixItems":
      case "anyOf": {
        if (!Array.isArray(value)) {
          ctx.notes.add(`dropped ${key} that is not a list`, work.path);
          break;
        }
        if (key === "anyOf" && value.includes(true)) {
          ctx.notes.add("dropped anyOf with an always-true branch", work.path);
          break;
        }
        let list: [unknown, number][] = value.map((v, i) => [v, i]);
        if (
          key === "anyOf" && value.includes(false) &&
          value.some((v) => v !== false)
        ) {
          list = list.filter(([v]) => v !== false);
          ctx.notes.add("removed false branches from anyOf", work.path);
        }
        const array: unknown[] = [];
        setKey(out, key, array);
        list.forEach(([sub, i], j) => {
          array.push(null);
          queue(
            sub,
            child(path, String(i)),
            child(self, key, String(j)),
            (v) => array[j] = v,
          );
        });
        break;
      }
      case "required":
        if (!Array.isArray(value)) {
          ctx.notes.add("dropped required that is not a list", work.path);
        } else if (!(openai && objectish)) {
          setKey(out, key, value.filter((n) => typeof n === "string"));
        } else setKey(out, key, []);
        break;
      case "format":
        if (typeof value === "string" && ctx.formats.has(value)) {
          setKey(out, key, value);
        } else {
          ctx.notes.add(`dropped format ${JSON.stringify(value)}`, work.path);
        }
        break;
      default:
        if (key === "enum" && Array.isArray(value)) {
          ctx.totals.enumValues += value.length;
        }
        setKey(out, key, cloneJson(value));
    }
  }

  if (openai && objectish) {
    const names = properties
      ? Object.keys(properties).filter((n) => properties[n] !== false)
      : [];
    if (!("additionalProperties" in out)) {
      setKey(out, "additionalProperties", false);
      ctx.notes.add("added additionalProperties: false", work.path);
    }
    if (names.length > 0 || "required" in out) setKey(out, "required", names);
    if ([...required].some((n) => !names.includes(n))) {
      ctx.notes.add(
        "dropped required names that have no property schema",
        work.path,
      );
    }
  }
  if (
    openai && !work.root &&
    !["type", "anyOf", "$ref", "enum", "const"].some((k) => k in out)
  ) {
    ctx.notes.add("schema without a type: OpenAI may reject it", work.path);
  }
  return { out, children };
}
