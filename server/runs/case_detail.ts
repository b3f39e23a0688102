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

/**
 * One case of a run, in full.
 *
 * @example
 * ```ts
 * import type { CaseDetail } from "./case_detail.ts";
 * declare const detail: CaseDetail;
 * const title = `${detail.key}: ${detail.outcome ?? "pending"}`;
 * ```
 */
export interface CaseDetail {
  key: string;
  subset: string | null;
  tags: string[];
  draft: string;
  declaredSchema: string | null;
  draftNote: string | null;
  keywords: string[];
  prompt: string | null;
  schema: unknown;
  outcome: string | null;
  rawOutput: string | null;
  outputTruncated: boolean;
  fenced: boolean;
  reasoning: string | null;
  sentSchema: unknown;
  errors: unknown[] | null;
  failingKeywords: string[] | null;
  finishReason: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  tpotMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  attempts: number;
  answer: unknown;
  correct: boolean | null;
  finishedAt: Date | null;
}
