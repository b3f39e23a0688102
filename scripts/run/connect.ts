/**
 * How `deno task run` reaches its database and its engines: the backend
 * (the server named by `--server`, else one answering on `$PORT`, else the
 * embedded database, else the server holding it), the token for a server,
 * and the check that a llama-server answers before anything is stored.
 *
 * @example
 * ```ts
 * import { pickBackend, reachable } from "./connect.ts";
 * import { readEnv } from "../../server/env.ts";
 * const backend = await pickBackend(undefined, readEnv());
 * await reachable("http://127.0.0.1:8080", 10_000);
 * await backend.close();
 * ```
 * @module
 */
import { type Env, EnvError, readEnv } from "../../server/env.ts";
import { DataDirLockedError } from "../../server/db/data_dir_lock.ts";
import {
  cliToken,
  HolderError,
  noTokenMessage,
  throughHolder,
} from "../holding_server.ts";
import { badArgument, CliError } from "./args.ts";
import type { Backend } from "./backend.ts";
import { embeddedBackend } from "./embedded.ts";
import { healthy, serverBackend } from "./remote.ts";

/** The token for `server`, or exit 2 with the one line that names them. */
async function tokenFor(server: string, env: Env): Promise<string> {
  const found = await cliToken(env.dataDir);
  if (!found) throw new CliError(noTokenMessage(server, env.dataDir), 2);
  return found.token;
}

/**
 * The environment and the backend a CLI run goes through
 * ({@link pickBackend}), said on stderr: a bad variable is a usage error
 * (exit 2).
 *
 * @example
 * ```ts
 * const { env, backend } = await openBackend(undefined);
 * backend.label; // "the embedded database in ./data", …
 * ```
 */
export async function openBackend(
  server: string | undefined,
): Promise<{ env: Env; backend: Backend }> {
  let env: Env;
  try {
    env = readEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      throw new CliError(`configuration error: ${error.message}`, 2);
    }
    throw error;
  }
  const backend = await pickBackend(server, env);
  console.error(`using ${backend.label}`);
  return { env, backend };
}

/**
 * The server named by `server` (`--server`), else one on `$PORT`, else
 * the embedded database, else (it is held) the server holding it.
 *
 * @example
 * ```ts
 * import type { Env } from "../../server/env.ts";
 * declare const env: Env;
 * const backend = await pickBackend("http://127.0.0.1:8000", env);
 * backend.label; // "the server at http://127.0.0.1:8000 (--server), through its API"
 * ```
 */
export async function pickBackend(
  server: string | undefined,
  env: Env,
): Promise<Backend> {
  if (server) {
    const status = await healthy(server, 5000);
    if (status !== 200) {
      throw badArgument(
        `--server ${server}: GET /api/health answered ${
          status === null ? "nothing" : `HTTP ${status}`
        }`,
      );
    }
    return serverBackend(server, "--server", await tokenFor(server, env));
  }
  const local = `http://127.0.0.1:${env.port}`;
  const status = await healthy(local, 1000);
  if (status === 200) {
    return serverBackend(
      local,
      "it answers /api/health",
      await tokenFor(local, env),
    );
  }
  if (status !== null) {
    console.error(
      `note: ${local}/api/health answered HTTP ${status}; not using that server`,
    );
  }
  try {
    return await embeddedBackend(env, local);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const holder = await throughHolder(error, env.dataDir).catch((why) => {
      throw why instanceof HolderError ? new CliError(why.message, 2) : why;
    });
    return serverBackend(
      holder.url,
      `it holds ${env.dataDir}; token from ${holder.from}`,
      holder.token,
    );
  }
}

/**
 * Throws (exit 2) unless a llama-server answers at `base` within `waitMs`
 * (`--engine-wait`), asked every half second.
 *
 * @example
 * ```ts
 * await reachable("http://127.0.0.1:8080", 10_000); // throws CliError (code 2) when none answers
 * ```
 */
export async function reachable(base: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let asked = 0;; asked++) {
    try {
      const res = await fetch(`${base}/health`, {
        signal: AbortSignal.timeout(5000),
      });
      await res.body?.cancel();
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new CliError(
          `no llama-server answers at ${base}${
            asked ? ` (waited ${Math.round(waitMs / 1000)} s)` : ""
          }: ${(error as Error).message}`,
          2,
        );
      }
      if (asked === 0) {
        console.error(
          `waiting up to ${
            Math.round(waitMs / 1000)
          } s for a llama-server at ${base}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
