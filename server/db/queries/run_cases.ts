/**
 * A run's cases for the pages: a filtered page of the case list (outcome,
 * subset, keyword used, keyword failed) without the raw outputs, and one
 * case in full with its schema and result. The only page queries that read
 * results, a page or a row at a time.
 *
 * @example
 * ```ts
 * import { caseListPage } from "./run_cases.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * const rows = await caseListPage(database, runId, { outcome: "valid", limit: 50, offset: 0 });
 * ```
 * @module
 */
import { and, arrayContains, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { cases, results } from "../schema.ts";
import type { CaseDetail } from "../../runs/case_detail.ts";

/** One line of a run's case list (no raw output: it can be large). */
export interface CaseListRow {
  resultId: number;
  key: string;
  subset: string | null;
  outcome: string | null;
  failingKeywords: string[] | null;
  finishReason: string | null;
  errorKind: string | null;
  latencyMs: number | null;
  completionTokens: number | null;
}

/** The case list's filters and page. */
export interface CaseListFilter {
  /**
   * An outcome, `pending` for cases without one, `failures` for every
   * finished case that did not end `valid` or `skipped`, or unset (or
   * `all`) for every case.
   */
  outcome?: string;
  subset?: string;
  /** Cases whose schema uses this keyword. */
  keyword?: string;
  /** Cases where this keyword failed. */
  failing?: string;
  limit: number;
  offset: number;
}

/**
 * A page of a run's results in case order, filtered.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * await caseListPage(database, runId, { outcome: "schema_violation", keyword: "pattern", limit: 50, offset: 0 });
 * ```
 */
export async function caseListPage(
  database: Database,
  runId: string,
  filter: CaseListFilter,
): Promise<CaseListRow[]> {
  return await database.db.select({
    resultId: results.id,
    key: cases.key,
    subset: cases.subset,
    outcome: results.outcome,
    failingKeywords: results.failingKeywords,
    finishReason: results.finishReason,
    errorKind: results.errorKind,
    latencyMs: results.latencyMs,
    completionTokens: results.completionTokens,
  }).from(results).innerJoin(cases, eq(cases.id, results.caseId)).where(and(
    eq(results.runId, runId),
    filter.outcome === "pending"
      ? sql`${results.outcome} is null`
      : filter.outcome === "failures"
      ? sql`${results.outcome} not in ('valid', 'skipped')`
      : filter.outcome && filter.outcome !== "all"
      ? eq(results.outcome, filter.outcome)
      : undefined,
    filter.subset ? eq(cases.subset, filter.subset) : undefined,
    filter.keyword
      ? arrayContains(cases.keywords, [filter.keyword])
      : undefined,
    filter.failing
      ? arrayContains(results.failingKeywords, [filter.failing])
      : undefined,
  )).orderBy(asc(results.id)).limit(filter.limit).offset(filter.offset);
}

/**
 * One case of a run by its key, with its schema and result, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * import type { RunRow } from "./runs.ts";
 * declare const database: Database;
 * declare const run: RunRow;
 * const detail = await caseDetail(database, { id: run.id, suiteId: run.suiteId }, "person");
 * ```
 */
export async function caseDetail(
  database: Database,
  run: { id: string; suiteId: string },
  key: string,
): Promise<CaseDetail | null> {
  const [row] = await database.db.select({
    key: cases.key,
    subset: cases.subset,
    tags: cases.tags,
    draft: cases.draft,
    declaredSchema: cases.declaredSchema,
    draftNote: cases.draftNote,
    keywords: cases.keywords,
    prompt: cases.prompt,
    schema: cases.schema,
    outcome: results.outcome,
    rawOutput: results.rawOutput,
    outputTruncated: results.outputTruncated,
    fenced: results.fenced,
    reasoning: results.reasoning,
    sentSchema: results.sentSchema,
    errors: results.errors,
    failingKeywords: results.failingKeywords,
    finishReason: results.finishReason,
    errorKind: results.errorKind,
    errorMessage: results.errorMessage,
    latencyMs: results.latencyMs,
    ttftMs: results.ttftMs,
    tpotMs: results.tpotMs,
    promptTokens: results.promptTokens,
    completionTokens: results.completionTokens,
    costUsd: results.costUsd,
    attempts: results.attempts,
    answer: results.answer,
    correct: results.correct,
    finishedAt: results.finishedAt,
  }).from(results).innerJoin(cases, eq(cases.id, results.caseId))
    .where(and(
      eq(cases.suiteId, run.suiteId),
      eq(cases.key, key),
      eq(results.runId, run.id),
    )).limit(1);
  return row ?? null;
}
