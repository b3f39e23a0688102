/**
 * An order-preserving reading of JSON text: every object keeps its keys in
 * the order the text wrote them. `JSON.parse` keeps insertion order for
 * string keys but puts integer-like keys ("10", "2") first, so a key-order
 * check cannot trust `Object.keys`. Bounded in depth and size; anything it
 * cannot read (not JSON, too deep, too long) is null.
 *
 * @example
 * ```ts
 * import { scanJson } from "./json_scan.ts";
 * const node = scanJson('{"b": 1, "10": 2}');
 * node?.kind === "object" && node.entries.map(([key]) => key); // ["b", "10"]
 * ```
 * @module
 */

/**
 * One JSON value as the text wrote it: an object's entries in written
 * order (a repeated key keeps its first place and its last value, as
 * `JSON.parse` does), an array's items, or a scalar.
 *
 * @example
 * ```ts
 * import type { JsonNode } from "./json_scan.ts";
 * const node: JsonNode = { kind: "object", entries: [["a", { kind: "scalar", value: 1 }]] };
 * ```
 */
export type JsonNode =
  | { kind: "object"; entries: [string, JsonNode][] }
  | { kind: "array"; items: JsonNode[] }
  | {
    kind: "scalar";
    value: string | number | boolean | null;
    /** A number as the text wrote it (`1.0`, `9223372036854775807`). */
    literal?: string;
  };

/**
 * Bounds of a scan.
 *
 * @example
 * ```ts
 * import type { ScanLimits } from "./json_scan.ts";
 * const limits: ScanLimits = { maxDepth: 64, maxChars: 1 << 20 };
 * ```
 */
export interface ScanLimits {
  /** The deepest nesting of objects and arrays read (default 200). */
  maxDepth: number;
  /** The longest text read (default 1 MiB). */
  maxChars: number;
}

const DEFAULT_LIMITS: ScanLimits = { maxDepth: 200, maxChars: 1 << 20 };

class ScanError extends Error {}

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON strings hold no raw control characters (U+0000 to U+001F). Runs of
// plain characters are one step each, so a long string costs the regex
// engine a few steps, not one backtrack entry per character.
// deno-lint-ignore no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]+|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Reads JSON text with every object's keys in written order; null when the
 * text is not one JSON value or passes the limits.
 *
 * @example
 * ```ts
 * import { scanJson } from "./json_scan.ts";
 * scanJson("[1, true]"); // { kind: "array", items: [{ kind: "scalar", value: 1 }, { kind: "scalar", value: true }] }
 * scanJson("{"); // null
 * ```
 */
export function scanJson(
  text: string,
  limits: Partial<ScanLimits> = {},
): JsonNode | null {
  // An undefined limit is the default one, not none.
  const maxDepth = limits.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const maxChars = limits.maxChars ?? DEFAULT_LIMITS.maxChars;
  if (text.length > maxChars) return null;
  let at = 0;
  const match = (re: RegExp): string | null => {
    re.lastIndex = at;
    const found = re.exec(text);
    if (!found) return null;
    at = re.lastIndex;
    return found[0];
  };
  const space = () => void match(WHITESPACE);
  const expect = (char: string) => {
    space();
    if (text[at] !== char) throw new ScanError(`expected ${char} at ${at}`);
    at++;
  };
  const string = (): string => {
    const token = match(STRING);
    if (token === null) throw new ScanError(`expected a string at ${at}`);
    return JSON.parse(token);
  };
  const value = (depth: number): JsonNode => {
    space();
    const char = text[at];
    if (char === "{" || char === "[") {
      if (depth >= maxDepth) throw new ScanError("nested too deeply");
    }
    if (char === "{") {
      at++;
      const entries: [string, JsonNode][] = [];
      const index = new Map<string, number>();
      space();
      if (text[at] === "}") {
        at++;
        return { kind: "object", entries };
      }
      for (;;) {
        space();
        const key = string();
        expect(":");
        const item = value(depth + 1);
        const seen = index.get(key);
        if (seen === undefined) {
          index.set(key, entries.length);
          entries.push([key, item]);
        } else entries[seen] = [key, item];
        space();
        if (text[at] === ",") at++;
        else break;
      }
      expect("}");
      return { kind: "object", entries };
    }
    if (char === "[") {
      at++;
      const items: JsonNode[] = [];
      space();
      if (text[at] === "]") {
        at++;
        return { kind: "array", items };
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        if (text[at] === ",") at++;
        else break;
      }
      expect("]");
      return { kind: "array", items };
    }
    if (char === '"') return { kind: "scalar", value: string() };
    for (const [word, literal] of [["true", true], ["false", false]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return { kind: "scalar", value: literal };
      }
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return { kind: "scalar", value: null };
    }
    const number = match(NUMBER);
    if (number === null) throw new ScanError(`unexpected input at ${at}`);
    return { kind: "scalar", value: Number(number), literal: number };
  };
  try {
    const node = value(0);
    space();
    return at === text.length ? node : null;
  } catch (error) {
    if (error instanceof ScanError || error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * The plain value of a scanned node, as `JSON.parse` would give it (for
 * validating a part of the output).
 *
 * @example
 * ```ts
 * import { plainValue, scanJson } from "./json_scan.ts";
 * plainValue(scanJson('{"a": [1]}')!); // { a: [1] }
 * ```
 */
export function plainValue(node: JsonNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "array") return node.items.map(plainValue);
  const out: Record<string, unknown> = {};
  for (const [key, item] of node.entries) {
    // An own property even for "__proto__", as JSON.parse makes it.
    Object.defineProperty(out, key, {
      value: plainValue(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
