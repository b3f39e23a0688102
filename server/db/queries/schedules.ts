/**
 * Schedules: a cron expression that enqueues public runs of one suite on
 * targets.
 *
 * @example
 * ```ts
 * import { createSchedule, listSchedules } from "./schedules.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * declare const targetId: string;
 * await createSchedule(database, { cron: "0 3 * * *", suiteId, targetIds: [targetId] });
 * ```
 * @module
 */
import { and, asc, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { schedules } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";

/** A stored schedule. */
export type ScheduleRow = typeof schedules.$inferSelect;

/** What a new schedule needs. */
export type NewSchedule = typeof schedules.$inferInsert;

/**
 * Stores a schedule.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * declare const targetIds: string[];
 * await createSchedule(database, { cron: "*\/5 * * * *", suiteId, targetIds });
 * ```
 */
export async function createSchedule(
  database: Database,
  schedule: NewSchedule,
): Promise<ScheduleRow> {
  const [row] = await database.db.insert(schedules).values(schedule)
    .returning();
  return row;
}

/**
 * One schedule, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await getSchedule(database, id);
 * ```
 */
export async function getSchedule(
  database: Database,
  id: string,
): Promise<ScheduleRow | null> {
  if (!isUuid(id)) return null;
  const rows = await database.db.select().from(schedules).where(
    eq(schedules.id, id),
  );
  return rows[0] ?? null;
}

/**
 * One schedule by name, or null (the schedules file upserts by name).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await scheduleByName(database, "nightly");
 * ```
 */
export async function scheduleByName(
  database: Database,
  name: string,
): Promise<ScheduleRow | null> {
  const rows = await database.db.select().from(schedules).where(
    eq(schedules.name, name),
  ).limit(1);
  return rows[0] ?? null;
}

/**
 * Schedules, oldest first, a page at a time.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await listSchedules(database, { limit: 50 });
 * ```
 */
export async function listSchedules(
  database: Database,
  options: {
    limit: number;
    after?: { createdAt: string; id: string };
    enabledOnly?: boolean;
  },
): Promise<ScheduleRow[]> {
  const after = options.after;
  return await database.db.select().from(schedules).where(and(
    options.enabledOnly ? eq(schedules.enabled, true) : undefined,
    after
      ? or(
        gt(schedules.createdAt, new Date(after.createdAt)),
        and(
          eq(schedules.createdAt, new Date(after.createdAt)),
          gt(schedules.id, after.id),
        ),
      )
      : undefined,
  )).orderBy(asc(schedules.createdAt), asc(schedules.id)).limit(options.limit);
}

/**
 * Changes a schedule; returns the new row, or null when there is none.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await updateSchedule(database, id, { enabled: false });
 * ```
 */
export async function updateSchedule(
  database: Database,
  id: string,
  changes: Partial<NewSchedule>,
): Promise<ScheduleRow | null> {
  if (!isUuid(id)) return null;
  const rows = await database.db.update(schedules).set(changes).where(
    eq(schedules.id, id),
  ).returning();
  return rows[0] ?? null;
}

/**
 * Deletes a schedule (its runs stay); false when there was none.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await deleteSchedule(database, id);
 * ```
 */
export async function deleteSchedule(
  database: Database,
  id: string,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await database.db.delete(schedules).where(eq(schedules.id, id))
    .returning({ id: schedules.id });
  return rows.length === 1;
}

/**
 * Records a firing: `last_fired_at` only moves forward (several servers may
 * record the same firing).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const fireTime: Date;
 * declare const id: string;
 * await markFired(database, id, fireTime);
 * ```
 */
export async function markFired(
  database: Database,
  id: string,
  at: Date,
): Promise<void> {
  await database.db.update(schedules).set({ lastFiredAt: at }).where(and(
    eq(schedules.id, id),
    or(sql`${schedules.lastFiredAt} is null`, lt(schedules.lastFiredAt, at)),
  ));
}
