/**
 * Places in a schema as chains of JSON Pointer tokens ({@link Link}): how
 * the adaptation names where a note applies and where a `$ref` points.
 * Internal to the adaptation; `adapt_schema.ts` is the entry point.
 *
 * @example
 * ```ts
 * import { child, pointerOf, refText, ROOT } from "./pointer.ts";
 * const at = child(ROOT, "$defs", "a/b");
 * pointerOf(at); // "/$defs/a~1b"
 * refText(at); // "#/$defs/a~1b"
 * ```
 * @module
 */

/**
 * A place in a schema, as a chain of pointer tokens (cheap to extend).
 *
 * @example
 * ```ts
 * const link: Link = { parent: ROOT, seg: "properties" };
 * ```
 */
export interface Link {
  readonly parent: Link | null;
  readonly seg: string;
}

/**
 * The root of a schema.
 *
 * @example
 * ```ts
 * pointerOf(ROOT); // "the root"
 * ```
 */
export const ROOT: Link = { parent: null, seg: "" };

/**
 * `link` extended by `segs`, one token each.
 *
 * @example
 * ```ts
 * pointerOf(child(ROOT, "properties", "name")); // "/properties/name"
 * ```
 */
export function child(link: Link, ...segs: string[]): Link {
  let current = link;
  for (const seg of segs) current = { parent: current, seg };
  return current;
}

/**
 * The tokens of `link`, from the root down (none for the root).
 *
 * @example
 * ```ts
 * segments(child(ROOT, "items", "0")); // ["items", "0"]
 * ```
 */
export function segments(link: Link): string[] {
  const out: string[] = [];
  for (let l: Link | null = link; l && l.parent; l = l.parent) out.push(l.seg);
  return out.reverse();
}

/**
 * A token escaped for a JSON Pointer (`~` as `~0`, `/` as `~1`).
 *
 * @example
 * ```ts
 * escapeToken("a/b~c"); // "a~1b~0c"
 * ```
 */
export function escapeToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * A token made safe for a URI fragment (what a `$ref` holds).
 *
 * @example
 * ```ts
 * fragmentToken("a b"); // "a%20b"
 * ```
 */
export function fragmentToken(token: string): string {
  return escapeToken(token).replace(
    /[^A-Za-z0-9\-._~!$&'()*+,;=:@?]/gu,
    (c) => encodeURIComponent(c),
  );
}

/**
 * The `$ref` text that points to `link` in the same document.
 *
 * @example
 * ```ts
 * refText(child(ROOT, "$defs", "a b")); // "#/$defs/a%20b"
 * ```
 */
export function refText(link: Link): string {
  return "#" + segments(link).map((s) => "/" + fragmentToken(s)).join("");
}

/**
 * A JSON Pointer ("the root" for the root).
 *
 * @example
 * ```ts
 * pointerOf(child(ROOT, "$defs", "a/b")); // "/$defs/a~1b"
 * ```
 */
export function pointerOf(link: Link): string {
  if (!link.parent) return "the root";
  return segments(link).map((s) => "/" + escapeToken(s)).join("");
}

/**
 * A pointer cut to a readable length (at most 111 characters).
 *
 * @example
 * ```ts
 * display("/properties/name"); // "/properties/name"
 * ```
 */
export function display(pointer: string): string {
  return pointer.length > 120
    ? `${pointer.slice(0, 50)}…${pointer.slice(-60)}`
    : pointer;
}
