/**
 * Databases for tests, on both backends the product supports:
 * - PGlite, in memory, restored from one migrated snapshot (fast);
 * - a real PostgreSQL when `TEST_DATABASE_URL` names one (`deno task test`
 *   and `.ci/run` start a throwaway cluster when PostgreSQL is installed):
 *   every test gets a fresh database copied from a migrated template, and
 *   drops it when closed.
 *
 * `dbTest` registers one test per backend; the PostgreSQL one is marked
 * ignored, with the reason printed once, when no server is available.
 *
 * @example
 * ```ts
 * import { dbTest } from "./database.ts";
 * dbTest("stores a suite", async (database) => {
 *   // ... use database.db ...
 * });
 * ```
 * @module
 */
import { sql } from "drizzle-orm";
import {
  type Database,
  type DatabaseKind,
  openDatabase,
} from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";

let pgliteSnapshot: Promise<Blob> | undefined;
let template: Promise<string> | undefined;

/** The real-PostgreSQL URL for tests, or undefined. */
export const TEST_DATABASE_URL = Deno.env.get("TEST_DATABASE_URL") || undefined;

async function snapshot(): Promise<Blob> {
  const database = await openDatabase({ memory: true });
  await migrateDatabase(database);
  const dump = await database.pglite!.dumpDataDir("none");
  await database.close();
  return dump;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({
    url: TEST_DATABASE_URL,
    maxConnections: 1,
  });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function makeTemplate(): Promise<string> {
  const name = `evalserver_template_${Deno.pid}_${Date.now()}`;
  await admin((d) => d.rows(sql.raw(`create database "${name}"`)));
  const database = await openDatabase({
    url: withDatabase(TEST_DATABASE_URL!, name),
    maxConnections: 1,
  });
  await migrateDatabase(database);
  await database.close();
  return name;
}

/**
 * Opens a fresh, migrated database of the given kind.
 *
 * @example
 * ```ts
 * const database = await openTestDatabase("pglite");
 * await database.close();
 * ```
 */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === "pglite") {
    pgliteSnapshot ??= snapshot();
    return await openDatabase({
      memory: true,
      loadDataDir: await pgliteSnapshot,
    });
  }
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  template ??= makeTemplate();
  const source = await template;
  const name = `evalserver_test_${crypto.randomUUID().replaceAll("-", "")}`;
  await admin((d) =>
    d.rows(sql.raw(`create database "${name}" template "${source}"`))
  );
  const database = await openDatabase({
    url: withDatabase(TEST_DATABASE_URL, name),
    maxConnections: 5,
  });
  const close = database.close;
  database.close = async () => {
    await close();
    await admin((d) =>
      d.rows(sql.raw(`drop database if exists "${name}" with (force)`))
    );
  };
  return database;
}

let skipNoted = false;

/**
 * Registers `fn` as one test per backend, each with its own fresh database.
 *
 * @example
 * ```ts
 * dbTest("health reports pglite", async (database) => {
 *   await database.db.execute("select 1");
 * });
 * ```
 */
export function dbTest(
  name: string,
  fn: (database: Database) => Promise<void>,
): void {
  for (const kind of ["pglite", "postgres"] as const) {
    const ignore = kind === "postgres" && !TEST_DATABASE_URL;
    if (ignore && !skipNoted) {
      skipNoted = true;
      console.log(
        "real-PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set (deno task test sets it when PostgreSQL is installed)",
      );
    }
    Deno.test({
      name: `${name} [${kind}]`,
      ignore,
      fn: async () => {
        const database = await openTestDatabase(kind);
        try {
          await fn(database);
        } finally {
          await database.close();
        }
      },
    });
  }
}
