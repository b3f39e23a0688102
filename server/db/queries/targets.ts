/**
 * Targets: operator configuration of one engine, model and mode.
 *
 * @example
 * ```ts
 * import { createTargetRow, getTarget } from "./targets.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const row = await createTargetRow(database, { name: "local", kind: "llamacpp", mode: "json_schema", baseUrl: "http://127.0.0.1:8080" });
 * ```
 * @module
 */
import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { targets } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";

/** A stored target. */
export type TargetRow = typeof targets.$inferSelect;

/** What a new target needs. */
export type NewTarget = typeof targets.$inferInsert;

/** The name is taken by another target. */
export class TargetNameTakenError extends Error {
  /** @param targetName the name asked for */
  constructor(readonly targetName: string) {
    super(`a target named "${targetName}" already exists`);
    this.name = "TargetNameTakenError";
  }
}

/**
 * Stores a new target; throws {@link TargetNameTakenError} on a taken name.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await createTargetRow(database, { name: "x", kind: "llamacpp", mode: "json_schema" });
 * ```
 */
export async function createTargetRow(
  database: Database,
  target: NewTarget,
): Promise<TargetRow> {
  const rows = await database.db.insert(targets).values(target)
    .onConflictDoNothing({ target: targets.name })
    .returning();
  if (!rows[0]) throw new TargetNameTakenError(target.name);
  return rows[0];
}

/**
 * One target by id or by name, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await getTarget(database, "local"); // by name
 * ```
 */
export async function getTarget(
  database: Database,
  idOrName: string,
): Promise<TargetRow | null> {
  const isId = isUuid(idOrName);
  const rows = await database.db.select().from(targets).where(
    isId
      ? or(eq(targets.id, idOrName), eq(targets.name, idOrName))
      : eq(targets.name, idOrName),
  );
  return rows[0] ?? null;
}

/**
 * Targets by name, a page at a time; retired ones only when asked.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await listTargets(database, { limit: 50 });
 * ```
 */
export async function listTargets(
  database: Database,
  options: { limit: number; afterName?: string; retired?: boolean },
): Promise<TargetRow[]> {
  return await database.db.select().from(targets).where(
    and(
      options.retired ? undefined : isNull(targets.retiredAt),
      options.afterName ? gt(targets.name, options.afterName) : undefined,
    ),
  ).orderBy(asc(targets.name)).limit(options.limit);
}

/** What `PATCH /api/targets/:id` may change: nothing a result depends on. */
export interface TargetRename {
  name?: string;
  description?: string | null;
  maxConcurrency?: number | null;
}

/**
 * Changes a target's name, description or `max_concurrency` (what stored results do not
 * depend on); the row after, or null when there is no such target. Throws
 * {@link TargetNameTakenError} on a taken name.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await updateTarget(database, id, { name: "tiny-local" });
 * ```
 */
export async function updateTarget(
  database: Database,
  id: string,
  changes: TargetRename,
): Promise<TargetRow | null> {
  if (!isUuid(id)) return null;
  try {
    const rows = await database.db.update(targets)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(targets.id, id)).returning();
    return rows[0] ?? null;
  } catch (error) {
    if (changes.name !== undefined && isUniqueViolation(error)) {
      throw new TargetNameTakenError(changes.name);
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

/**
 * Retires a target (kept, with its runs; off the lists, the hints and the
 * board), or brings it back with `retired: false`. The row after, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * (await retireTarget(database, id, true))?.retiredAt; // now
 * ```
 */
export async function retireTarget(
  database: Database,
  id: string,
  retired: boolean,
): Promise<TargetRow | null> {
  if (!isUuid(id)) return null;
  const rows = await database.db.update(targets).set({
    retiredAt: retired ? sql`coalesce(${targets.retiredAt}, now())` : null,
    updatedAt: sql`now()`,
  }).where(eq(targets.id, id)).returning();
  return rows[0] ?? null;
}
