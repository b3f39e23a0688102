/**
 * The start-up backfill of a quality run's accuracy: finished runs stored
 * before the worker kept it (their summary has no `accuracy`) get it from
 * their results' verdicts, so the board, its downloads and the run page
 * show it as they do for new runs. Idempotent: a run that has an accuracy
 * is never touched again, and two processes starting at once write the
 * same value.
 *
 * @example
 * ```ts
 * import { backfillAccuracy } from "./accuracy_backfill.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const filled = await backfillAccuracy(database);
 * console.log(`accuracy stored for ${filled} runs`);
 * ```
 * @module
 */
import { sql } from "drizzle-orm";
import { wilson } from "../../../evaluators/metrics/stats.ts";
import type { Database } from "../client.ts";
import { cases, results, runs } from "../schema.ts";

/**
 * Stores the accuracy of every finished run whose summary lacks it and
 * whose results have quality verdicts; returns how many runs it wrote.
 * Only runs of suites with quality tasks are read.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * await backfillAccuracy(database); // 0 once every run has it
 * ```
 */
export async function backfillAccuracy(database: Database): Promise<number> {
  const missing = await database.rows<{
    id: string;
    right: number | string;
    n: number | string;
  }>(sql`
    select ${runs.id} as id,
      count(*) filter (where ${results.correct}) as right,
      count(${results.correct}) as n
    from ${runs} join ${results} on ${results.runId} = ${runs.id}
    where ${runs.finishedAt} is not null
      and ${runs.summary} is not null
      and (${runs.summary} -> 'accuracy') is null
      and exists (select 1 from ${cases}
        where ${cases.suiteId} = ${runs.suiteId} and ${cases.task} is not null)
    group by ${runs.id}
    having count(${results.correct}) > 0`);
  let written = 0;
  for (const row of missing) {
    const accuracy = wilson(Number(row.right), Number(row.n));
    const updated = await database.rows<{ id: string }>(sql`
      update ${runs}
      set summary = ${runs.summary} || jsonb_build_object('accuracy',
        ${JSON.stringify(accuracy)}::jsonb)
      where ${runs.id} = ${row.id} and (${runs.summary} -> 'accuracy') is null
      returning ${runs.id} as id`);
    written += updated.length;
  }
  return written;
}
