/**
 * What the database says of a chaos scenario's run: the figures it is
 * judged by (from the results and the audit trigger of `pg.ts`), a cheap
 * progress poll, snapshots of its results, who holds its leases, and where
 * a client's sessions stand (inside a transaction, holding or waiting for
 * a lock).
 *
 * @example
 * ```ts
 * import { leaseHolders, runFigures } from "./pg_figures.ts";
 * declare const url: string;
 * declare const runId: string;
 * console.log(await leaseHolders(url, runId)); // { "worker-1": 4 }
 * const figures = await runFigures(url, runId);
 * ```
 * @module
 */
import type postgres from "postgres";
import { connect } from "./pg.ts";

/**
 * What a scenario is judged by, for one run.
 *
 * @example
 * ```ts
 * declare const url: string;
 * declare const runId: string;
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
 * declare const url: string;
 * declare const runId: string;
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
 * import type postgres from "postgres";
 * declare const sql: postgres.Sql;
 * declare const runId: string;
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
 * declare const url: string;
 * declare const runId: string;
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
 * declare const url: string;
 * declare const runId: string;
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
 * How many outcomes each lease holder wrote in a run, per the audit trigger
 * (skips written by a cancel count under the holder of the lease they ended).
 *
 * @example
 * ```ts
 * declare const url: string;
 * declare const runId: string;
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
 * declare const url: string;
 * declare const runId: string;
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
 * import postgres from "postgres";
 * declare const url: string;
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
 * import type postgres from "postgres";
 * declare const sql: postgres.Sql;
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
