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
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
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
  const rows = await database.db.transaction(async (tx) => {
    if (database.kind === "postgres") {
      // A worker that stalls inside this transaction (a frozen process, a
      // partition) must not hold the target's lock for ever: PostgreSQL
      // ends the transaction after 2 s of idling, and the others go on.
      await tx.execute(
        sql`set local idle_in_transaction_session_timeout = '2s'`,
      );
    }
    let limit = options.limit;
    let suspectsOnly = false;
    if (options.engineKey) {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtext(${`engine:${options.engineKey}`}))`,
      );
      const suspects = rowsOf(
        await tx.execute(sql`
          select 1 from ${results} r join ${runs} u on u.id = r.run_id
          where u.engine_key = ${options.engineKey} and r.suspect and r.outcome is null
          limit 1`),
      );
      if (suspects.length > 0) {
        const [{ n }] = rowsOf<{ n: number | string }>(
          await tx.execute(sql`
            select count(*)::int as n from ${results} r join ${runs} u on u.id = r.run_id
            where u.engine_key = ${options.engineKey} and r.outcome is null
              and r.lease_expires_at > now()`),
        );
        if (Number(n) > 0) return [];
        suspectsOnly = true;
        limit = 1;
      }
    }
    if (options.targetId && options.targetCap) {
      // One claimer per target at a time, so the count below stays true.
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtext(${`target:${options.targetId}`}))`,
      );
      const [{ n }] = rowsOf<{ n: number | string }>(
        await tx.execute(sql`
          select count(*)::int as n from ${results} r join ${runs} u on u.id = r.run_id
          where u.target_id = ${options.targetId} and r.outcome is null and r.lease_expires_at > now()`),
      );
      limit = Math.min(limit, options.targetCap - Number(n));
      if (limit <= 0) return [];
    }
    return rowsOf<{ id: number | string }>(
      await tx.execute(sql`
        update ${results} set
          lease_owner = ${options.workerId},
          lease_expires_at = now() + (${options.leaseMs} * interval '1 millisecond'),
          attempts = ${results.attempts} + 1
        where ${results.id} in (
          select r.id from ${results} r
          where r.run_id = ${options.runId} and r.outcome is null
            and (r.lease_expires_at is null or r.lease_expires_at < now())
            ${suspectsOnly ? sql`and r.suspect` : sql``}
          order by r.id
          limit ${limit}
          for update skip locked
        )
        returning ${results.id} as id`),
    );
  });
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  const claimed = await database.db.select({
    resultId: results.id,
    runId: results.runId,
    caseId: results.caseId,
    attempts: results.attempts,
    suspect: results.suspect,
    key: cases.key,
    subset: cases.subset,
    schema: cases.schema,
    schemaHash: cases.schemaHash,
    prompt: cases.prompt,
    task: cases.task,
  }).from(results).innerJoin(cases, eq(cases.id, results.caseId)).where(
    inArray(results.id, ids),
  )
    .orderBy(asc(results.id));
  return claimed;
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
