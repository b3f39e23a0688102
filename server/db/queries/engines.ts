/**
 * Engine outages, shared by every worker: which engines are down (one row
 * per engine key in `engine_states`), and the cases that were in flight
 * when one went down (`results.suspect`). `server/worker/engine_watch.ts`
 * decides what to do with them; `claimResults` keeps suspects alone.
 *
 * @example
 * ```ts
 * import { downEngines, markEngineDown, markEngineUp } from "./engines.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await markEngineDown(database, "http://127.0.0.1:8080");
 * (await downEngines(database)).has("http://127.0.0.1:8080"); // true
 * await markEngineUp(database, "http://127.0.0.1:8080");
 * ```
 * @module
 */
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { engineStates, results } from "../schema.ts";

/**
 * The engines found down, with the time each was found so.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * for (const [key, since] of await downEngines(database)) console.log(key, since);
 * ```
 */
export async function downEngines(
  database: Database,
): Promise<Map<string, Date>> {
  const rows = await database.db.select({
    key: engineStates.engineKey,
    since: engineStates.downSince,
  }).from(engineStates).where(isNotNull(engineStates.downSince));
  return new Map(rows.map((r) => [r.key, r.since!]));
}

/**
 * Records an engine as down (the first worker to see it sets the time).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await markEngineDown(database, "http://127.0.0.1:8080");
 * ```
 */
export async function markEngineDown(
  database: Database,
  engineKey: string,
): Promise<void> {
  await database.db.insert(engineStates).values({
    engineKey,
    downSince: new Date(),
    probedAt: new Date(),
  }).onConflictDoUpdate({
    target: engineStates.engineKey,
    set: {
      downSince: sql`coalesce(${engineStates.downSince}, now())`,
      probedAt: sql`now()`,
      updatedAt: sql`now()`,
    },
  });
}

/**
 * Records an engine as answering again.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await markEngineUp(database, "http://127.0.0.1:8080");
 * ```
 */
export async function markEngineUp(
  database: Database,
  engineKey: string,
): Promise<void> {
  await database.db.update(engineStates).set({
    downSince: null,
    probedAt: new Date(),
    updatedAt: new Date(),
  }).where(eq(engineStates.engineKey, engineKey));
}

/**
 * Hands a case back unwritten because its engine went down: the lease is
 * released (its attempt not counted), and with `suspect` the case is
 * marked as one that was in flight then, to be retried alone.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await handBack(database, 42, "w1", { suspect: true });
 * ```
 */
export async function handBack(
  database: Database,
  resultId: number,
  workerId: string,
  options: { suspect: boolean },
): Promise<void> {
  await database.db.update(results).set({
    leaseOwner: null,
    leaseExpiresAt: null,
    attempts: sql`greatest(${results.attempts} - 1, 0)`,
    ...(options.suspect ? { suspect: true } : {}),
  }).where(and(
    eq(results.id, resultId),
    eq(results.leaseOwner, workerId),
    isNull(results.outcome),
  ));
}
