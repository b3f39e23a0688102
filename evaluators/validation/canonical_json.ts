/**
 * Canonical JSON (object keys sorted, no whitespace) and content hashes over
 * it, so the same value always hashes the same whatever its key order.
 *
 * @example
 * ```ts
 * import { contentHash } from "./canonical_json.ts";
 * contentHash({ b: 1, a: 2 }) === contentHash({ a: 2, b: 1 }); // true
 * ```
 * @module
 */
import { createHash } from "node:crypto";

/**
 * Serialises `value` with object keys sorted at every level.
 *
 * @example
 * ```ts
 * canonicalJson({ b: [1, { d: 1, c: 2 }], a: null }); // '{"a":null,"b":[1,{"c":2,"d":1}]}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined)
    .sort();
  return `{${
    keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(
      ",",
    )
  }}`;
}

/**
 * The SHA-256 of a string, as lowercase hex.
 *
 * @example
 * ```ts
 * sha256Hex("abc").slice(0, 8); // "ba7816bf"
 * ```
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The SHA-256 of a value's canonical JSON.
 *
 * @example
 * ```ts
 * contentHash({ type: "string" }).length; // 64
 * ```
 */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
