/**
 * The types a quality task's answer is scored by, shared by the scorer
 * (`answer.ts`) and the importers that write the tasks (`datasets/quality/`).
 *
 * @example
 * ```ts
 * import type { AnswerType } from "./task.ts";
 * const type: AnswerType = "integer";
 * ```
 * @module
 */

/**
 * What kind of value the answer is.
 *
 * @example
 * ```ts
 * import type { AnswerType } from "./task.ts";
 * const type: AnswerType = typeof 72 === "number" ? "integer" : "string";
 * ```
 */
export type AnswerType = "string" | "integer";
