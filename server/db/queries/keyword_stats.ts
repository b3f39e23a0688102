/**
 * The stored keyword tallies of finished runs (`run_keyword_stats`), the
 * keyword matrix's only source: written once when a run finishes, and by
 * an idempotent start-up backfill for runs finished before the table
 * existed, so `/keywords` never reads results. A run's results are read
 * a page at a time (with each case's schema and the schema actually sent,
 * for the format values and what the adapt step dropped).
 *
 * @example
 * ```ts
 * import { backfillKeywordStats, keywordStatsOf } from "./keyword_stats.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runIds: string[];
 * await backfillKeywordStats(database);
 * const stats = await keywordStatsOf(database, runIds);
 * ```
 * @module
 */
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import {
  addToTally,
  type KeywordResult,
  type KeywordTally,
} from "../../../evaluators/metrics/keyword_matrix.ts";
import { schemaKeywords } from "../../../evaluators/validation/keywords.ts";
import type { Database } from "../client.ts";
import { cases, results, runKeywordStats, runs } from "../schema.ts";

/** Results read per query while tallying a run. */
const PAGE = 500;

async function* keywordResults(
  database: Database,
  runId: string,
): AsyncGenerator<KeywordResult> {
  let after = 0;
  for (;;) {
    const page = await database.db.select({
      id: results.id,
      outcome: results.outcome,
      failingKeywords: results.failingKeywords,
      sentSchema: results.sentSchema,
      schema: cases.schema,
    }).from(results).innerJoin(cases, eq(cases.id, results.caseId))
      .where(and(eq(results.runId, runId), gt(results.id, after)))
      .orderBy(asc(results.id)).limit(PAGE);
    for (const row of page) {
      yield {
        outcome: row.outcome,
        keywords: schemaKeywords(row.schema),
        failingKeywords: row.failingKeywords,
        sentKeywords: row.sentSchema === null || row.sentSchema === undefined
          ? null
          : schemaKeywords(row.sentSchema),
      };
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1].id;
  }
}

/**
 * Tallies a run's results per keyword and stores the tally, unless one is
 * stored already (two processes may race: the first write stands, and
 * both computed the same). True when this call wrote it.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await storeKeywordStats(database, "2b1c…");
 * ```
 */
export async function storeKeywordStats(
  database: Database,
  runId: string,
): Promise<boolean> {
  const stats: Record<string, KeywordTally> = {};
  for await (const r of keywordResults(database, runId)) addToTally(stats, r);
  const written = await database.db.insert(runKeywordStats)
    .values({ runId, stats }).onConflictDoNothing()
    .returning({ runId: runKeywordStats.runId });
  return written.length === 1;
}

/**
 * Stores the tally of every finished run that has none (runs finished
 * before tallies were kept, or whose finish was interrupted before it);
 * returns how many it wrote. Idempotent: a second call writes nothing.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await backfillKeywordStats(database); // 0 once every run has one
 * ```
 */
export async function backfillKeywordStats(
  database: Database,
): Promise<number> {
  const missing = await database.rows<{ id: string }>(sql`
    select ${runs.id} as id from ${runs}
    where ${runs.finishedAt} is not null
      and not exists (select 1 from ${runKeywordStats}
        where ${runKeywordStats.runId} = ${runs.id})
    order by ${runs.finishedAt}`);
  let written = 0;
  for (const { id } of missing) {
    if (await storeKeywordStats(database, id)) written++;
  }
  return written;
}

/**
 * The stored tallies of these runs, by run id (a run without one is left
 * out).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const stats = await keywordStatsOf(database, ["2b1c…"]);
 * stats.get("2b1c…")?.pattern?.violations;
 * ```
 */
export async function keywordStatsOf(
  database: Database,
  runIds: readonly string[],
): Promise<Map<string, Record<string, KeywordTally>>> {
  if (runIds.length === 0) return new Map();
  const rows = await database.db.select().from(runKeywordStats)
    .where(inArray(runKeywordStats.runId, [...runIds]));
  return new Map(rows.map((r) => [r.runId, r.stats]));
}
