/**
 * Makes a value safe to store: PostgreSQL's `text` and `jsonb` refuse the
 * NUL character and lone UTF-16 surrogates, and an engine may send either.
 * Each NUL becomes U+FFFD (the replacement character), as does each lone
 * surrogate, in every string and key; everything else is kept as it is.
 * Stored output stays data: what could not be stored is visibly replaced,
 * never silently dropped, and never a failed write that would leave a case
 * without its result.
 *
 * @example
 * ```ts
 * import { storable } from "./storable.ts";
 * storable({ raw: "a\u0000b" }); // { raw: "a\uFFFDb" }
 * ```
 * @module
 */

function clean(text: string): string {
  const safe = text.isWellFormed() ? text : text.toWellFormed();
  return safe.includes("\u0000") ? safe.replaceAll("\u0000", "\uFFFD") : safe;
}

/**
 * See the module doc. Values nested deeper than `maxDepth` (default 500)
 * are replaced by `null`.
 *
 * @example
 * ```ts
 * storable(["ok", { "k\u0000": 1 }]); // ["ok", { "k\uFFFD": 1 }]
 * ```
 */
export function storable<T>(value: T, maxDepth = 500): T {
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === "string") return clean(node);
    if (node === null || typeof node !== "object") return node;
    if (node instanceof Date) return node;
    if (depth >= maxDepth) return null;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      out[clean(key)] = walk(child, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}
