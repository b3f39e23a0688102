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
import { and, asc, eq, gt, or } from "drizzle-orm";
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
 * Targets by name, a page at a time.
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
  options: { limit: number; afterName?: string },
): Promise<TargetRow[]> {
  return await database.db.select().from(targets).where(
    and(
      eq(targets.archived, false),
      options.afterName ? gt(targets.name, options.afterName) : undefined,
    ),
  ).orderBy(asc(targets.name)).limit(options.limit);
}
