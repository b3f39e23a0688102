/**
 * Databases for tests, on both backends the product supports:
 * - PGlite, in memory, restored from one migrated snapshot. The snapshot is
 *   built once and kept in `.cache/pglite/`, named by a hash of the
 *   migrations (and of the PGlite version), so every test process restores
 *   it (about a second) instead of migrating (about ten); a new migration
 *   builds a new one. It is written to a temporary file and renamed, so test
 *   processes running in parallel never read half a file;
 * - a real PostgreSQL when `TEST_DATABASE_URL` names one (`deno task test`
 *   and `.ci/run` start a throwaway cluster when PostgreSQL is installed):
 *   every test gets a fresh database copied from a migrated template, and
 *   drops it when closed.
 *
 * `dbTest` registers one test per backend in `TEST_BACKENDS` (a comma list,
 * default `pglite,postgres`; `deno task test` runs the PGlite leg and
 * `deno task test:e2e` the PostgreSQL one). The PostgreSQL test is marked
 * ignored, with the reason printed once, when no server is available, and
 * fails instead under `CI=true`.
 *
 * @example
 * ```ts
 * import { dbTest } from "./database.ts";
 * import assert from "node:assert/strict";
 * dbTest("the database answers", async (database) => {
 *   assert.equal(typeof database.kind, "string");
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
import { needsTest } from "../../evaluators/testing/missing.ts";

const REPO = new URL("../../", import.meta.url);
const SNAPSHOT_DIR = new URL(".cache/pglite/", REPO);
const MIGRATIONS_DIR = new URL("migrations/", REPO);

let pgliteSnapshot: Promise<Blob> | undefined;
let template: Promise<string> | undefined;

/**
 * The real-PostgreSQL URL for tests, or undefined.
 *
 * @example
 * ```ts
 * import { TEST_DATABASE_URL } from "./database.ts";
 * console.log(TEST_DATABASE_URL ? "PostgreSQL leg on" : "PGlite only");
 * ```
 */
export const TEST_DATABASE_URL = Deno.env.get("TEST_DATABASE_URL") || undefined;

/**
 * The backends `dbTest` registers tests for: `TEST_BACKENDS`, a comma list
 * of `pglite` and `postgres` (default both).
 *
 * @example
 * ```ts
 * import { TEST_BACKENDS } from "./database.ts";
 * console.log(TEST_BACKENDS.join(", ")); // "pglite, postgres"
 * ```
 */
export const TEST_BACKENDS: readonly DatabaseKind[] = backends(
  Deno.env.get("TEST_BACKENDS"),
);

function backends(value: string | undefined): DatabaseKind[] {
  if (!value) return ["pglite", "postgres"];
  const kinds = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const kind of kinds) {
    if (kind !== "pglite" && kind !== "postgres") {
      throw new Error(`TEST_BACKENDS: unknown backend ${JSON.stringify(kind)}`);
    }
  }
  return kinds as DatabaseKind[];
}

async function filesUnder(dir: URL, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      names.push(
        ...await filesUnder(new URL(`${entry.name}/`, dir), `${name}/`),
      );
    } else if (entry.isFile) names.push(name);
  }
  return names;
}

/** A hash of every migration file (names and contents) and of the PGlite version. */
async function migrationsKey(): Promise<string> {
  const parts: string[] = [];
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", REPO)),
  ) as { imports?: Record<string, string> };
  parts.push(config.imports?.["@electric-sql/pglite"] ?? "");
  for (const name of (await filesUnder(MIGRATIONS_DIR)).sort()) {
    parts.push(name, await Deno.readTextFile(new URL(name, MIGRATIONS_DIR)));
  }
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(parts.join("\0")),
  );
  return Array.from(new Uint8Array(digest).slice(0, 8))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function buildSnapshot(): Promise<Uint8Array> {
  const database = await openDatabase({ memory: true });
  await migrateDatabase(database);
  const dump = await database.pglite!.dumpDataDir("none");
  await database.close();
  return new Uint8Array(await dump.arrayBuffer());
}

/**
 * The file of the migrated PGlite snapshot, built and written when it is
 * missing (`deno task test` calls this once before the test processes
 * start, so they only read it).
 *
 * @example
 * ```ts
 * import { pgliteSnapshotFile } from "./database.ts";
 * const file = await pgliteSnapshotFile(); // .cache/pglite/snapshot-<hash>.tar
 * console.log(file.pathname);
 * ```
 */
export async function pgliteSnapshotFile(): Promise<URL> {
  const name = `snapshot-${await migrationsKey()}.tar`;
  const file = new URL(name, SNAPSHOT_DIR);
  try {
    await Deno.stat(file);
    return file;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const bytes = await buildSnapshot();
  await Deno.mkdir(SNAPSHOT_DIR, { recursive: true });
  const temporary = new URL(
    `${name}.${Deno.pid}.${crypto.randomUUID()}.tmp`,
    SNAPSHOT_DIR,
  );
  await Deno.writeFile(temporary, bytes);
  await Deno.rename(temporary, file);
  // Snapshots of older migrations are of no further use.
  for await (const entry of Deno.readDir(SNAPSHOT_DIR)) {
    if (/^snapshot-[0-9a-f]+\.tar$/.test(entry.name) && entry.name !== name) {
      await Deno.remove(new URL(entry.name, SNAPSHOT_DIR)).catch(() => {});
    }
  }
  return file;
}

async function snapshot(): Promise<Blob> {
  const file = await pgliteSnapshotFile();
  return new Blob([await Deno.readFile(file)]);
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
  // Unique: the files of a `--parallel` run share one process (one pid).
  const name = `evalserver_template_${crypto.randomUUID().replaceAll("-", "")}`;
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
 * import { openTestDatabase } from "./database.ts";
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

const POSTGRES_MISSING =
  "real-PostgreSQL tests: TEST_DATABASE_URL is not set (deno task test:e2e sets it when PostgreSQL is installed)";

/**
 * Registers a test of its own on the real PostgreSQL of
 * `TEST_DATABASE_URL` (its name should end in `[postgres]`): only when
 * {@link TEST_BACKENDS} has `postgres`, and ignored (a failure under
 * `CI=true`) when no server is given.
 *
 * @example
 * ```ts
 * import { postgresTest, TEST_DATABASE_URL } from "./database.ts";
 * postgresTest({
 *   name: "the server answers [postgres]",
 *   fn: () => console.log(new URL(TEST_DATABASE_URL!).port),
 * });
 * ```
 */
export function postgresTest(definition: Deno.TestDefinition): void {
  if (!TEST_BACKENDS.includes("postgres")) return;
  needsTest(definition, TEST_DATABASE_URL ? undefined : POSTGRES_MISSING);
}

/** What a database test may add to its registration. */
export interface DbTestOptions {
  /**
   * Why the test cannot run on this machine (say, no llama-server), or
   * undefined: the test is then ignored, or fails under `CI=true`.
   */
  missing?: string;
}

/**
 * Registers `fn` as one test per backend in {@link TEST_BACKENDS}, each
 * with its own fresh database. The PostgreSQL test is ignored when
 * `TEST_DATABASE_URL` is not set (a failure under `CI=true`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dbTest } from "./database.ts";
 * dbTest("the database answers", async (database) => {
 *   assert.ok(["pglite", "postgres"].includes(database.kind));
 * });
 * ```
 */
export function dbTest(
  name: string,
  fn: (database: Database) => Promise<void>,
  options: DbTestOptions = {},
): void {
  for (const kind of TEST_BACKENDS) {
    const missing = options.missing ??
      (kind === "postgres" && !TEST_DATABASE_URL
        ? POSTGRES_MISSING
        : undefined);
    needsTest({
      name: `${name} [${kind}]`,
      fn: async () => {
        const database = await openTestDatabase(kind);
        try {
          await fn(database);
        } finally {
          await database.close();
        }
      },
    }, missing);
  }
}
