/**
 * Runs: creation (with one pending result per case, in one transaction),
 * reads and lists. A run's start, stop and exactly-once finish are
 * `run_lifecycle.ts`.
 *
 * @example
 * ```ts
 * import { createRun } from "./runs.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * declare const targetId: string;
 * import { resolveRunOptions } from "../../runs/options.ts";
 * const options = resolveRunOptions({ limit: 100 }, { mode: "json_schema", params: {} });
 * const run = await createRun(database, { suiteId, targetId, trigger: "api", options, limit: 100 });
 * ```
 * @module
 */
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { RunOptions } from "../../runs/options.ts";
import type { Database } from "../client.ts";
import { cases, results, runs } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";
import { ACTIVE_STATUSES } from "../../runs/status.ts";
import { VALIDATOR_VERSION } from "../../../evaluators/validation/version.ts";

/** A stored run. */
export type RunRow = typeof runs.$inferSelect;

/**
 * Creates a run and its pending result rows (the first `limit` cases by
 * their order in the suite, or all).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * declare const targetId: string;
 * import { resolveRunOptions } from "../../runs/options.ts";
 * const options = resolveRunOptions({ temperature: 0 }, { mode: "json_schema", params: {} });
 * const run = await createRun(database, { suiteId, targetId, trigger: "cli", options });
 * ```
 */
export async function createRun(
  database: Database,
  input: {
    suiteId: string;
    targetId: string;
    trigger: string;
    options: RunOptions;
    public?: boolean;
    /** The API token that asked for it (it may read the run while private). */
    ownerTokenId?: string | null;
    /** The hash of the run's share-link secret. */
    shareTokenHash?: string | null;
    limit?: number;
    /** A schedule's firing: (schedule, time, target) makes at most one run. */
    scheduleId?: string;
    scheduledFor?: Date;
    /** A config matrix's cell: (matrix, cell) makes at most one run. */
    matrix?: { id: string; cell: string };
  },
): Promise<{ run: RunRow; cases: number }> {
  const made = await createRunOnce(database, input);
  if (!made) throw new Error("this schedule firing already made its run");
  return made;
}

/**
 * Like {@link createRun}, but returns null when the same schedule firing
 * already made a run for this target (a unique key in the database decides,
 * so several servers firing together make one run).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const input: Parameters<typeof createRun>[1];
 * declare const scheduleId: string;
 * declare const scheduledFor: Date;
 * await createRunOnce(database, { ...input, scheduleId, scheduledFor }); // null the second time
 * ```
 */
export async function createRunOnce(
  database: Database,
  input: Parameters<typeof createRun>[1],
): Promise<{ run: RunRow; cases: number } | null> {
  return await database.db.transaction(async (tx) => {
    const [run] = await tx.insert(runs).values({
      suiteId: input.suiteId,
      targetId: input.targetId,
      trigger: input.trigger,
      options: input.options,
      validatorVersion: VALIDATOR_VERSION,
      public: input.public ?? false,
      ownerTokenId: input.ownerTokenId ?? null,
      shareTokenHash: input.shareTokenHash ?? null,
      scheduleId: input.scheduleId ?? null,
      scheduledFor: input.scheduledFor ?? null,
      matrixId: input.matrix?.id ?? null,
      matrixCell: input.matrix?.cell ?? null,
    }).onConflictDoNothing().returning();
    if (!run) return null;
    const limit = input.limit ? sql`limit ${input.limit}` : sql``;
    await tx.execute(sql`
      insert into ${results} (run_id, case_id)
      select ${run.id}, ${cases.id} from ${cases}
      where ${cases.suiteId} = ${input.suiteId}
      order by ${cases.ordinal} ${limit}`);
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(
      results,
    )
      .where(eq(results.runId, run.id));
    return { run, cases: Number(n) };
  });
}

/**
 * Whether a schedule still has an unfinished run for a target (a firing
 * then makes no new run: schedules do not pile up).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const scheduleId: string;
 * declare const targetId: string;
 * await scheduleBusy(database, scheduleId, targetId);
 * ```
 */
export async function scheduleBusy(
  database: Database,
  scheduleId: string,
  targetId: string,
): Promise<boolean> {
  const rows = await database.db.select({ id: runs.id }).from(runs).where(and(
    eq(runs.scheduleId, scheduleId),
    eq(runs.targetId, targetId),
    isNull(runs.finishedAt),
  )).limit(1);
  return rows.length > 0;
}

/**
 * One run by id, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await getRun(database, id);
 * ```
 */
export async function getRun(
  database: Database,
  id: string,
): Promise<RunRow | null> {
  if (!isUuid(id)) return null;
  const rows = await database.db.select().from(runs).where(eq(runs.id, id));
  return rows[0] ?? null;
}

/** Filters of the run list. */
export interface RunFilter {
  suiteId?: string;
  targetId?: string;
  status?: string;
  /** Only the cells of this config matrix. */
  matrixId?: string;
  limit: number;
  /** The previous page's last (created_at, id). */
  before?: { createdAt: string; id: string };
  /** Only the runs this viewer may see (public, or its own; all for admin). */
  visibleTo?: { tokenId: string | null; admin: boolean };
}

/**
 * Runs, newest first.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await listRuns(database, { status: "done", limit: 20 });
 * ```
 */
export async function listRuns(
  database: Database,
  filter: RunFilter,
): Promise<RunRow[]> {
  const before = filter.before;
  for (
    const id of [filter.suiteId, filter.targetId, filter.matrixId, before?.id]
  ) {
    if (id && !isUuid(id)) return [];
  }
  if (before && Number.isNaN(Date.parse(before.createdAt))) return [];
  return await database.db.select().from(runs).where(and(
    filter.suiteId ? eq(runs.suiteId, filter.suiteId) : undefined,
    filter.targetId ? eq(runs.targetId, filter.targetId) : undefined,
    filter.status ? eq(runs.status, filter.status) : undefined,
    filter.matrixId ? eq(runs.matrixId, filter.matrixId) : undefined,
    filter.visibleTo && !filter.visibleTo.admin
      ? (filter.visibleTo.tokenId
        ? or(
          eq(runs.public, true),
          eq(runs.ownerTokenId, filter.visibleTo.tokenId),
        )
        : eq(runs.public, true))
      : undefined,
    before
      ? sql`(${runs.createdAt}, ${runs.id}) < (${before.createdAt}::timestamptz, ${before.id}::uuid)`
      : undefined,
  )).orderBy(desc(runs.createdAt), desc(runs.id)).limit(filter.limit);
}

/**
 * How many runs a token has queued or running.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const tokenId: string;
 * declare const tooMany: () => Error;
 * if (await runsInFlight(database, tokenId) >= 4) throw tooMany();
 * ```
 */
export async function runsInFlight(
  database: Database,
  ownerTokenId: string,
): Promise<number> {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` })
    .from(runs).where(and(
      eq(runs.ownerTokenId, ownerTokenId),
      inArray(runs.status, [...ACTIVE_STATUSES]),
    ));
  return Number(row?.n ?? 0);
}

/**
 * Runs that still have work, oldest first.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * for (const run of await activeRuns(database)) console.log(run.id);
 * ```
 */
export async function activeRuns(database: Database): Promise<RunRow[]> {
  return await database.db.select().from(runs).where(
    inArray(runs.status, [...ACTIVE_STATUSES]),
  )
    .orderBy(runs.createdAt);
}

/**
 * The latest finished (`done`) public, full, not hidden run of each target
 * on a suite in one validation mode: the rows a suite's ranking compares.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * const runs = await latestDoneRuns(database, suiteId, "declared");
 * ```
 */
export async function latestDoneRuns(
  database: Database,
  suiteId: string,
  validation: string,
): Promise<RunRow[]> {
  const rows = await database.db.select().from(runs)
    .where(and(
      eq(runs.suiteId, suiteId),
      eq(runs.status, "done"),
      eq(runs.public, true),
      eq(runs.hidden, false),
      eq(runs.partial, false),
      // Ranks compare runs of today's validator only.
      eq(runs.validatorVersion, VALIDATOR_VERSION),
      sql`${runs.options} ->> 'validation' = ${validation}`,
    ))
    .orderBy(desc(runs.finishedAt), desc(runs.id));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.targetId) && seen.add(r.targetId));
}

/**
 * Replaces a run's stored options (linking the two runs of a quality pair).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * import type { RunOptions } from "../../runs/options.ts";
 * declare const options: RunOptions;
 * declare const other: string;
 * await setRunOptions(database, id, { ...options, pair_run_id: other });
 * ```
 */
export async function setRunOptions(
  database: Database,
  id: string,
  options: RunOptions,
): Promise<void> {
  await database.db.update(runs).set({ options }).where(eq(runs.id, id));
}
