/**
 * Whether a string is a UUID written the canonical way: 8-4-4-4-12 hex
 * digits, in either case. One check for every use: the `uuid` format of
 * `jsb` validation (JSONSchemaBench's checker has the same), the queries
 * (which check an id before PostgreSQL casts it to `uuid`, so a malformed
 * id is "not found", never a database error), the routes and the CLI
 * (an id rather than a name).
 *
 * @example
 * ```ts
 * import { isUuid } from "./uuid.ts";
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
 * import { isUuid } from "./uuid.ts";
 * const id = "0b5c4f9e-6f3c-4a59-9f0e-2a1d1c3b4e5f";
 * const lookup = isUuid(id) ? "by id" : "by name";
 * ```
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
