/**
 * The index of a schema's resources, anchors and base URIs, to resolve
 * `$ref` on the input of `adaptSchema` (never fetching anything).
 *
 * @example
 * ```ts
 * import { SchemaIndex } from "./schema_index.ts";
 * const index = new SchemaIndex({ $defs: { a: { type: "string" } } });
 * index.rootBase; // the base URI the root was given
 * ```
 * @module
 */
import {
  FALLBACK_BASE,
  forEachSubschema,
  isObj,
  type Schema,
} from "./support.ts";

/** Ids, anchors and base URIs of the input, to resolve `$ref` on it. */
export class SchemaIndex {
  readonly base = new Map<object, string>();
  readonly resources = new Map<string, unknown>();
  readonly anchors = new Map<string, unknown>();
  /** Input objects that some `$ref` points to. */
  readonly targets = new Set<object>();
  readonly rootBase: string;

  constructor(root: unknown) {
    this.resources.set(FALLBACK_BASE, root);
    this.rootBase = FALLBACK_BASE;
    if (!isObj(root)) return;
    const declared = typeof root.$schema === "string" ? root.$schema : "";
    const draft4 = /draft-0[34]/.test(declared);
    const refs: [string, string][] = [];
    const entered = new Set<object>();
    const active = new Set<object>();
    const stack: { node: Schema; base: string; exit: boolean }[] = [
      { node: root, base: FALLBACK_BASE, exit: false },
    ];
    while (stack.length > 0) {
      const { node, base: parentBase, exit } = stack.pop()!;
      if (exit) {
        active.delete(node);
        continue;
      }
      if (active.has(node)) {
        throw new TypeError("the schema contains a cycle: it is not JSON");
      }
      if (entered.has(node)) continue;
      entered.add(node);
      active.add(node);
      stack.push({ node, base: parentBase, exit: true });
      let base = parentBase;
      const id = typeof node.$id === "string"
        ? node.$id
        : draft4 && typeof node.id === "string"
        ? node.id
        : undefined;
      if (id !== undefined) {
        if (id.startsWith("#")) this.anchors.set(base + id, node);
        else {
          try {
            const url = new URL(id, base);
            const fragment = url.hash;
            url.hash = "";
            base = url.href;
            this.resources.set(base, node);
            if (fragment.length > 1) this.anchors.set(base + fragment, node);
          } catch { /* an id that is not a URI reference: ignored */ }
        }
      }
      for (const k of ["$anchor", "$dynamicAnchor"]) {
        if (typeof node[k] === "string") {
          this.anchors.set(`${base}#${node[k]}`, node);
        }
      }
      this.base.set(node, base);
      for (const k of ["$ref", "$dynamicRef", "$recursiveRef"]) {
        if (typeof node[k] === "string") refs.push([node[k] as string, base]);
      }
      forEachSubschema(
        node,
        (sub) => stack.push({ node: sub, base, exit: false }),
      );
    }
    for (const [ref, base] of refs) {
      const found = this.resolve(ref, base);
      if (found && isObj(found.target)) this.targets.add(found.target);
    }
  }

  /**
   * The base URI of `value` (an input object), or `fallback` for anything
   * the index does not know.
   *
   * @example
   * ```ts
   * const root = { $id: "https://example.com/s.json" };
   * new SchemaIndex(root).baseOf(root, ""); // "https://example.com/s.json"
   * ```
   */
  baseOf(value: unknown, fallback: string): string {
    return (isObj(value) ? this.base.get(value) : undefined) ?? fallback;
  }

  /** The input value `ref` points to from `base`, or null. */
  resolve(ref: string, base: string): { target: unknown } | null {
    let url: URL;
    try {
      url = new URL(ref, base);
    } catch {
      return null;
    }
    const hash = url.hash;
    url.hash = "";
    const resource = this.resources.get(url.href);
    if (resource === undefined) return null;
    let fragment: string;
    try {
      fragment = decodeURIComponent(hash.slice(1));
    } catch {
      return null;
    }
    if (fragment === "") return { target: resource };
    if (!fragment.startsWith("/")) {
      const anchored = this.anchors.get(`${url.href}#${fragment}`);
      return anchored === undefined ? null : { target: anchored };
    }
    let current: unknown = resource;
    for (const raw of fragment.slice(1).split("/")) {
      const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      if (Array.isArray(current)) {
        if (!/^(0|[1-9][0-9]*)$/.test(token)) return null;
        current = current[Number(token)];
      } else if (isObj(current) && Object.hasOwn(current, token)) {
        current = current[token];
      } else return null;
      if (current === undefined) return null;
    }
    return { target: current };
  }
}
