/**
 * Applies the SQL migrations in `migrations/` (drizzle-kit's output) and
 * reports how many are applied. The same files serve PGlite and PostgreSQL.
 *
 * @example
 * ```ts
 * import { migrateDatabase, migrationState } from "./migrate.ts";
 * await migrateDatabase(database);
 * (await migrationState(database)).pending; // 0
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Database } from "./client.ts";
import { appliedMigrationCount } from "./queries/migrations.ts";

/** The folder holding drizzle-kit's migrations. */
export const MIGRATIONS_DIR = fileURLToPath(
  new URL("../../migrations", import.meta.url),
);

/** What `GET /api/health` reports about the schema. */
export interface MigrationState {
  applied: number;
  available: number;
  pending: number;
  latest: string | null;
}

interface Journal {
  entries: { idx: number; tag: string }[];
}

function readJournal(): Journal {
  return JSON.parse(
    Deno.readTextFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`),
  ) as Journal;
}

/**
 * Brings the database up to the latest migration.
 *
 * @example
 * ```ts
 * await migrateDatabase(await openDatabase({ memory: true }));
 * ```
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === "pglite") {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
  } else {
    await migratePostgres(database.db as unknown as PostgresJsDatabase, config);
  }
}

/**
 * Compares the migrations on disk with those recorded in the database.
 *
 * @example
 * ```ts
 * const state = await migrationState(database);
 * console.log(`${state.applied}/${state.available}`);
 * ```
 */
export async function migrationState(
  database: Database,
): Promise<MigrationState> {
  const entries = readJournal().entries;
  const applied = await appliedMigrationCount(database);
  return {
    applied,
    available: entries.length,
    pending: Math.max(0, entries.length - applied),
    latest: applied > 0
      ? entries[Math.min(applied, entries.length) - 1].tag
      : null,
  };
}
