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
import { isUuid } from "../../evaluators/validation/uuid.ts";
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
 * Checks of one cursor field, each as strict as the column it is compared
 * with, so that a forged cursor is a 400 here, never an error of the
 * database (an invalid date, an id that is no UUID, a number out of the
 * column's range, a NUL character in text).
 *
 * @example
 * ```ts
 * CURSOR_FIELDS.time("2026-01-01T00:00:00.000Z"); // true
 * CURSOR_FIELDS.time("2026-02-30T00:00:00.000Z"); // false
 * CURSOR_FIELDS.time("0000-12-31T00:00:00.000Z"); // false
 * ```
 */
export const CURSOR_FIELDS = {
  /** A timestamp as `toISOString()` writes it. */
  time: (v: unknown): boolean => {
    // Years 1 to 9999 (PostgreSQL has no year 0; a six-digit year is
    // JavaScript's alone).
    if (typeof v !== "string" || !/^(?!0000)\d{4}-/.test(v)) return false;
    const date = new Date(v);
    return !Number.isNaN(date.getTime()) && date.toISOString() === v;
  },
  uuid: (v: unknown): boolean => typeof v === "string" && isUuid(v),
  /** A whole number that fits a PostgreSQL `integer`. */
  int: (v: unknown): boolean =>
    Number.isSafeInteger(v) && (v as number) >= -2_147_483_648 &&
    (v as number) <= 2_147_483_647,
  /** A whole number that fits a `bigint` column read as a JS number. */
  bigint: (v: unknown): boolean => Number.isSafeInteger(v),
  /** Text PostgreSQL can hold (no NUL), of a bounded length. */
  text: (v: unknown): boolean =>
    typeof v === "string" && v.length <= 2000 && !v.includes("\u0000"),
} as const;

/**
 * Decodes a cursor that must be an object with exactly these fields, each
 * passing its check (see {@link CURSOR_FIELDS}); anything else is a 400
 * at `cursor`.
 *
 * @example
 * ```ts
 * const after = decodeCursorOf<{ id: number }>(
 *   encodeCursor({ id: 7 }),
 *   { id: CURSOR_FIELDS.bigint },
 * ); // { id: 7 }
 * ```
 */
export function decodeCursorOf<T extends object>(
  cursor: string,
  fields: { [K in keyof T]: (value: unknown) => boolean },
): T {
  return decodeCursor<T>(cursor, (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return false;
    }
    const record = value as Record<string, unknown>;
    const checks: Record<string, (value: unknown) => boolean> = fields;
    const names = Object.keys(checks);
    return Object.keys(record).length === names.length &&
      names.every((name) =>
        Object.hasOwn(record, name) && checks[name](record[name])
      );
  });
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

/**
 * Reads a filter parameter of a list: absent or empty is no filter; a
 * value that fails `check` is a 400 at `name` that says what was wanted.
 *
 * @example
 * ```ts
 * import { isUuid } from "../../evaluators/validation/uuid.ts";
 * parseFilter("not-an-id", "suite_id", isUuid, "a suite id"); // throws ApiError 400
 * ```
 */
export function parseFilter(
  raw: string | undefined,
  name: string,
  check: (value: string) => boolean,
  what: string,
): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (check(raw)) return raw;
  throw new ApiError(
    400,
    "invalid_query",
    `${name} must be ${what}`,
    name,
  );
}

/**
 * A name a status or outcome could have: lowercase words joined by `_`.
 * Well-formed names that no row has simply match nothing.
 *
 * @example
 * ```ts
 * isStatusName("schema_violation"); // true
 * isStatusName("done'; --"); // false
 * ```
 */
export function isStatusName(value: string): boolean {
  return /^[a-z][a-z_]{0,39}$/.test(value);
}

/**
 * The `suite_version` query parameter: a positive integer, or undefined
 * when absent; anything else is a 400.
 *
 * @example
 * ```ts
 * parseVersion("3"); // 3
 * parseVersion(undefined); // undefined
 * ```
 */
export function parseVersion(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const version = Number(raw);
  if (/^\d{1,9}$/.test(raw) && version >= 1) return version;
  throw new ApiError(
    400,
    "invalid_query",
    "suite_version must be a positive integer",
    "suite_version",
  );
}
