/**
 * The figures behind `GET /metrics`. `/metrics` is public: runs, results
 * and latency count public runs only, so a private run is not seen there;
 * the queue depth, the workers and the cases in flight are the machine's
 * load and count every run (a number, nothing of what a run is).
 *
 * @example
 * ```ts
 * import { ACTIVE_STATUSES } from "../../runs/status.ts";
import { operationalFigures } from "./metrics.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const figures = await operationalFigures(database);
 * ```
 * @module
 */
import { sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { ACTIVE_STATUSES } from "../../runs/status.ts";

/** Counts for the Prometheus exposition. */
export interface OperationalFigures {
  runsByStatus: { status: string; n: number }[];
  queueDepth: number;
  resultsByOutcome: { outcome: string; n: number }[];
  latencyByTarget: {
    target: string;
    kind: string;
    p50: number | null;
    p90: number | null;
    n: number;
  }[];
  workers: number;
  casesInFlight: number;
}

/**
 * Reads the operational figures (latency over the results of the last hour).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * (await operationalFigures(database)).queueDepth; // 1200
 * ```
 */
export async function operationalFigures(
  database: Database,
): Promise<OperationalFigures> {
  const num = (
    v: unknown,
  ) => (v === null || v === undefined ? null : Number(v));
  const runsByStatus = await database.rows<{ status: string; n: number }>(
    sql`select status, count(*)::int as n from runs where public group by status order by status`,
  );
  const [queue] = await database.rows<{ n: number }>(sql`
    select count(*)::int as n from results r join runs u on u.id = r.run_id
    where r.outcome is null and u.status in (${
    sql.join(ACTIVE_STATUSES.map((s) => sql`${s}`), sql`, `)
  })`);
  const resultsByOutcome = await database.rows<{ outcome: string; n: number }>(
    sql`select r.outcome, count(*)::int as n from results r join runs u on u.id = r.run_id
      where r.outcome is not null and u.public group by r.outcome order by r.outcome`,
  );
  const latency = await database.rows<
    { target: string; kind: string; p50: unknown; p90: unknown; n: number }
  >(sql`
    select t.name as target, t.kind as kind,
      percentile_cont(0.5) within group (order by r.latency_ms) as p50,
      percentile_cont(0.9) within group (order by r.latency_ms) as p90,
      count(*)::int as n
    from results r join runs u on u.id = r.run_id join targets t on t.id = u.target_id
    where r.latency_ms is not null and r.finished_at > now() - interval '1 hour'
      and u.public
    group by t.name, t.kind order by t.name`);
  const [leases] = await database.rows<{ workers: number; cases: number }>(sql`
    select count(distinct lease_owner)::int as workers, count(*)::int as cases
    from results where outcome is null and lease_expires_at > now()`);
  return {
    runsByStatus: runsByStatus.map((r) => ({
      status: r.status,
      n: Number(r.n),
    })),
    queueDepth: Number(queue?.n ?? 0),
    resultsByOutcome: resultsByOutcome.map((r) => ({
      outcome: r.outcome,
      n: Number(r.n),
    })),
    latencyByTarget: latency.map((r) => ({
      target: r.target,
      kind: r.kind,
      p50: num(r.p50),
      p90: num(r.p90),
      n: Number(r.n),
    })),
    workers: Number(leases?.workers ?? 0),
    casesInFlight: Number(leases?.cases ?? 0),
  };
}
