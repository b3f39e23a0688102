/**
 * The one write of finished cases, many at a time: every result of a
 * batch lands in one statement (an `update … from
 * json_populate_recordset(…)`), each only while its writer still holds
 * the lease and no outcome is stored. A late write from a worker that lost
 * its lease is rejected row by row; the rest of the batch lands. The
 * statement is atomic: a process killed during it leaves either every row
 * of the batch written or none (their leases expire, another worker runs
 * them again).
 *
 * The columns written are whatever the writes carry: any column of
 * `results` (one added later rides along with no change here). Keys that
 * are not columns are ignored, as drizzle's own `update` ignores them.
 *
 * @example
 * ```ts
 * import { writeResults } from "./result_writes.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const landed = await writeResults(database, "w1", [
 *   { resultId: 1, write: { outcome: "valid", rawOutput: "{}" } },
 * ]);
 * landed.has(1); // true unless the lease was lost
 * ```
 * @module
 */
import { getTableColumns, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { results } from "../schema.ts";
import { storable } from "../storable.ts";

/** The columns a finished case writes. */
export type ResultWrite =
  & Omit<
    Partial<typeof results.$inferInsert>,
    | "id"
    | "runId"
    | "caseId"
    | "leaseOwner"
    | "leaseExpiresAt"
    | "createdAt"
    | "finishedAt"
  >
  & { outcome: string };

/**
 * One result to write: its row and what it holds.
 *
 * @example
 * ```ts
 * import type { PendingWrite } from "./result_writes.ts";
 * const w: PendingWrite = { resultId: 7, write: { outcome: "invalid_json" } };
 * ```
 */
export interface PendingWrite {
  resultId: number;
  write: ResultWrite;
}

/** Column names by property, for the writable columns only. */
const WRITABLE: ReadonlyMap<string, string> = new Map(
  Object.entries(getTableColumns(results))
    .filter(([key]) =>
      ![
        "id",
        "runId",
        "caseId",
        "leaseOwner",
        "leaseExpiresAt",
        "createdAt",
        "finishedAt",
      ].includes(key)
    )
    .map(([key, column]) => [key, column.name]),
);

/**
 * Writes a batch of results, each once, only while `workerId` holds its
 * lease; returns the ids that landed (a missing id: the lease was lost, or
 * a result exists). Writes with the same columns share one statement.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const landed = await writeResults(database, "w1", [
 *   { resultId: 4, write: { outcome: "valid" } },
 *   { resultId: 5, write: { outcome: "schema_violation" } },
 * ]);
 * landed.size; // 2
 * ```
 */
export async function writeResults(
  database: Database,
  workerId: string,
  writes: readonly PendingWrite[],
): Promise<Set<number>> {
  const landed = new Set<number>();
  const groups = new Map<string, PendingWrite[]>();
  for (const pending of writes) {
    const keys = Object.keys(pending.write).filter((key) =>
      WRITABLE.has(key) &&
      (pending.write as Record<string, unknown>)[key] !== undefined
    ).sort().join(",");
    const group = groups.get(keys) ?? [];
    group.push(pending);
    groups.set(keys, group);
  }
  for (const [joined, group] of groups) {
    const names = joined.split(",").map((key) => [key, WRITABLE.get(key)!]);
    const rows = group.map(({ resultId, write }) => {
      const row: Record<string, unknown> = { id: resultId };
      const values = write as Record<string, unknown>;
      for (const [key, name] of names) row[name] = values[key];
      return row;
    });
    const assignments = names.map(([, name]) =>
      sql`${sql.identifier(name)} = v.${sql.identifier(name)}`
    );
    // An engine may send what PostgreSQL cannot hold (NUL, lone
    // surrogates): replaced, so the write never fails on the answer.
    const batch = JSON.stringify(storable(rows));
    const written = await database.rows<{ id: number | string }>(sql`
      update ${results} as r set
        ${sql.join([...assignments, sql``], sql`, `)}
        lease_owner = null,
        lease_expires_at = null,
        finished_at = now()
      from json_populate_recordset(null::results, ${batch}::json) as v
      where r.id = v.id and r.lease_owner = ${workerId} and r.outcome is null
      returning r.id`);
    for (const { id } of written) landed.add(Number(id));
  }
  return landed;
}

/**
 * Writes one result, as {@link writeResults} does a batch. Returns false
 * when the write was rejected (the lease was lost, or a result exists).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const resultId: number;
 * const ok = await writeResult(database, resultId, "w1", { outcome: "valid", rawOutput: "{}" });
 * ```
 */
export async function writeResult(
  database: Database,
  resultId: number,
  workerId: string,
  write: ResultWrite,
): Promise<boolean> {
  const landed = await writeResults(database, workerId, [{ resultId, write }]);
  return landed.has(resultId);
}
