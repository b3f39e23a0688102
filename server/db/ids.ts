/**
 * Whether a string is a UUID as PostgreSQL's `uuid` type reads it (8-4-4-4-12
 * hex digits). Queries check ids with it before casting, so a malformed id
 * is "not found", never a database error.
 *
 * @example
 * ```ts
 * import { isUuid } from "./ids.ts";
 * isUuid("0b5c4f9e-6f3c-4a59-9f0e-2a1d1c3b4e5f"); // true
 * isUuid("-".repeat(36)); // false
 * ```
 * @module
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * function runIdOrNull(id: string): string | null {
 *   if (!isUuid(id)) return null;
 *   return id;
 * }
 * ```
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
