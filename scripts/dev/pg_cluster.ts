/**
 * A throwaway PostgreSQL cluster on 127.0.0.1, from the binaries of an
 * installed PostgreSQL (Debian's `postgresql` package). As root, the server
 * runs as the `postgres` user, since PostgreSQL refuses to run as root.
 *
 * @example
 * ```ts
 * import { findPostgresBin, startCluster } from "./pg_cluster.ts";
 * if (await findPostgresBin()) {
 *   const cluster = await startCluster();
 *   console.log(cluster.url); // postgres://postgres@127.0.0.1:PORT/postgres
 *   await cluster.stop();
 * }
 * ```
 * @module
 */

/** A running cluster. */
export interface Cluster {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/**
 * The folder holding `initdb` and `pg_ctl`, or null when PostgreSQL is not
 * installed. `PG_BIN` overrides the search.
 *
 * @example
 * ```ts
 * await findPostgresBin(); // "/usr/lib/postgresql/15/bin" on Debian 12
 * ```
 */
export async function findPostgresBin(): Promise<string | null> {
  const candidates: string[] = [];
  const fromEnv = Deno.env.get("PG_BIN");
  if (fromEnv) candidates.push(fromEnv);
  try {
    const versions: string[] = [];
    for await (const entry of Deno.readDir("/usr/lib/postgresql")) {
      versions.push(entry.name);
    }
    versions.sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch { /* not a Debian layout */ }
  for (const dir of candidates) {
    try {
      await Deno.stat(`${dir}/initdb`);
      await Deno.stat(`${dir}/pg_ctl`);
      return dir;
    } catch { /* try the next */ }
  }
  return null;
}

async function run(cmd: string[], asPostgres: boolean): Promise<string> {
  const argv = asPostgres ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd;
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd.join(" ")} failed:\n${text}`);
  return text;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Creates and starts a cluster in a temporary folder (trust auth, fsync
 * off: it is for tests only).
 *
 * @example
 * ```ts
 * const { url, stop } = await startCluster();
 * ```
 */
export async function startCluster(bin?: string): Promise<Cluster> {
  const binDir = bin ?? await findPostgresBin();
  if (!binDir) {
    throw new Error("PostgreSQL is not installed (no initdb/pg_ctl found)");
  }
  const asPostgres = Deno.uid() === 0;
  const dir = await Deno.makeTempDir({ prefix: "evalserver-pg-" });
  if (asPostgres) await run(["chown", "postgres:", dir], false);
  const data = `${dir}/data`;
  await run([
    `${binDir}/initdb`,
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ], asPostgres);
  const port = freePort();
  await run([
    `${binDir}/pg_ctl`,
    "-D",
    data,
    "-l",
    `${dir}/server.log`,
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ], asPostgres);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop: async () => {
      try {
        await run(
          [`${binDir}/pg_ctl`, "-D", data, "-m", "fast", "-w", "stop"],
          asPostgres,
        );
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    },
  };
}
