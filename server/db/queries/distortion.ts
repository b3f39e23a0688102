/**
 * Reading distortion runs: the samples of a run's cases (with each case's
 * schema, for its support), and the runs the distortion board shows: for
 * each (target, N), its latest finished public distortion run of the WHOLE
 * suite (no `limit` under the suite's size), not hidden.
 *
 * @example
 * ```ts
 * import { distortionCases } from "./distortion.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * const rows = await distortionCases(database, runId);
 * rows[0]?.samples.length; // 2 N
 * ```
 * @module
 */
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { cases, results, runs, suites, targets } from "../schema.ts";
import type { DistortionSample } from "../../../evaluators/metrics/distortion.ts";

/** One case of a distortion run with its samples. */
export interface DistortionCaseRow {
  key: string;
  schema: unknown;
  outcome: string | null;
  samples: DistortionSample[];
}

/**
 * Every case of a run that has its samples, in case order.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * (await distortionCases(database, "…")).map((row) => row.key);
 * ```
 */
export async function distortionCases(
  database: Database,
  runId: string,
): Promise<DistortionCaseRow[]> {
  const rows = await database.db.select({
    key: cases.key,
    schema: cases.schema,
    outcome: results.outcome,
    samples: results.distortion,
  }).from(results)
    .innerJoin(cases, eq(cases.id, results.caseId))
    .where(and(eq(results.runId, runId), isNotNull(results.distortion)))
    .orderBy(asc(cases.id));
  return rows.map((row) => ({ ...row, samples: row.samples ?? [] }));
}

/** A run the distortion board shows. */
export interface DistortionBoardRun {
  runId: string;
  targetId: string;
  targetName: string;
  kind: string;
  mode: string;
  model: string | null;
  /** N, samples per arm and case. */
  samples: number;
  finishedAt: Date;
}

/**
 * The distortion board's runs of a suite, as the module doc says.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * (await distortionBoardRuns(database, suiteId)).map((r) => r.samples);
 * ```
 */
export async function distortionBoardRuns(
  database: Database,
  suiteId: string,
): Promise<DistortionBoardRun[]> {
  const samples = sql<
    number
  >`(${runs.options} -> 'distortion' ->> 'samples')::int`;
  const limit = sql`(${runs.options} ->> 'limit')::bigint`;
  const rows = await database.db.selectDistinctOn(
    [runs.targetId, samples],
    {
      runId: runs.id,
      targetId: runs.targetId,
      targetName: targets.name,
      kind: targets.kind,
      mode: sql<string>`${runs.options} ->> 'mode'`,
      model: targets.model,
      samples,
      finishedAt: runs.finishedAt,
    },
  ).from(runs)
    .innerJoin(targets, eq(targets.id, runs.targetId))
    .innerJoin(suites, eq(suites.id, runs.suiteId))
    .where(and(
      eq(runs.suiteId, suiteId),
      eq(runs.status, "done"),
      eq(runs.public, true),
      eq(runs.hidden, false),
      isNotNull(runs.finishedAt),
      sql`${runs.options} ? 'distortion'`,
      sql`(${limit} is null or ${limit} >= ${suites.caseCount})`,
    ))
    .orderBy(runs.targetId, samples, sql`${runs.finishedAt} desc`);
  return rows.map((row) => ({
    ...row,
    samples: Number(row.samples),
    finishedAt: row.finishedAt!,
  }));
}
