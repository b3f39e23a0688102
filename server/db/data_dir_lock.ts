/**
 * One owner per PGlite data directory. The process that opens `DATA_DIR`
 * takes an operating-system lock on `DATA_DIR/server.lock`
 * (`Deno.FsFile.tryLock`: it dies with its process, so no stale lock is
 * ever left, and a restarted container with the same pid is no owner) and
 * writes who it is to `DATA_DIR/owner.json` (pid, entry point, since when,
 * and the server's URL once it listens). A second process refuses with
 * one line that names the holder.
 *
 * @example
 * ```ts
 * import { lockDataDir } from "./data_dir_lock.ts";
 * const lock = await lockDataDir("./data"); // throws DataDirLockedError when held
 * await lock.describe({ url: "http://127.0.0.1:8000" });
 * lock.release();
 * ```
 * @module
 */
import { join } from "node:path";

/** Who holds a data directory, as `owner.json` says. */
export interface DataDirOwner {
  pid: number;
  /** The entry point (`server/main.ts`, `scripts/import.ts`, …). */
  command: string;
  since: string;
  /** The server's URL, once it listens. */
  url: string | null;
}

/** Another process holds the data directory. */
export class DataDirLockedError extends Error {
  /** @param dataDir the directory @param owner what its owner wrote, if readable */
  constructor(readonly dataDir: string, readonly owner: DataDirOwner | null) {
    const who = owner
      ? `pid ${owner.pid} (${owner.command}${
        owner.url ? `, serving ${owner.url}` : ""
      }, since ${owner.since})`
      : "another process";
    super(
      `DATA_DIR ${dataDir} is in use by ${who}: PGlite allows one process; stop it first${
        owner?.url ? `, or go through it (--server ${owner.url})` : ""
      }`,
    );
    this.name = "DataDirLockedError";
  }
}

/** A held lock. */
export interface DataDirLock {
  /** Records more about the owner (its URL once it listens). */
  describe(more: { url: string }): Promise<void>;
  /** Gives the directory up (closing the lock file releases the OS lock). */
  release(): void;
}

function entryPoint(): string {
  const parts = new URL(Deno.mainModule).pathname.split("/");
  return parts.slice(-2).join("/");
}

async function readOwner(dataDir: string): Promise<DataDirOwner | null> {
  try {
    const text = await Deno.readTextFile(join(dataDir, "owner.json"));
    const owner = JSON.parse(text.slice(0, 4096)) as DataDirOwner;
    return typeof owner?.pid === "number" ? owner : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock of `dataDir` (created when missing), or throws
 * {@link DataDirLockedError}. A lock file left by a process that died is
 * simply taken over: its OS lock died with it.
 *
 * @example
 * ```ts
 * const lock = await lockDataDir("./data");
 * lock.release();
 * ```
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await Deno.mkdir(dataDir, { recursive: true });
  const file = await Deno.open(join(dataDir, "server.lock"), {
    read: true,
    write: true,
    create: true,
  });
  let held = false;
  try {
    held = await file.tryLock(true);
  } catch {
    held = false;
  }
  if (!held) {
    file.close();
    throw new DataDirLockedError(dataDir, await readOwner(dataDir));
  }
  const owner: DataDirOwner = {
    pid: Deno.pid,
    command: entryPoint(),
    since: new Date().toISOString(),
    url: null,
  };
  const write = () =>
    Deno.writeTextFile(
      join(dataDir, "owner.json"),
      JSON.stringify(owner) + "\n",
    );
  await write();
  let released = false;
  return {
    async describe(more) {
      owner.url = more.url;
      if (!released) await write();
    },
    release() {
      if (released) return;
      released = true;
      try {
        file.close();
      } catch { /* already closed */ }
    },
  };
}
