/**
 * Queries about the migration bookkeeping table that drizzle keeps.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const n = await appliedMigrationCount(database);
 * ```
 * @module
 */
import { sql } from "drizzle-orm";
import type { Database } from "../client.ts";

/**
 * How many migrations drizzle has recorded as applied (0 on a new database).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await appliedMigrationCount(database); // 1
 * ```
 */
export async function appliedMigrationCount(
  database: Database,
): Promise<number> {
  const exists = await database.rows<{ present: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists[0]?.present) return 0;
  const rows = await database.rows<{ n: number | string }>(
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(rows[0]?.n ?? 0);
}
