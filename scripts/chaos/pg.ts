/**
 * PostgreSQL for the chaos scenarios: one database per scenario, an audit
 * trigger that records every outcome written (and every change to a row
 * that already had one), and a stop-and-start of the throwaway cluster of
 * `scripts/dev/pg_cluster.ts` on the same port. What the database says of
 * a run is in `pg_figures.ts`.
 *
 * @example
 * ```ts
 * import { createDatabase, dropDatabase, installAudit } from "./pg.ts";
 * import { runFigures } from "./pg_figures.ts";
 * const adminUrl = "postgres://postgres@127.0.0.1:5432/postgres";
 * const url = await createDatabase(adminUrl, "chaos_demo");
 * // start a server on url (it applies the migrations), then:
 * await installAudit(url);
 * // make a run, then:
 * declare const runId: string;
 * console.log(await runFigures(url, runId));
 * await dropDatabase(adminUrl, "chaos_demo");
 * ```
 * @module
 */
import postgres from "postgres";

/**
 * The URL of database `name` on the server of `url`.
 *
 * @example
 * ```ts
 * databaseUrl("postgres://u@127.0.0.1:5432/postgres", "chaos_x"); // "postgres://u@127.0.0.1:5432/chaos_x"
 * ```
 */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * One connection to `url` (notices dropped, a 10 s connect timeout); the
 * caller ends it.
 *
 * @example
 * ```ts
 * const sql = connect("postgres://postgres@127.0.0.1:5432/chaos_demo");
 * try {
 *   await sql`select 1`;
 * } finally {
 *   await sql.end({ timeout: 5 });
 * }
 * ```
 */
export function connect(url: string): postgres.Sql {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
}

/**
 * Creates database `name` (dropping one of that name first) on the server
 * that `adminUrl` reaches, and returns its URL.
 *
 * @example
 * ```ts
 * declare const adminUrl: string;
 * const url = await createDatabase(adminUrl, "chaos_worker_kill");
 * ```
 */
export async function createDatabase(
  adminUrl: string,
  name: string,
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`not a plain database name: ${name}`);
  }
  const sql = connect(adminUrl);
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return databaseUrl(adminUrl, name);
}

/**
 * Drops database `name`, closing its connections first.
 *
 * @example
 * ```ts
 * declare const adminUrl: string;
 * await dropDatabase(adminUrl, "chaos_worker_kill");
 * ```
 */
export async function dropDatabase(
  adminUrl: string,
  name: string,
): Promise<void> {
  const sql = connect(adminUrl);
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Installs, in a migrated database, a trigger on `results` that logs to
 * `chaos_audit` every update that stores an outcome, and every update of a
 * row that already had one (an overwrite, which must never happen).
 *
 * @example
 * ```ts
 * declare const url: string;
 * await installAudit(url); // after the server has applied the migrations
 * ```
 */
export async function installAudit(url: string): Promise<void> {
  const sql = connect(url);
  try {
    await sql.unsafe(`
      create table if not exists chaos_audit (
        id bigserial primary key,
        result_id bigint not null,
        run_id text not null,
        old_outcome text,
        new_outcome text,
        writer text,
        at timestamptz not null default clock_timestamp()
      );
      create or replace function chaos_audit_fn() returns trigger
      language plpgsql as $$
      begin
        if old.outcome is not null or new.outcome is not null then
          insert into chaos_audit (result_id, run_id, old_outcome, new_outcome, writer)
          values (new.id, new.run_id::text, old.outcome, new.outcome, old.lease_owner);
        end if;
        return new;
      end $$;
      drop trigger if exists chaos_audit on results;
      create trigger chaos_audit after update on results
        for each row execute function chaos_audit_fn();
    `);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A cluster started by `scripts/dev/pg_cluster.ts`, as far as a restart needs it.
 *
 * @example
 * ```ts
 * import { findPostgresBin, startCluster } from "../dev/pg_cluster.ts";
 * const binDir = (await findPostgresBin())!;
 * const cluster = await startCluster(binDir);
 * const where: ClusterPlace = { binDir, dir: cluster.dir, port: cluster.port };
 * ```
 */
export interface ClusterPlace {
  /** The folder holding `pg_ctl`. */
  binDir: string;
  /** The cluster's folder (`data/` and `server.log` inside). */
  dir: string;
  /** Its port. */
  port: number;
}

async function pgCtl(args: string[]): Promise<void> {
  const asPostgres = Deno.uid() === 0;
  const argv = asPostgres ? ["runuser", "-u", "postgres", "--", ...args] : args;
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    throw new Error(`${args.join(" ")} failed:\n${text}`);
  }
}

/**
 * Stops the cluster (`pg_ctl stop -m fast`: every connection is cut), keeps
 * it down for `downMs`, and starts it again on the same port with the
 * options `startCluster()` uses. Runs `pg_ctl` as the `postgres` user when
 * root. Resolves with the milliseconds it was down.
 *
 * @example
 * ```ts
 * declare const where: ClusterPlace;
 * const downMs = await restartPostgres(where, 2000);
 * ```
 */
export async function restartPostgres(
  place: ClusterPlace,
  downMs: number,
): Promise<number> {
  const data = `${place.dir}/data`;
  const started = Date.now();
  await pgCtl([
    `${place.binDir}/pg_ctl`,
    "-D",
    data,
    "-m",
    "fast",
    "-w",
    "stop",
  ]);
  await new Promise((resolve) => setTimeout(resolve, downMs));
  await pgCtl([
    `${place.binDir}/pg_ctl`,
    "-D",
    data,
    "-l",
    `${place.dir}/server.log`,
    "-w",
    "-o",
    `-p ${place.port} -k ${place.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ]);
  return Date.now() - started;
}
