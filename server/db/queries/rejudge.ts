/**
 * The storage half of re-judging a finished run: the rows to judge again,
 * then, in one transaction, a new run with the source's suite, target,
 * options (plus `rejudged_from`), engine description and start, today's
 * validator version, a copy of every result and the new verdicts (so no
 * other process ever sees the copy half judged). The engine is never
 * called: the outputs are the stored ones.
 *
 * @example
 * ```ts
 * import { copyRunForRejudge } from "./rejudge.ts";
 * import type { Database } from "../client.ts";
 * import type { RunRow } from "./runs.ts";
 * declare const database: Database;
 * declare const source: RunRow;
 * const copy = await copyRunForRejudge(database, source, new Map());
 * ```
 * @module
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { ValidationError } from "../../../evaluators/validation/validate.ts";
import { VALIDATOR_VERSION } from "../../../evaluators/validation/version.ts";
import type { Database } from "../client.ts";
import { cases, results, runs } from "../schema.ts";
import type { RunRow } from "./runs.ts";

// Every result column but the id, the run and the lease.
const COPIED = sql.raw(
  [
    "case_id",
    "outcome",
    "attempts",
    "raw_output",
    "output_truncated",
    "fenced",
    "reasoning",
    "sent_schema",
    "errors",
    "failing_keywords",
    "finish_reason",
    "error_kind",
    "error_message",
    "latency_ms",
    "ttft_ms",
    "tpot_ms",
    "grammar_ms",
    "prompt_tokens",
    "completion_tokens",
    "cost_usd",
    "timings",
    "grammar",
    "answer",
    "correct",
    "key_order",
    "created_at",
    "finished_at",
  ].join(", "),
); // deno-fmt-ignore

/** A result's new verdict. */
export interface NewVerdict {
  outcome: string;
  errors: ValidationError[] | null;
  failingKeywords: string[] | null;
  errorKind: string | null;
  errorMessage: string | null;
}

/**
 * Creates the re-judged run (status `running`, so that the finish makes
 * it `done`) with a copy of every result of `source`, each case's verdict
 * replaced by `verdicts` (by case id) where given.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * import type { RunRow } from "./runs.ts";
 * declare const database: Database;
 * declare const source: RunRow;
 * (await copyRunForRejudge(database, source, new Map())).validatorVersion; // today's
 * ```
 */
export async function copyRunForRejudge(
  database: Database,
  source: RunRow,
  verdicts: ReadonlyMap<number, NewVerdict>,
): Promise<RunRow> {
  return await database.db.transaction(async (tx) => {
    const [run] = await tx.insert(runs).values({
      suiteId: source.suiteId,
      targetId: source.targetId,
      trigger: source.trigger,
      options: { ...source.options, rejudged_from: source.id },
      validatorVersion: VALIDATOR_VERSION,
      public: source.public,
      ownerTokenId: source.ownerTokenId,
      status: "running",
      engine: source.engine,
      startedAt: source.startedAt,
    }).returning();
    await tx.execute(sql`
      insert into ${results} (run_id, ${COPIED})
      select ${run.id}, ${COPIED} from ${results}
      where ${results.runId} = ${source.id}`);
    for (const [caseId, verdict] of verdicts) {
      await tx.update(results).set(verdict).where(
        and(eq(results.runId, run.id), eq(results.caseId, caseId)),
      );
    }
    return run;
  });
}

/** One stored output to judge again. */
export interface RejudgeRow {
  caseId: number;
  outcome: string | null;
  rawOutput: string | null;
  outputTruncated: boolean;
  finishReason: string | null;
  schema: unknown;
  schemaHash: string;
}

/**
 * The results of a run whose outcome came from our validator (`valid`,
 * `schema_violation`, `invalid_schema`), with their case's schema.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const rows = await rowsToRejudge(database, "2b1c…");
 * ```
 */
export async function rowsToRejudge(
  database: Database,
  runId: string,
): Promise<RejudgeRow[]> {
  return await database.db.select({
    caseId: results.caseId,
    outcome: results.outcome,
    rawOutput: results.rawOutput,
    outputTruncated: results.outputTruncated,
    finishReason: results.finishReason,
    schema: cases.schema,
    schemaHash: cases.schemaHash,
  }).from(results).innerJoin(cases, eq(cases.id, results.caseId))
    .where(and(
      eq(results.runId, runId),
      sql`${results.outcome} in ('valid', 'schema_violation', 'invalid_schema')`,
    )).orderBy(asc(results.id));
}

/**
 * The board rows whose latest run was judged by an older validator: the
 * latest `done`, full, public, shown run of each (target, suite,
 * validation mode), where its `validator_version` is not today's.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const stale = await staleBoardRuns(database);
 * ```
 */
export async function staleBoardRuns(database: Database): Promise<RunRow[]> {
  const rows = await database.db.select().from(runs).where(and(
    eq(runs.status, "done"),
    eq(runs.public, true),
    eq(runs.hidden, false),
    eq(runs.partial, false),
    sql`${runs.finishedAt} is not null`,
  )).orderBy(desc(runs.finishedAt), desc(runs.id));
  const seen = new Set<string>();
  return rows.filter((run) => {
    const key = `${run.targetId}|${run.suiteId}|${run.options.validation}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return run.validatorVersion !== VALIDATOR_VERSION;
  });
}
