/**
 * One result row as `GET /api/runs/:id/results` shows it.
 *
 * @example
 * ```ts
 * import { resultJson } from "./result_json.ts";
 * import type { ResultListRow } from "../db/queries/results.ts";
 * declare const row: ResultListRow;
 * resultJson(row).outcome; // "valid"
 * ```
 * @module
 */
import type { ResultListRow } from "../db/queries/results.ts";
import { ttftSplit } from "../../evaluators/metrics/ttft_split.ts";

/**
 * The API's view of one result (snake_case, times as ISO text).
 *
 * @example
 * ```ts
 * import type { ResultListRow } from "../db/queries/results.ts";
 * declare const row: ResultListRow;
 * console.log(resultJson(row).latency_ms);
 * ```
 */
export function resultJson(row: ResultListRow) {
  return {
    key: row.key,
    subset: row.subset,
    outcome: row.outcome,
    raw_output: row.rawOutput,
    output_truncated: row.outputTruncated,
    fenced: row.fenced,
    reasoning: row.reasoning,
    sent_schema: row.sentSchema,
    errors: row.errors,
    failing_keywords: row.failingKeywords,
    finish_reason: row.finishReason,
    error_kind: row.errorKind,
    error_message: row.errorMessage,
    latency_ms: row.latencyMs,
    ttft_ms: row.ttftMs,
    /** The first token's wait split by the engine's own timings, or null. */
    ttft_split: ttftSplit(row.ttftMs, row.timings),
    tpot_ms: row.tpotMs,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    cost_usd: row.costUsd,
    attempts: row.attempts,
    timings: row.timings,
    grammar: row.grammar,
    answer: row.answer,
    correct: row.correct,
    key_order: row.keyOrder,
    answer_in_reasoning: row.answerInReasoning,
    // A distortion run's samples of the case (both arms).
    ...(row.distortion ? { distortion: row.distortion } : {}),
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
