/**
 * One case of a run in full, with its schema and result: what the case
 * query (`db/queries/run_cases.ts`) reads and the case page renders.
 *
 * @example
 * ```ts
 * import type { CaseDetail } from "./case_detail.ts";
 * declare const detail: CaseDetail;
 * console.log(detail.key, detail.outcome, detail.latencyMs);
 * ```
 * @module
 */
import type { cases, results } from "../db/schema.ts";

/**
 * One case of a run, in full: the case's columns and its result's, as the
 * schema types them.
 *
 * @example
 * ```ts
 * import type { CaseDetail } from "./case_detail.ts";
 * declare const detail: CaseDetail;
 * const title = `${detail.key}: ${detail.outcome ?? "pending"}`;
 * ```
 */
export type CaseDetail =
  & Pick<
    typeof cases.$inferSelect,
    | "key"
    | "subset"
    | "tags"
    | "draft"
    | "declaredSchema"
    | "draftNote"
    | "keywords"
    | "prompt"
    | "schema"
  >
  & Pick<
    typeof results.$inferSelect,
    | "outcome"
    | "rawOutput"
    | "outputTruncated"
    | "fenced"
    | "reasoning"
    | "sentSchema"
    | "errors"
    | "failingKeywords"
    | "finishReason"
    | "errorKind"
    | "errorMessage"
    | "latencyMs"
    | "ttftMs"
    | "tpotMs"
    | "promptTokens"
    | "completionTokens"
    | "costUsd"
    | "attempts"
    | "answer"
    | "correct"
    | "finishedAt"
  >;
