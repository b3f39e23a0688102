/**
 * PostgreSQL for `scripts/chaos/main.ts`: one database per scenario, an audit
 * trigger that records every outcome written (and every change to a row
 * that already had one), the figures a scenario is judged by, snapshots of
 * a run's results, and a stop-and-start of the throwaway cluster of
 * `scripts/dev/pg_cluster.ts` on the same port.
 *
 * @example
 * ```ts
 * import { createDatabase, dropDatabase, runFigures } from "./pg.ts";
 * const url = await createDatabase("postgres://postgres@127.0.0.1:5432/postgres", "chaos_demo");
 * // ... start a server on url, make a run ...
 * console.log(await runFigures(url, runId));
 * await dropDatabase("postgres://postgres@127.0.0.1:5432/postgres", "chaos_demo");
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

function connect(url: string): postgres.Sql {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
}

/**
 * Creates database `name` (dropping one of that name first) on the server
 * that `adminUrl` reaches, and returns its URL.
 *
 * @example
 * ```ts
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
 * What a scenario is judged by, for one run.
 *
 * @example
 * ```ts
 * const f: RunFigures = await runFigures(url, runId);
 * f.stored === f.expected && f.lost === 0;
 * ```
 */
export interface RunFigures {
  /** The suite's cases (each must end with exactly one outcome). */
  expected: number;
  /** Result rows of the run with an outcome. */
  stored: number;
  /** Cases with more than one result row in the run. */
  duplicates: number;
  /** Cases without an outcome. */
  lost: number;
  /** Result rows claimed more than once (`attempts > 1`). */
  rerun: number;
  /** Outcomes written (null → outcome), per the audit trigger. */
  writes: number;
  /** Updates of a row that already had an outcome, per the audit trigger. */
  overwrites: number;
  /** Result rows still under a lease. */
  leased: number;
  /** The run's status. */
  status: string;
  /** Whether the run has its finish time. */
  finished: boolean;
  /** Seconds from the run's start to its finish (or now). */
  seconds: number | null;
  /** Outcome counts. */
  outcomes: Record<string, number>;
}

/**
 * Reads the figures of a run straight from the database.
 *
 * @example
 * ```ts
 * const figures = await runFigures(url, runId);
 * console.log(figures.stored, figures.status);
 * ```
 */
export async function runFigures(
  url: string,
  runId: string,
): Promise<RunFigures> {
  const sql = connect(url);
  try {
    const [row] = await sql`
      select
        (select count(*)::int from cases c where c.suite_id = u.suite_id) as expected,
        (select count(*)::int from results r where r.run_id = u.id and r.outcome is not null) as stored,
        (select count(*)::int from (
          select case_id from results r where r.run_id = u.id
          group by case_id having count(*) > 1) d) as duplicates,
        (select count(*)::int from cases c where c.suite_id = u.suite_id and not exists (
          select 1 from results r where r.run_id = u.id and r.case_id = c.id
            and r.outcome is not null)) as lost,
        (select count(*)::int from results r where r.run_id = u.id and r.attempts > 1) as rerun,
        (select count(*)::int from results r where r.run_id = u.id
          and r.outcome is null and r.lease_expires_at > now()) as leased,
        (select count(*)::int from chaos_audit a where a.run_id = u.id::text
          and a.old_outcome is null and a.new_outcome is not null) as writes,
        (select count(*)::int from chaos_audit a where a.run_id = u.id::text
          and a.old_outcome is not null) as overwrites,
        (select coalesce(json_object_agg(o, n), '{}'::json) from (
          select outcome as o, count(*)::int as n from results r
          where r.run_id = u.id and r.outcome is not null group by outcome) x) as outcomes,
        u.status, u.finished_at is not null as finished,
        extract(epoch from (coalesce(u.finished_at, now()) - u.started_at))::float8 as seconds
      from runs u where u.id = ${runId}`;
    if (!row) throw new Error(`no run ${runId}`);
    return {
      expected: Number(row.expected),
      stored: Number(row.stored),
      duplicates: Number(row.duplicates),
      lost: Number(row.lost),
      rerun: Number(row.rerun),
      leased: Number(row.leased),
      writes: Number(row.writes),
      overwrites: Number(row.overwrites),
      outcomes: row.outcomes as Record<string, number>,
      status: String(row.status),
      finished: Boolean(row.finished),
      seconds: row.seconds === null ? null : Number(row.seconds),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * How many results of a run have an outcome, and its status (a cheap poll).
 *
 * @example
 * ```ts
 * const { stored, status } = await runProgress(sql, runId);
 * ```
 */
export async function runProgress(
  sql: postgres.Sql,
  runId: string,
): Promise<{ stored: number; status: string; finished: boolean }> {
  const [row] = await sql`
    select status, finished_at is not null as finished,
      (select count(*)::int from results r where r.run_id = u.id and r.outcome is not null) as stored
    from runs u where u.id = ${runId}`;
  if (!row) throw new Error(`no run ${runId}`);
  return {
    stored: Number(row.stored),
    status: String(row.status),
    finished: Boolean(row.finished),
  };
}

/**
 * Every result row of a run, each as its full JSON text, by row id: two
 * snapshots are equal only if no column of any row changed.
 *
 * @example
 * ```ts
 * const before = await snapshotResults(url, runId);
 * ```
 */
export async function snapshotResults(
  url: string,
  runId: string,
): Promise<Map<number, string>> {
  const sql = connect(url);
  try {
    const rows = await sql`
      select r.id, row_to_json(r)::text as json from results r
      where r.run_id = ${runId} order by r.id`;
    return new Map(rows.map((r) => [Number(r.id), String(r.json)]));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Who holds leases on a run's pending results now, and how many each.
 *
 * @example
 * ```ts
 * await leaseHolders(url, runId); // { "worker-1": 4, "worker-2": 3 }
 * ```
 */
export async function leaseHolders(
  url: string,
  runId: string,
): Promise<Record<string, number>> {
  const sql = connect(url);
  try {
    const rows = await sql`
      select lease_owner as owner, count(*)::int as n from results
      where run_id = ${runId} and outcome is null and lease_expires_at > now()
      group by lease_owner`;
    return Object.fromEntries(rows.map((r) => [String(r.owner), Number(r.n)]));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A cluster started by `scripts/dev/pg_cluster.ts`, as far as a restart needs it.
 *
 * @example
 * ```ts
 * const where: ClusterPlace = { binDir: "/usr/lib/postgresql/15/bin", dir: cluster.dir, port: cluster.port };
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
 * const downMs = await restartPostgres({ binDir, dir: cluster.dir, port: cluster.port }, 2000);
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

/**
 * How many outcomes each lease holder wrote in a run, per the audit trigger
 * (skips written by a cancel count under the holder of the lease they ended).
 *
 * @example
 * ```ts
 * await writesByWriter(url, runId); // { "worker-1": 151, "worker-2": 149 }
 * ```
 */
export async function writesByWriter(
  url: string,
  runId: string,
): Promise<Record<string, number>> {
  const sql = connect(url);
  try {
    const rows = await sql`
      select coalesce(writer, '(no lease)') as writer, count(*)::int as n
      from chaos_audit where run_id = ${runId}
        and old_outcome is null and new_outcome is not null
      group by 1 order by 1`;
    return Object.fromEntries(rows.map((r) => [String(r.writer), Number(r.n)]));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * The ids of a run's pending results whose lease names `owner` (live or
 * expired: an expired lease keeps its owner until another worker claims
 * the row).
 *
 * @example
 * ```ts
 * const ids = await rowsHeldBy(url, runId, "worker-2"); // [101, 102, 104]
 * ```
 */
export async function rowsHeldBy(
  url: string,
  runId: string,
  owner: string,
): Promise<number[]> {
  const sql = connect(url);
  try {
    const rows = await sql`
      select id from results
      where run_id = ${runId} and outcome is null and lease_owner = ${owner}
      order by id`;
    return rows.map((r) => Number(r.id));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Where the sessions of one client (by `application_name`, which a child
 * gets from `PGAPPNAME`) stand: how many are inside a transaction without
 * running a statement (what a frozen client mid-transaction looks like),
 * and how many advisory locks they hold.
 *
 * @example
 * ```ts
 * const sql = postgres(url, { max: 1 });
 * const { inTransaction, advisoryLocks } = await sessionState(sql, "worker-1");
 * ```
 */
export async function sessionState(
  sql: postgres.Sql,
  applicationName: string,
): Promise<{ inTransaction: number; advisoryLocks: number }> {
  const [row] = await sql`
    select
      (select count(*)::int from pg_stat_activity a
        where a.application_name = ${applicationName}
          and a.state like 'idle in transaction%') as in_transaction,
      (select count(*)::int from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where a.application_name = ${applicationName}
          and l.locktype = 'advisory' and l.granted) as advisory_locks`;
  return {
    inTransaction: Number(row.in_transaction),
    advisoryLocks: Number(row.advisory_locks),
  };
}

/**
 * The clients (by `application_name`) with a session waiting for a lock
 * now, each with what it waits for.
 *
 * @example
 * ```ts
 * await lockWaiters(sql); // [{ name: "worker-2", waitEvent: "advisory", query: "select pg_advisory_xact_lock(…)" }]
 * ```
 */
export async function lockWaiters(
  sql: postgres.Sql,
): Promise<{ name: string; waitEvent: string; query: string }[]> {
  const rows = await sql`
    select application_name, wait_event, left(query, 80) as query
    from pg_stat_activity
    where wait_event_type = 'Lock' and application_name <> ''
    order by application_name`;
  return rows.map((r) => ({
    name: String(r.application_name),
    waitEvent: String(r.wait_event),
    query: String(r.query).replace(/\s+/g, " "),
  }));
}
