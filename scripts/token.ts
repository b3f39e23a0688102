/**
 * `deno task token`: API tokens, from the command line.
 *
 * ```sh
 * deno task token create --name NAME --scopes read,write[,admin]
 * deno task token list
 * deno task token revoke ID|NAME
 * deno task token rotate ID|NAME
 * ```
 *
 * It works on the database the environment names (`DATABASE_URL`, or
 * PGlite in `DATA_DIR`), or through a running server's admin API: with
 * `--server URL`, or by itself when a server holds `DATA_DIR` (PGlite is
 * one process's database; `holding_server.ts`). The token sent is
 * `EVAL_TOKEN`, else `ADMIN_TOKEN`, else the local admin token file
 * `DATA_DIR/admin.token`; with none, one line says so. A created or rotated token is printed once, on stdout
 * alone, so `TOKEN=$(deno task token create …)` works; only its hash is
 * stored. Exit codes: 0 done, 1 failed, 2 bad arguments.
 *
 * @example
 * ```sh
 * deno task token create --name ci --scopes write
 * deno task token rotate ci
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { parseScopes, type Scope } from "../server/auth/tokens.ts";
import type { Database } from "../server/db/client.ts";
import { DATA_ONLY, openServices } from "../server/boot.ts";
import { DataDirLockedError } from "../server/db/data_dir_lock.ts";
import {
  cliToken,
  HolderError,
  noTokenMessage,
  refusedTokenMessage,
  throughHolder,
} from "./holding_server.ts";
import {
  createToken,
  findLiveTokens,
  listTokens,
  revokeToken,
  rotateToken,
} from "../server/db/queries/tokens.ts";
import { type Env, EnvError, readEnv } from "../server/env.ts";
import { tokenJson } from "../server/routes/tokens.ts";

const USAGE = `usage: deno task token COMMAND [options]

  create --name NAME --scopes S   a new token; S is read, write and/or admin,
                                  comma-separated (admin > write > read)
  list                            names, scopes, creation, last use (never a
                                  token)
  revoke ID|NAME                  the token stops working at once
  rotate ID|NAME                  a new secret under the same id; the old one
                                  stops working

  --server URL    go through that server's admin API; default: the database
                  DATABASE_URL or DATA_DIR names, or the server holding
                  DATA_DIR (token: EVAL_TOKEN, else ADMIN_TOKEN, else
                  DATA_DIR/admin.token)
  --json          print JSON
  -h, --help      this text`;

type TokenView = ReturnType<typeof tokenJson> & { token?: string };

/** The four operations, on the database or through a server. */
interface Backend {
  create(name: string, scopes: Scope[]): Promise<TokenView>;
  list(): Promise<TokenView[]>;
  revoke(ref: string): Promise<TokenView>;
  rotate(ref: string): Promise<TokenView>;
  close(): Promise<void>;
}

class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
    readonly usage = code === 2,
  ) {
    super(message);
  }
}

async function oneLive(database: Database, ref: string) {
  const rows = await findLiveTokens(database, ref);
  if (rows.length === 0) throw new CliError(`no live token "${ref}"`);
  if (rows.length > 1) {
    throw new CliError(
      `${rows.length} live tokens are named "${ref}": give the id (deno task token list)`,
    );
  }
  return rows[0];
}

function checkedEnv(): Env {
  try {
    return readEnv();
  } catch (error) {
    if (error instanceof EnvError) throw new CliError(error.message, 2);
    throw error;
  }
}

async function databaseBackend(): Promise<Backend> {
  const env = checkedEnv();
  let services;
  try {
    services = await openServices(env, DATA_ONLY);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const holder = await throughHolder(error, env.dataDir).catch((why) => {
      if (why instanceof HolderError) throw new CliError(why.message, 2, false);
      // Held by no listening server: the lock's one line, as before.
      console.error(`error: ${why.message}`);
      Deno.exit(1);
    });
    console.error(
      `${env.dataDir} is held by the server at ${holder.url}: going through its API (token from ${holder.from})`,
    );
    return serverBackend(holder.url, holder.token);
  }
  const { database } = services;
  return {
    async create(name, scopes) {
      const { token, row } = await createToken(database, { name, scopes });
      return { ...tokenJson(row), token };
    },
    async list() {
      return (await listTokens(database)).map(tokenJson);
    },
    async revoke(ref) {
      const row = await oneLive(database, ref);
      await revokeToken(database, row.id);
      return { ...tokenJson(row), revoked_at: new Date().toISOString() };
    },
    async rotate(ref) {
      const row = await oneLive(database, ref);
      const rotated = await rotateToken(database, row.id);
      if (!rotated) throw new CliError(`token "${ref}" was revoked meanwhile`);
      return { ...tokenJson(rotated.row), token: rotated.token };
    },
    close: () => services.close(),
  };
}

async function explicitServer(server: string): Promise<Backend> {
  const { dataDir } = checkedEnv();
  const found = await cliToken(dataDir);
  if (!found) throw new CliError(noTokenMessage(server, dataDir), 2, false);
  return serverBackend(server, found.token);
}

function serverBackend(server: string, token: string): Backend {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.replace(/\/+$/, "")}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    }).catch((error) => {
      throw new CliError(`the server at ${server} did not answer: ${error}`);
    });
    const json = await res.json().catch(() => ({}));
    if (res.status === 401 || res.status === 403) {
      throw new CliError(
        refusedTokenMessage(
          server,
          res.status,
          json?.error?.message ?? "no reason given",
        ),
        2,
      );
    }
    if (!res.ok) {
      throw new CliError(
        `${method} ${path}: HTTP ${res.status} ${json?.error?.message ?? ""}`
          .trim(),
      );
    }
    return json;
  };
  const find = async (ref: string): Promise<TokenView> => {
    const { items } = await call("GET", "/api/tokens") as {
      items: TokenView[];
    };
    const live = items.filter((t) =>
      !t.revoked_at && (t.id === ref || t.name === ref)
    );
    if (live.length !== 1) {
      throw new CliError(
        live.length
          ? `${live.length} live tokens are named "${ref}": give the id`
          : `no live token "${ref}"`,
      );
    }
    return live[0];
  };
  return {
    create: (name, scopes) => call("POST", "/api/tokens", { name, scopes }),
    list: async () => (await call("GET", "/api/tokens")).items,
    async revoke(ref) {
      const found = await find(ref);
      await call("POST", `/api/tokens/${found.id}/revoke`, {});
      return { ...found, revoked_at: new Date().toISOString() };
    },
    async rotate(ref) {
      return await call(
        "POST",
        `/api/tokens/${(await find(ref)).id}/rotate`,
        {},
      );
    },
    close: () => Promise.resolve(),
  };
}

function table(rows: TokenView[]): string {
  if (rows.length === 0) return "no tokens";
  const head = ["id", "name", "scopes", "created", "last used", "revoked"];
  const body = rows.map((r) => [
    r.id,
    r.name,
    r.scopes.join(","),
    r.created_at.slice(0, 19),
    r.last_used_at?.slice(0, 19) ?? "never",
    r.revoked_at?.slice(0, 19) ?? "",
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...body.map((row) => row[i].length))
  );
  return [head, ...body].map((row) =>
    row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()
  ).join("\n");
}

/**
 * Runs the CLI with `args`; returns the exit code.
 *
 * @example
 * ```ts
 * Deno.exit(await main(["list"]));
 * ```
 */
export async function main(args: string[]): Promise<number> {
  let backend: Backend | undefined;
  try {
    const { values, positionals } = (() => {
      try {
        return parseArgs({
          args,
          allowPositionals: true,
          options: {
            name: { type: "string" },
            scopes: { type: "string" },
            server: { type: "string" },
            json: { type: "boolean" },
            help: { type: "boolean", short: "h" },
          },
        });
      } catch (error) {
        throw new CliError((error as Error).message, 2);
      }
    })();
    const [command, ref, ...rest] = positionals;
    if (values.help || !command) {
      console.log(USAGE);
      return values.help ? 0 : 2;
    }
    if (rest.length) throw new CliError(`unexpected "${rest.join(" ")}"`, 2);
    const needsRef = command === "revoke" || command === "rotate";
    if (needsRef && !ref) throw new CliError(`${command} needs ID|NAME`, 2);
    let scopes: Scope[] = [];
    if (command === "create") {
      if (!values.name?.trim()) throw new CliError("create needs --name", 2);
      try {
        scopes = parseScopes(values.scopes ?? "");
      } catch (error) {
        throw new CliError(`--scopes: ${(error as Error).message}`, 2);
      }
    } else if (!needsRef && command !== "list") {
      throw new CliError(`unknown command "${command}"`, 2);
    }
    backend = values.server
      ? await explicitServer(values.server)
      : await databaseBackend();
    const print = (view: TokenView) => {
      if (values.json) return console.log(JSON.stringify(view));
      if (view.token) {
        console.error(
          `token "${view.name}" (${view.id}, ${
            view.scopes.join(",")
          }); shown once, keep it now:`,
        );
        console.log(view.token);
      } else console.log(`revoked "${view.name}" (${view.id})`);
    };
    if (command === "create") {
      print(await backend.create(values.name!.trim(), scopes));
    } else if (command === "list") {
      const rows = await backend.list();
      console.log(values.json ? JSON.stringify(rows) : table(rows));
    } else if (command === "revoke") print(await backend.revoke(ref));
    else print(await backend.rotate(ref));
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    console.error(`token: ${error.message}`);
    if (error.usage) console.error(USAGE);
    return error.code;
  } finally {
    await backend?.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
