/**
 * Opaque list cursors and the `limit` parameter, shared by every list in the
 * API (`{ items, next_cursor }`).
 *
 * @example
 * ```ts
 * import { decodeCursor, encodeCursor } from "./pagination.ts";
 * decodeCursor<{ n: number }>(encodeCursor({ n: 3 })); // { n: 3 }
 * ```
 * @module
 */
import { ApiError } from "../errors.ts";

/**
 * Encodes a position as base64url JSON.
 *
 * @example
 * ```ts
 * encodeCursor({ ordinal: 99 }); // "eyJvcmRpbmFsIjo5OX0"
 * ```
 */
export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-")
    .replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decodes a cursor; a malformed one is a 400 at `cursor`. `check` verifies
 * the decoded shape.
 *
 * @example
 * ```ts
 * decodeCursor("garbage", (v) => typeof v === "object"); // throws ApiError 400
 * ```
 */
export function decodeCursor<T>(
  cursor: string,
  check: (value: unknown) => boolean = () => true,
): T {
  try {
    const padded = cursor.replaceAll("-", "+").replaceAll("_", "/");
    const text = new TextDecoder().decode(
      Uint8Array.from(atob(padded), (ch) => ch.charCodeAt(0)),
    );
    const value = JSON.parse(text);
    if (check(value)) return value as T;
  } catch { /* reported below */ }
  throw new ApiError(
    400,
    "invalid_cursor",
    "the cursor is not one this API gave out",
    "cursor",
  );
}

/**
 * Reads `limit` (1..max, default `fallback`); anything else is a 400.
 *
 * @example
 * ```ts
 * parseLimit("20", 100, 1000); // 20
 * ```
 */
export function parseLimit(
  raw: string | undefined,
  fallback: number,
  max: number,
): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ApiError(
      400,
      "invalid_query",
      `limit must be a whole number from 1 to ${max}`,
      "limit",
    );
  }
  return n;
}
