/**
 * Results are also the work queue. A worker claims pending rows in small
 * batches (`FOR UPDATE SKIP LOCKED`, so workers never collide) under a
 * lease (worker id and expiry) that it renews while working; an expired
 * lease returns its row to the pool. A result is written once, in batches
 * (`result_writes.ts`): the write only lands while the writer still holds
 * the lease and no outcome is stored, so a late write from a worker that
 * lost its lease is rejected.
 * Pending rows a run will not work (cancelled, budget spent) are skipped.
 *
 * @example
 * ```ts
 * import { claimResults } from "./queue.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * const claimed = await claimResults(database, { runId, workerId: "w1", limit: 4, leaseMs: 60_000 });
 * ```
 * @module
 */
import {
  and,
  eq,
  inArray,
  isNotNull,
  isNull,
  type SQL,
  sql,
} from "drizzle-orm";
import { type Database, rowsOf } from "../client.ts";
import { cases, results, runs } from "../schema.ts";

/** A claimed row with what running its case needs. */
export interface ClaimedCase {
  resultId: number;
  runId: string;
  caseId: number;
  key: string;
  subset: string | null;
  schema: unknown;
  schemaHash: string;
  prompt: string | null;
  task: (typeof cases.$inferSelect)["task"];
  attempts: number;
  /** Claimed alone on its engine, as one in flight when the engine went down. */
  suspect: boolean;
}

/**
 * Claims up to `limit` pending, unleased (or lease-expired) rows of a run.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * declare const workerId: string;
 * await claimResults(database, { runId, workerId, limit: 2, leaseMs: 30_000 });
 * ```
 */
export async function claimResults(
  database: Database,
  options: {
    runId: string;
    workerId: string;
    limit: number;
    leaseMs: number;
    /** With `targetCap`: the most cases of this target in flight across ALL workers. */
    targetId?: string;
    targetCap?: number;
    /**
     * The run's engine (`runs.engine_key`): while it has suspects (cases in
     * flight when it went down), only one of them is claimed, and only
     * when nothing else is in flight on that engine, whatever the run.
     */
    engineKey?: string;
  },
): Promise<ClaimedCase[]> {
  if (options.limit <= 0) return [];
  const { engineKey } = options;
  const capped = options.targetId !== undefined &&
    options.targetCap !== undefined && options.targetCap > 0;
  const claim = claimStatement(options, capped);
  let rows: ClaimedRow[];
  if (database.kind === "pglite") {
    // PGlite runs one statement at a time for the whole process, and a
    // statement sees one snapshot: the counts and the claim in one
    // statement are already alone, with no lock to take.
    rows = await database.rows<ClaimedRow>(claim);
  } else {
    rows = await database.db.transaction(async (tx) => {
      const locks = [
        // A worker that stalls inside this transaction (a frozen process,
        // a partition) must not hold the target's lock for ever:
        // PostgreSQL ends the transaction after 2 s of idling, and the
        // others go on.
        sql`set_config('idle_in_transaction_session_timeout', '2s', true)`,
        // Always the engine's lock before the target's, so claimers never
        // wait on each other in a circle.
        ...(engineKey
          ? [sql`pg_advisory_xact_lock(hashtext(${`engine:${engineKey}`}))`]
          : []),
        // One claimer per target at a time, so the count stays true.
        ...(capped
          ? [sql`pg_advisory_xact_lock(hashtext(${`target:${options
            .targetId!}`}))`]
          : []),
      ];
      await tx.execute(sql`select ${sql.join(locks, sql`, `)}`);
      // Taken after the locks, so its snapshot sees every earlier claim.
      return rowsOf<ClaimedRow>(await tx.execute(claim));
    });
  }
  return rows.map((row) => ({
    resultId: Number(row.id),
    runId: row.run_id,
    caseId: Number(row.case_id),
    attempts: Number(row.attempts),
    suspect: row.suspect,
    key: row.key,
    subset: row.subset,
    schema: row.schema,
    schemaHash: row.schema_hash,
    prompt: row.prompt,
    task: row.task as ClaimedCase["task"],
  }));
}

/** A claimed row as the raw query returns it. */
interface ClaimedRow {
  id: number | string;
  run_id: string;
  case_id: number | string;
  attempts: number | string;
  suspect: boolean;
  key: string;
  subset: string | null;
  schema: unknown;
  schema_hash: string;
  prompt: string | null;
  task: unknown;
}

/**
 * The claim as one statement: how busy the engine and the target are, how
 * many may be claimed then, the claim, and the claimed cases.
 *
 * - While the engine has suspects (cases in flight when it went down),
 *   one of them, and only when nothing else is in flight on it.
 * - With a cap, no more than the target's free share across all workers.
 */
function claimStatement(
  options: Parameters<typeof claimResults>[1],
  capped: boolean,
): SQL {
  const { engineKey } = options;
  const engineBusy = engineKey
    ? sql`case when exists (
        select 1 from ${results} r join ${runs} u on u.id = r.run_id
        where u.engine_key = ${engineKey} and r.suspect and r.outcome is null
      ) then (
        select count(*)::int from ${results} r join ${runs} u on u.id = r.run_id
        where u.engine_key = ${engineKey} and r.outcome is null
          and r.lease_expires_at > now()
      ) end`
    : sql`null::int`;
  const targetFree = capped
    ? sql`${options.targetCap!}::int - (
        select count(*)::int from ${results} r join ${runs} u on u.id = r.run_id
        where u.target_id = ${options.targetId!} and r.outcome is null
          and r.lease_expires_at > now())`
    : sql`${options.limit}::int`;
  return sql`
    with busy as (
      select ${engineBusy} as engine_busy, ${targetFree} as target_free
    ), quota as (
      select greatest(0, least(
        case when engine_busy is null then ${options.limit}::int
          when engine_busy > 0 then 0 else 1 end,
        target_free)) as n,
        engine_busy is not null as suspects_only
      from busy
    ), claimed as (
      update ${results} set
        lease_owner = ${options.workerId},
        lease_expires_at = now() + (${options.leaseMs} * interval '1 millisecond'),
        attempts = ${results.attempts} + 1
      where ${results.id} in (
        select r.id from ${results} r
        where r.run_id = ${options.runId} and r.outcome is null
          and (r.lease_expires_at is null or r.lease_expires_at < now())
          and (r.suspect or not (select suspects_only from quota))
        order by r.id
        limit (select n from quota)
        for update skip locked
      )
      returning id, run_id, case_id, attempts, suspect
    )
    select c.id, c.run_id, c.case_id, c.attempts, c.suspect,
      k.key, k.subset, k.schema, k.schema_hash, k.prompt, k.task
    from claimed c join ${cases} k on k.id = c.case_id
    order by c.id`;
}

/**
 * Extends the leases a worker holds; returns how many it still holds.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await renewLeases(database, "w1", [1, 2, 3], 60_000);
 * ```
 */
export async function renewLeases(
  database: Database,
  workerId: string,
  resultIds: number[],
  leaseMs: number,
): Promise<number> {
  if (resultIds.length === 0) return 0;
  const rows = await database.db.update(results)
    .set({
      leaseExpiresAt: sql`now() + (${leaseMs} * interval '1 millisecond')`,
    })
    .where(
      and(
        inArray(results.id, resultIds),
        eq(results.leaseOwner, workerId),
        isNull(results.outcome),
      ),
    )
    .returning({ id: results.id });
  return rows.length;
}

/**
 * Gives back leases without a result (a worker stopping).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await releaseLeases(database, "w1", [4, 5]);
 * ```
 */
export async function releaseLeases(
  database: Database,
  workerId: string,
  resultIds: number[],
): Promise<void> {
  if (resultIds.length === 0) return;
  await database.db.update(results).set({
    leaseOwner: null,
    leaseExpiresAt: null,
  })
    .where(
      and(
        inArray(results.id, resultIds),
        eq(results.leaseOwner, workerId),
        isNull(results.outcome),
      ),
    );
}

/**
 * Gives back every lease of a pending case, whoever holds it: for a
 * process that owns its database alone (PGlite, under the data-directory
 * lock), at start-up, so that the cases a dead predecessor held resume at
 * once rather than when their leases expire. Returns how many.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const released = await releaseAllLeases(database);
 * ```
 */
export async function releaseAllLeases(database: Database): Promise<number> {
  const rows = await database.db.update(results).set({
    leaseOwner: null,
    leaseExpiresAt: null,
  }).where(and(isNotNull(results.leaseOwner), isNull(results.outcome)))
    .returning({ id: results.id });
  return rows.length;
}

/**
 * Ends every pending case of a run that no live lease holds as `skipped`
 * (a stopped run: cancelled, or out of budget). Cases in flight under a
 * live lease finish and are written as usual, unless `includeLeased` (a
 * cancel): then they are skipped too, and their workers' late writes are
 * rejected. Returns how many were skipped.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * await skipPending(database, runId, "the run's budget was spent");
 * ```
 */
export async function skipPending(
  database: Database,
  runId: string,
  reason: string,
  options: { includeLeased?: boolean } = {},
): Promise<number> {
  const rows = await database.db.update(results).set({
    outcome: "skipped",
    errorMessage: reason,
    finishedAt: new Date(),
    leaseOwner: null,
    leaseExpiresAt: null,
  }).where(and(
    eq(results.runId, runId),
    isNull(results.outcome),
    options.includeLeased
      ? undefined
      : sql`(${results.leaseExpiresAt} is null or ${results.leaseExpiresAt} < now())`,
  )).returning({ id: results.id });
  return rows.length;
}
