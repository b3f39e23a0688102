/**
 * CLIs beside a running server: when the PGlite data directory a CLI
 * would open is held by a server (its `owner.json` names the URL it
 * listens on), the CLI sends its work through that server's API instead
 * of refusing, so what it makes is the server's at once. The token it
 * sends is {@link cliToken}'s: `EVAL_TOKEN`, else `ADMIN_TOKEN`, else the
 * local admin token file the server wrote (`DATA_DIR/admin.token`).
 *
 * @example
 * ```ts
 * import { DataDirLockedError } from "../server/db/data_dir_lock.ts";
 * import { throughHolder } from "./holding_server.ts";
 * declare const error: DataDirLockedError;
 * const holder = await throughHolder(error, "./data");
 * console.error(`going through ${holder.url} (token from ${holder.from})`);
 * ```
 * @module
 */
import type { DataDirLockedError } from "../server/db/data_dir_lock.ts";
import {
  localAdminTokenPath,
  readLocalAdminToken,
} from "../server/auth/local_admin_token.ts";

/** A token for a server, and where it came from. */
export interface CliToken {
  token: string;
  /** `EVAL_TOKEN`, `ADMIN_TOKEN`, or the file's path. */
  from: string;
}

/** The server that holds a data directory, and the token to send it. */
export interface Holder extends CliToken {
  /** Where to reach it from this machine, no trailing slash. */
  url: string;
}

/** Why a CLI cannot go through the holding server: one line, exit 2. */
export class HolderError extends Error {
  /** @param message one line that says what to set */
  constructor(message: string) {
    super(message);
    this.name = "HolderError";
  }
}

/**
 * The token a CLI sends to a server: `EVAL_TOKEN`, else `ADMIN_TOKEN`,
 * else the local admin token file of `dataDir`; null when there is none.
 *
 * @example
 * ```ts
 * const found = await cliToken("./data");
 * if (found) console.error(`token from ${found.from}`);
 * ```
 */
export async function cliToken(dataDir: string): Promise<CliToken | null> {
  for (const name of ["EVAL_TOKEN", "ADMIN_TOKEN"]) {
    const token = Deno.env.get(name)?.trim();
    if (token) return { token, from: name };
  }
  const token = await readLocalAdminToken(dataDir);
  return token ? { token, from: localAdminTokenPath(dataDir) } : null;
}

/**
 * The one line for a CLI that found no token for `server`.
 *
 * @example
 * ```ts
 * noTokenMessage("http://127.0.0.1:8000", "./data");
 * // "the server at http://127.0.0.1:8000 needs a token: set EVAL_TOKEN (or ADMIN_TOKEN), …"
 * ```
 */
export function noTokenMessage(server: string, dataDir: string): string {
  return `the server at ${server} needs a token: set EVAL_TOKEN (or ADMIN_TOKEN), or let that server write ${
    localAdminTokenPath(dataDir)
  } (it does when started without ADMIN_TOKEN and with no token stored)`;
}

/**
 * The one line for a CLI whose token a server refused (401 or 403): what
 * the server said, and which variables to set.
 *
 * @example
 * ```ts
 * refusedTokenMessage("http://127.0.0.1:8000", 401, "the token is not valid");
 * // "the server at http://127.0.0.1:8000 refused the token (HTTP 401: the token is not valid): set EVAL_TOKEN …"
 * ```
 */
export function refusedTokenMessage(
  server: string,
  status: number,
  said: string,
): string {
  return `the server at ${server} refused the token (HTTP ${status}: ${said}): set EVAL_TOKEN to a token with the scope it needs (write for runs and imports; admin for URL targets and tokens), or ADMIN_TOKEN; on the server's own machine the CLIs also read its DATA_DIR/admin.token`;
}

/**
 * A listening address as a client reaches it: the wildcard addresses
 * (`0.0.0.0`, `[::]`) are this machine's loopback.
 *
 * @example
 * ```ts
 * reachableUrl("http://0.0.0.0:8000"); // "http://127.0.0.1:8000"
 * reachableUrl("http://[::]:8000"); // "http://[::1]:8000"
 * ```
 */
export function reachableUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname === "0.0.0.0") parsed.hostname = "127.0.0.1";
  if (parsed.hostname === "[::]") parsed.hostname = "[::1]";
  return parsed.origin;
}

/**
 * The server to go through for a data directory `error` says is held:
 * rethrows `error` when its holder is no listening server (another CLI, or
 * a server not yet listening), throws {@link HolderError} when there is no
 * token for it.
 *
 * @example
 * ```ts
 * import { DataDirLockedError } from "../server/db/data_dir_lock.ts";
 * declare const error: DataDirLockedError;
 * const { url, token } = await throughHolder(error, "./data");
 * ```
 */
export async function throughHolder(
  error: DataDirLockedError,
  dataDir: string,
): Promise<Holder> {
  if (!error.owner?.url) throw error;
  const url = reachableUrl(error.owner.url);
  const found = await cliToken(dataDir);
  if (!found) throw new HolderError(noTokenMessage(url, dataDir));
  return { url, ...found };
}
