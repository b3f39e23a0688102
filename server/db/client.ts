/**
 * One database handle for both backends: embedded PGlite (no `DATABASE_URL`)
 * or a real PostgreSQL through `postgres`. Everything above this file sees
 * one drizzle type, {@link Db}, and {@link Database.rows} hides the one
 * place where the two drivers differ (the shape of a raw `execute`).
 *
 * @example
 * ```ts
 * import { openDatabase } from "./client.ts";
 * import { sql } from "drizzle-orm";
 * const database = await openDatabase({ memory: true });
 * const rows = await database.rows<{ one: number }>(sql`select 1 as one`);
 * await database.close();
 * ```
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { type DataDirLock, lockDataDir } from "./data_dir_lock.ts";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.ts";
import type { InitAnswer, InitRequest } from "./pglite_init_worker.ts";

/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Which engine holds the data. */
export type DatabaseKind = "pglite" | "postgres";

/** An open database: the drizzle handle plus what differs by driver. */
export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Runs raw SQL and returns its rows, on either driver. */
  rows<T>(query: SQL): Promise<T[]>;
  /** Closes the connection(s); always await it, PGlite keeps the process alive. */
  close(): Promise<void>;
  /** The PGlite instance, for snapshots in tests; absent on PostgreSQL. */
  pglite?: PGlite;
  /** The PostgreSQL URL (for a dedicated connection, such as the migration lock). */
  url?: string;
  /** PGlite in a data directory: this process's lock on it (`data_dir_lock.ts`). */
  dataDirLock?: DataDirLock;
}

/** How to open a database. */
export interface OpenOptions {
  /** A PostgreSQL URL; when set, PGlite options are ignored. */
  url?: string;
  /** PGlite's data directory; created when missing. */
  dataDir?: string;
  /** An in-memory PGlite (tests). */
  memory?: boolean;
  /** A PGlite data-directory dump to start from (tests share one migrated copy). */
  loadDataDir?: Blob | File;
  /** The most connections to PostgreSQL (default 10). */
  maxConnections?: number;
}

/**
 * PGlite's start-up parameters: its defaults, and `shared_buffers` of
 * 16 MB instead of PostgreSQL's 128 MB. PGlite touches all of its shared
 * buffers when it starts, so they are resident from the first second (130
 * MB of an idle server's memory); the files underneath are read through
 * the operating system's page cache anyway, and the board and reports are
 * cached above the database.
 *
 * @example
 * ```ts
 * PGLITE_START_PARAMS.includes("shared_buffers=16MB"); // true
 * ```
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  "-c",
  "shared_buffers=16MB",
];

/**
 * Runs initdb in a throwaway worker when `dataDir` holds no database yet
 * (`./pglite_init_worker.ts`: what initdb leaves in memory goes with that
 * isolate; a first start of the server idles at some 220 MB, not 680).
 * Resolves at once when the database exists.
 *
 * @example
 * ```ts
 * await initDataDir("./data");
 * ```
 */
export async function initDataDir(dataDir: string): Promise<void> {
  try {
    await Deno.stat(`${dataDir}/PG_VERSION`);
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const worker = new Worker(
    new URL("./pglite_init_worker.ts", import.meta.url),
    { type: "module", name: "pglite-initdb" },
  );
  try {
    const answer = await new Promise<InitAnswer>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<InitAnswer>) =>
        resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`initdb worker: ${event.message}`));
      };
      const request: InitRequest = {
        dataDir,
        startParams: [...PGLITE_START_PARAMS],
      };
      worker.postMessage(request);
    });
    if (!answer.ok) throw new Error(`initdb failed: ${answer.message}`);
  } finally {
    worker.terminate();
  }
}

/**
 * The rows of a raw `execute` result, whichever driver produced it
 * (postgres-js gives an array, PGlite `{ rows }`): for raw SQL inside a
 * transaction.
 *
 * @example
 * ```ts
 * import { sql } from "drizzle-orm";
 * import type { Database } from "./client.ts";
 * declare const tx: Database["db"];
 * const rows = rowsOf<{ n: number }>(await tx.execute(sql`select 1 as n`));
 * ```
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return [...result] as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * Opens PostgreSQL when `url` is given, PGlite otherwise.
 *
 * @example
 * ```ts
 * const database = await openDatabase({ url: Deno.env.get("DATABASE_URL") });
 * ```
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      url: options.url,
      rows: async <T>(query: SQL) => rowsOf<T>(await db.execute(query)),
      close: () => client.end({ timeout: 5 }),
    };
  }
  // One process per data directory: a second one refuses before PGlite
  // touches the files (DataDirLockedError names the holder).
  const lock = !options.memory && options.dataDir
    ? await lockDataDir(options.dataDir)
    : undefined;
  let pglite: PGlite;
  try {
    if (lock && options.dataDir && !options.loadDataDir) {
      await initDataDir(options.dataDir);
    }
    pglite = await PGlite.create({
      dataDir: options.memory ? undefined : options.dataDir,
      loadDataDir: options.loadDataDir,
      startParams: [...PGLITE_START_PARAMS],
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite,
    dataDirLock: lock,
    rows: async <T>(query: SQL) => rowsOf<T>(await db.execute(query)),
    close: async () => {
      try {
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
