/**
 * Applies the SQL migrations in `migrations/` (drizzle-kit's output) and
 * reports how many are applied. The same files serve PGlite and PostgreSQL.
 *
 * @example
 * ```ts
 * import { migrateDatabase, migrationState } from "./migrate.ts";
 * import type { Database } from "./client.ts";
 * declare const database: Database;
 * await migrateDatabase(database);
 * (await migrationState(database)).pending; // 0
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database } from "./client.ts";
import { appliedMigrationCount } from "./queries/migrations.ts";

/** The folder holding drizzle-kit's migrations. */
export const MIGRATIONS_DIR = fileURLToPath(
  new URL("../../migrations", import.meta.url),
);

/** The advisory lock key migrations run under (any fixed number). */
const MIGRATION_LOCK = 7_400_117;

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
 * import { openDatabase } from "./client.ts";
 * await migrateDatabase(await openDatabase({ memory: true }));
 * ```
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === "pglite") {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
    return;
  }
  // Several servers starting together: one migrates, the others wait on
  // the lock and then find nothing left to do.
  const client = postgres(database.url!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), config);
  } finally {
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await client.end({ timeout: 5 });
  }
}

/**
 * Compares the migrations on disk with those recorded in the database.
 *
 * @example
 * ```ts
 * import type { Database } from "./client.ts";
 * declare const database: Database;
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
