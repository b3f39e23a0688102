/**
 * Reading a run's results: the summaries its scores are computed from,
 * the paginated list, what it has spent, whether quality was judged, the
 * messages of its infrastructure errors. The
 * queue side (claiming, leases, the one write) is `queue.ts`.
 *
 * @example
 * ```ts
 * import { resultSummaries } from "./results.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * const rows = await resultSummaries(database, runId);
 * ```
 * @module
 */
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { cases, results } from "../schema.ts";
import { errorKeywords } from "../../../evaluators/validation/attribution.ts";

/** What scoring and progress need of every result of a run. */
export interface ResultSummaryRow {
  caseId: number;
  key: string;
  outcome: string | null;
  subset: string | null;
  /** The keywords the case's schema uses. */
  keywords: string[];
  /** The keywords the result's validation errors point at, one per error. */
  errorKeywords: string[];
  failingKeywords: string[] | null;
  correct: boolean | null;
  /** Keys in the schema's order; null when not counted. */
  keyOrder: boolean | null;
  answerInReasoning: boolean;
  latencyMs: number | null;
  ttftMs: number | null;
  tpotMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
}

/**
 * The scoring columns of every result of a run.
 *
 * @example
 * ```ts
 * import {
 *   computeScores,
 *   type ScoredResult,
 * } from "../../../evaluators/metrics/scores.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * const rows = await resultSummaries(database, runId);
 * computeScores(rows as ScoredResult[]);
 * ```
 */
export async function resultSummaries(
  database: Database,
  runId: string,
): Promise<ResultSummaryRow[]> {
  const rows = await database.db.select({
    caseId: results.caseId,
    key: cases.key,
    outcome: results.outcome,
    subset: cases.subset,
    keywords: cases.keywords,
    errors: results.errors,
    failingKeywords: results.failingKeywords,
    correct: results.correct,
    keyOrder: results.keyOrder,
    answerInReasoning: results.answerInReasoning,
    latencyMs: results.latencyMs,
    ttftMs: results.ttftMs,
    tpotMs: results.tpotMs,
    promptTokens: results.promptTokens,
    completionTokens: results.completionTokens,
    costUsd: results.costUsd,
  }).from(results).innerJoin(cases, eq(cases.id, results.caseId)).where(
    eq(results.runId, runId),
  ).orderBy(asc(results.id));
  return rows.map(({ errors, ...row }) => ({
    ...row,
    errorKeywords: errorKeywords(errors ?? []),
  }));
}

/** One result with its case, for the results list. */
export type ResultListRow = typeof results.$inferSelect & {
  key: string;
  subset: string | null;
};

/**
 * A page of a run's results in case order, filtered by outcome and subset.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * await listResults(database, runId, { outcome: "schema_violation", limit: 50 });
 * ```
 */
export async function listResults(
  database: Database,
  runId: string,
  options: {
    outcome?: string;
    subset?: string;
    limit: number;
    afterId?: number;
  },
): Promise<ResultListRow[]> {
  const rows = await database.db.select({
    result: results,
    key: cases.key,
    subset: cases.subset,
  }).from(results)
    .innerJoin(cases, eq(cases.id, results.caseId)).where(and(
      eq(results.runId, runId),
      options.outcome === "pending"
        ? isNull(results.outcome)
        : options.outcome
        ? eq(results.outcome, options.outcome)
        : undefined,
      options.subset ? eq(cases.subset, options.subset) : undefined,
      options.afterId !== undefined
        ? gt(results.id, options.afterId)
        : undefined,
    )).orderBy(asc(results.id)).limit(options.limit);
  return rows.map((r) => ({ ...r.result, key: r.key, subset: r.subset }));
}

/**
 * Dollars spent by a run so far.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * await spentUsd(database, runId); // 0.0123
 * ```
 */
export async function spentUsd(
  database: Database,
  runId: string,
): Promise<number> {
  const [row] = await database.db.select({
    total: sql<number | string | null>`sum(${results.costUsd})`,
  })
    .from(results).where(eq(results.runId, runId));
  return Number(row?.total ?? 0);
}

/**
 * Whether any result of a run has a quality verdict (`correct` set): a
 * quality run, whose report adds an accuracy.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * if (await hasQualityVerdicts(database, runId)) console.log("quality run");
 * ```
 */
export async function hasQualityVerdicts(
  database: Database,
  runId: string,
): Promise<boolean> {
  const rows = await database.db.select({ id: results.id }).from(results)
    .where(and(eq(results.runId, runId), sql`${results.correct} is not null`))
    .limit(1);
  return rows.length > 0;
}

/**
 * The error message of every `infra_error` result of a run (the first 200
 * characters: enough to tell a refused key from an unreachable engine).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * await infraErrorMessages(database, runId); // ["transport: Connection refused …"]
 * ```
 */
export async function infraErrorMessages(
  database: Database,
  runId: string,
): Promise<(string | null)[]> {
  const rows = await database.db.select({
    message: sql<string | null>`left(${results.errorMessage}, 200)`,
  }).from(results).where(
    and(eq(results.runId, runId), eq(results.outcome, "infra_error")),
  ).orderBy(asc(results.id));
  return rows.map((r) => r.message);
}
