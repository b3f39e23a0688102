/**
 * The local admin token: a server on a PGlite data directory, started
 * without `ADMIN_TOKEN` and with no token stored, creates an admin token
 * (stored as any other, named `local-admin`: listed, revocable, rotatable)
 * and writes it to `DATA_DIR/admin.token`, readable by its owner only
 * (mode 0600). The CLIs on the same machine (`deno task token`, `import`,
 * `run`) use it when `EVAL_TOKEN` and `ADMIN_TOKEN` are unset, so a
 * newcomer gets a first token without reading about tokens.
 *
 * @example
 * ```ts
 * import { ensureLocalAdminToken, readLocalAdminToken } from "./local_admin_token.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const said = await ensureLocalAdminToken(database, { dataDir: "./data" });
 * if (said) console.log(said);
 * const token = await readLocalAdminToken("./data"); // "seb_…" or null
 * ```
 * @module
 */
import { join } from "node:path";
import type { Database } from "../db/client.ts";
import { createToken, findToken, listTokens } from "../db/queries/tokens.ts";
import { hashToken } from "./tokens.ts";

/** The file's name inside `DATA_DIR`. */
export const LOCAL_ADMIN_TOKEN_FILE = "admin.token";

/** The name the created token is stored under. */
export const LOCAL_ADMIN_TOKEN_NAME = "local-admin";

/**
 * Where the local admin token of `dataDir` lives.
 *
 * @example
 * ```ts
 * localAdminTokenPath("./data"); // "data/admin.token"
 * ```
 */
export function localAdminTokenPath(dataDir: string): string {
  return join(dataDir, LOCAL_ADMIN_TOKEN_FILE);
}

/**
 * The token in `dataDir`'s file, or null when there is none (or it is
 * unreadable, or does not look like a token).
 *
 * @example
 * ```ts
 * const token = await readLocalAdminToken("./data");
 * ```
 */
export async function readLocalAdminToken(
  dataDir: string,
): Promise<string | null> {
  try {
    const file = await Deno.open(localAdminTokenPath(dataDir));
    try {
      const buffer = new Uint8Array(256);
      const read = (await file.read(buffer)) ?? 0;
      const token = new TextDecoder().decode(buffer.subarray(0, read)).trim();
      return /^seb_[A-Za-z0-9_-]{20,200}$/.test(token) ? token : null;
    } finally {
      file.close();
    }
  } catch {
    return null;
  }
}

/**
 * On a PGlite data directory (no `databaseUrl`) without `adminToken`:
 * when no token is stored, creates the local admin token and writes its
 * file (mode 0600); when the file holds a live token, leaves it. Answers
 * the start-up line that says where the file is, or null when there is no
 * file to speak of.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await ensureLocalAdminToken(database, { dataDir: "./data" });
 * // "admin token for the CLIs on this machine written to data/admin.token (mode 0600)"
 * ```
 */
export async function ensureLocalAdminToken(
  database: Database,
  env: { dataDir: string; databaseUrl?: string; adminToken?: string },
): Promise<string | null> {
  if (env.databaseUrl || env.adminToken) return null;
  const path = localAdminTokenPath(env.dataDir);
  const existing = await readLocalAdminToken(env.dataDir);
  if (existing && await findToken(database, hashToken(existing))) {
    return `admin token for the CLIs on this machine: ${path}`;
  }
  if ((await listTokens(database)).length > 0) return null;
  const { token } = await createToken(database, {
    name: LOCAL_ADMIN_TOKEN_NAME,
    scopes: ["admin"],
  });
  await Deno.remove(path).catch(() => {});
  const file = await Deno.open(path, {
    write: true,
    createNew: true,
    mode: 0o600,
  });
  try {
    await file.write(new TextEncoder().encode(token + "\n"));
  } finally {
    file.close();
  }
  await Deno.chmod(path, 0o600);
  return `admin token for the CLIs on this machine written to ${path} (mode 0600; token "${LOCAL_ADMIN_TOKEN_NAME}")`;
}
