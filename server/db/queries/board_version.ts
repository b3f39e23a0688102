/**
 * The board's data version: a fingerprint of everything the leaderboard
 * shows, cheap to read, so a rendered board is kept while it stays the
 * same (`server/board/cache.ts` decides when to read it again).
 *
 * @example
 * ```ts
 * import { boardVersion } from "./board_version.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const version = await boardVersion(database);
 * ```
 * @module
 */
import { sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { runs, suites, targets } from "../schema.ts";

/**
 * A fingerprint of everything the leaderboard shows (runs: how many, the
 * latest finish, which are hidden or public; targets: how many, the
 * latest change; suites: how many, for the filter and the empty board):
 * while it stays the same, a rendered board is still
 * right. One small aggregate query, much cheaper than the board.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const version = await boardVersion(database); // "102|2025-01-01T…|3|…"
 * ```
 */
export async function boardVersion(database: Database): Promise<string> {
  const [row] = await database.rows<Record<string, unknown>>(sql`
    select count(*)::text as n,
      coalesce(max(${runs.finishedAt})::text, '') as finished,
      count(*) filter (where ${runs.hidden})::text as hidden,
      coalesce(sum(hashtext(${runs.id}::text)::bigint)
        filter (where ${runs.hidden}), 0)::text as hidden_ids,
      count(*) filter (where ${runs.public})::text as public,
      coalesce(sum(hashtext(${runs.id}::text)::bigint)
        filter (where ${runs.public}), 0)::text as public_ids,
      (select count(*)::text || '|' || coalesce(max(${targets.updatedAt})::text, '')
        from ${targets}) as targets,
      (select count(*)::text || '|' || count(${suites.retiredAt})::text || '|'
        || coalesce(max(${suites.retiredAt})::text, '') from ${suites}) as suites
    from ${runs}`);
  return Object.values(row ?? {}).join("|");
}
