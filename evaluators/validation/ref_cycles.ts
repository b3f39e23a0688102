/**
 * Finds `$ref` cycles that never reach into the instance: a schema whose
 * checking needs itself again at the same place in the instance (`{"$ref":
 * "#"}` at the root, two `$defs` that refer to each other, an `allOf` /
 * `anyOf` / `oneOf` / `not` / `if` / `then` / `else` / `dependentSchemas`
 * chain back to itself). A validator runs such a schema until its stack
 * overflows. Recursion that passes through `properties`, `items` and the
 * other keywords that step into a part of the instance (a tree, a linked
 * list) is fine and not reported.
 *
 * Only cycles reachable from the root count (an unused definition is never
 * checked). `$ref` is followed when it resolves inside the document: a JSON
 * Pointer fragment, an anchor (`$anchor`, `$dynamicAnchor`, a fragment-only
 * `$id`), or a URI that some `$id` of the document names. Anything else is
 * not followed (and never fetched). `$dynamicRef` and `$recursiveRef` are
 * not followed either, so what is reported is always a real cycle.
 *
 * Linear in the size of the schema, and iterative: a schema nested 100,000
 * deep cannot overflow the stack here.
 *
 * @example
 * ```ts
 * import { findRefCycle } from "./ref_cycles.ts";
 * findRefCycle({ $ref: "#" })?.message;
 * // "$ref at # loops back to itself without reaching into the instance"
 * findRefCycle({ properties: { next: { $ref: "#" } } }); // null
 * ```
 * @module
 */
import type { Draft } from "./draft.ts";

/** A cycle found in a schema. */
export interface RefCycle {
  /** The `$ref` that closes the cycle, as a URI fragment (`#/$defs/a`). */
  at: string;
  /**
   * The schemas on the cycle, as URI fragments, the first repeated last (a
   * long cycle: its first three and last two, with "…" between).
   */
  path: string[];
  /** The sentence a user sees. */
  message: string;
}

/** Applicators whose subschemas check the same part of the instance. */
const SAME_ONE = ["not", "if", "then", "else"];
const SAME_LIST = ["allOf", "anyOf", "oneOf"];
const SAME_MAP = ["dependentSchemas", "dependencies"];
/** Applicators whose subschemas check a part of the instance. */
const INNER_ONE = [
  "additionalProperties",
  "additionalItems",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "items",
  "contentSchema",
]; // deno-fmt-ignore
const INNER_LIST = ["items", "prefixItems"];
const INNER_MAP = ["properties", "patternProperties"];
/** Where definitions live: indexed, never applied by themselves. */
const DEFINITIONS = ["$defs", "definitions"];
/** Keywords whose values are data, never schemas. */
const DATA = new Set(["enum", "const", "default", "examples"]);
/** Keywords whose value maps names to schemas. */
const MAPS = new Set([...SAME_MAP, ...INNER_MAP, ...DEFINITIONS]);

/** The base URI of a document without `$id` (never fetched, never shown). */
const ROOT_BASE = "https://schema.invalid/root.json";

type Json = Record<string, unknown>;

/** A schema object met while indexing, with where it sits. */
interface Place {
  value: Json;
  base: string;
  parent: number;
  key: string;
  member?: string | number;
}

interface SchemaNode {
  value: Json;
  base: string;
  parent: number;
  /** The keyword (or unknown key) it sits under in its parent. */
  key: string;
  /** Its name or index within that keyword, if any (`properties/name`). */
  member?: string | number;
  /** Subschemas checked at the same instance location. */
  same: number[];
  /** Subschemas checked on a part of the instance. */
  inner: number[];
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escape(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf("#");
  return hash === -1 ? uri : uri.slice(0, hash);
}

function resolveUri(reference: string, base: string): URL | null {
  try {
    return new URL(reference, base);
  } catch {
    return null;
  }
}

/** Every schema object of a document, with its base URI and applicators. */
class SchemaIndex {
  readonly nodes: SchemaNode[] = [];
  readonly #ids = new Map<Json, number>();
  /** Document URI (no fragment) → the node that `$id` names. */
  readonly resources = new Map<string, number>();
  /** Absolute URI with an anchor fragment → node. */
  readonly anchors = new Map<string, number>();

  constructor(root: Json, readonly draft: Draft) {
    const work: Place[] = [{
      value: root,
      base: ROOT_BASE,
      parent: -1,
      key: "",
    }];
    this.resources.set(ROOT_BASE, 0);
    while (work.length > 0) {
      const place = work.pop()!;
      if (this.#ids.has(place.value)) continue;
      const parent = this.#add(place);
      const base = this.nodes[parent].base;
      const value = place.value;
      // Maps of schemas give their members; any other object (a
      // subschema, or an unknown keyword a pointer may reach into) is
      // indexed itself, and so are the objects of any array.
      for (const key of Object.keys(value)) {
        const child = value[key];
        if (typeof child !== "object" || child === null || DATA.has(key)) {
          continue;
        }
        if (Array.isArray(child)) {
          for (let i = 0; i < child.length; i++) {
            const sub = child[i];
            if (isObject(sub)) {
              work.push({ value: sub, base, parent, key, member: i });
            }
          }
        } else if (MAPS.has(key)) {
          for (const name of Object.keys(child)) {
            const sub = (child as Json)[name];
            if (isObject(sub)) {
              work.push({ value: sub, base, parent, key, member: name });
            }
          }
        } else work.push({ value: child as Json, base, parent, key });
      }
    }
    for (const node of this.nodes) this.#link(node);
  }

  #add(place: Place): number {
    const { value, base: inherited, parent, key, member } = place;
    const id = this.nodes.length;
    this.#ids.set(value, id);
    let base = inherited;
    const idKeyword = this.draft === "draft4" ? value.id : value.$id;
    if (typeof idKeyword === "string") {
      const resolved = resolveUri(idKeyword, inherited);
      if (resolved && idKeyword.startsWith("#") && idKeyword.length > 1) {
        this.anchors.set(`${withoutFragment(inherited)}${idKeyword}`, id);
      } else if (resolved) {
        base = withoutFragment(resolved.href);
        this.resources.set(base, id);
      }
    }
    for (const anchor of [value.$anchor, value.$dynamicAnchor]) {
      if (typeof anchor === "string") {
        this.anchors.set(`${withoutFragment(base)}#${anchor}`, id);
      }
    }
    this.nodes.push({ value, base, parent, key, member, same: [], inner: [] });
    return id;
  }

  /** The node a value sits at, when it was indexed. */
  idOf(value: unknown): number | undefined {
    return isObject(value) ? this.#ids.get(value) : undefined;
  }

  #link(node: SchemaNode): void {
    const { value } = node;
    const add = (list: number[], sub: unknown) => {
      const id = this.idOf(sub);
      if (id !== undefined) list.push(id);
    };
    for (const key of SAME_ONE) add(node.same, value[key]);
    for (const key of SAME_LIST) {
      const list = value[key];
      if (Array.isArray(list)) { for (const sub of list) add(node.same, sub); }
    }
    for (const key of SAME_MAP) {
      const map = value[key];
      if (isObject(map)) {
        for (const sub of Object.values(map)) add(node.same, sub);
      }
    }
    for (const key of INNER_ONE) add(node.inner, value[key]);
    for (const key of INNER_LIST) {
      const list = value[key];
      if (Array.isArray(list)) { for (const sub of list) add(node.inner, sub); }
    }
    for (const key of INNER_MAP) {
      const map = value[key];
      if (isObject(map)) {
        for (const sub of Object.values(map)) add(node.inner, sub);
      }
    }
    if (typeof value.$ref === "string") {
      const target = this.resolve(value.$ref, node.base);
      if (target !== undefined) node.same.push(target);
    }
  }

  /** The node a `$ref` names inside this document, if any. */
  resolve(reference: string, base: string): number | undefined {
    const url = resolveUri(reference, base);
    if (!url) return undefined;
    const document = this.resources.get(withoutFragment(url.href));
    if (document === undefined) return undefined;
    const fragment = url.hash.slice(1);
    if (fragment === "") return document;
    if (!fragment.startsWith("/")) {
      return this.anchors.get(`${withoutFragment(url.href)}#${fragment}`) ??
        this.anchors.get(
          `${withoutFragment(url.href)}#${decodeURIComponent(fragment)}`,
        );
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(fragment);
    } catch {
      return undefined;
    }
    let current: unknown = this.nodes[document].value;
    for (const raw of decoded.slice(1).split("/")) {
      const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      if (Array.isArray(current)) current = current[Number(token)];
      else if (isObject(current) && Object.hasOwn(current, token)) {
        current = current[token];
      } else return undefined;
    }
    return this.idOf(current);
  }

  /**
   * The node's place as a URI fragment (`#`, `#/$defs/a`), its middle
   * elided past 120 characters.
   */
  pointer(id: number): string {
    const tokens: string[] = [];
    for (let at = id; at > 0; at = this.nodes[at].parent) {
      const { key, member } = this.nodes[at];
      if (member !== undefined) tokens.push(escape(String(member)));
      tokens.push(escape(key));
    }
    const pointer = tokens.length ? `#/${tokens.reverse().join("/")}` : "#";
    return pointer.length > 120
      ? `${pointer.slice(0, 60)}…${pointer.slice(-59)}`
      : pointer;
  }
}

/**
 * The first `$ref` cycle reachable from the root that never steps into the
 * instance, or null. `draft` decides whether `id` or `$id` names documents.
 *
 * @example
 * ```ts
 * const schema = {
 *   $ref: "#/$defs/a",
 *   $defs: { a: { $ref: "#/$defs/b" }, b: { allOf: [{ $ref: "#/$defs/a" }] } },
 * };
 * findRefCycle(schema)?.path; // ["#/$defs/a", "#/$defs/b", "#/$defs/b/allOf/0", "#/$defs/a"]
 * ```
 */
export function findRefCycle(
  schema: unknown,
  draft: Draft = "draft2020-12",
): RefCycle | null {
  if (!isObject(schema)) return null;
  const index = new SchemaIndex(schema, draft);
  const { nodes } = index;
  // Reachable from the root through any applicator or $ref.
  const reachable = new Uint8Array(nodes.length);
  const queue = [0];
  reachable[0] = 1;
  while (queue.length > 0) {
    const node = nodes[queue.pop()!];
    for (const edges of [node.same, node.inner]) {
      for (const next of edges) {
        if (!reachable[next]) {
          reachable[next] = 1;
          queue.push(next);
        }
      }
    }
  }
  // Depth-first over same-location edges: 1 on the path, 2 finished.
  const state = new Uint8Array(nodes.length);
  for (let start = 0; start < nodes.length; start++) {
    if (!reachable[start] || state[start]) continue;
    const path: { id: number; next: number }[] = [{ id: start, next: 0 }];
    state[start] = 1;
    while (path.length > 0) {
      const top = path[path.length - 1];
      const edges = nodes[top.id].same;
      if (top.next >= edges.length) {
        state[top.id] = 2;
        path.pop();
        continue;
      }
      const target = edges[top.next++];
      if (state[target] === 1) {
        const from = path.findIndex((p) => p.id === target);
        return describe(index, path.slice(from).map((p) => p.id), target);
      }
      if (state[target] === 0) {
        state[target] = 1;
        path.push({ id: target, next: 0 });
      }
    }
  }
  return null;
}

function describe(index: SchemaIndex, cycle: number[], back: number): RefCycle {
  // Every cycle holds a $ref (a tree alone has none); name the one that closes it.
  const refs = cycle.filter((id) =>
    typeof index.nodes[id].value.$ref === "string"
  );
  const closing = refs.length ? refs[refs.length - 1] : cycle[cycle.length - 1];
  // A long cycle is shown by its ends: the report stays short.
  const shown = cycle.length > 6
    ? [...cycle.slice(0, 3), -1, ...cycle.slice(-2), back]
    : [...cycle, back];
  const path = shown.map((id) => id === -1 ? "…" : index.pointer(id));
  const at = index.pointer(closing);
  const message =
    `$ref at ${at} loops back to itself without reaching into the instance${
      cycle.length > 1 ? ` (${path.join(" → ")})` : ""
    }`;
  return { at, path, message };
}
