/**
 * The shape shared by the quality task families (JSONSchemaBench's
 * "quality" experiments): a natural-language question with one known
 * answer, either a string or an integer.
 *
 * @example
 * ```ts
 * import { taskKey, type QualityTask } from "./task.ts";
 * const task: QualityTask = {
 *   key: taskKey("last_letter", 7), // "last_letter-0007"
 *   family: "last_letter",
 *   question: 'Take the last letter of each word in "Ada Bob" ...',
 *   expected: "ab",
 *   answerType: "string",
 * };
 * ```
 * @module
 */
import type { AnswerType } from "../../evaluators/quality/task.ts";

/**
 * The task families: three generated, one imported (GSM8K).
 *
 * @example
 * ```ts
 * const family: QualityFamily = "shuffled_objects";
 * ```
 */
export type QualityFamily =
  | "last_letter"
  | "shuffled_objects"
  | "arithmetic"
  | "gsm8k";

/**
 * The generated families, in the order a suite lists them.
 *
 * @example
 * ```ts
 * GENERATED_FAMILIES.length; // 3
 * ```
 */
export const GENERATED_FAMILIES = [
  "last_letter",
  "shuffled_objects",
  "arithmetic",
] as const satisfies readonly QualityFamily[];

/**
 * What kind of value the answer is.
 *
 * @example
 * ```ts
 * const type: AnswerType = typeof 72 === "number" ? "integer" : "string";
 * ```
 */
export type { AnswerType };

/**
 * One question with its known answer.
 *
 * @example
 * ```ts
 * const task: QualityTask = { key: "arithmetic-0000", family: "arithmetic", question: "2 + 3?", expected: 5, answerType: "integer" };
 * ```
 */
export interface QualityTask {
  /** Unique within a family and seed, e.g. `last_letter-0007`. */
  key: string;
  family: QualityFamily;
  /** The natural-language problem. */
  question: string;
  /** The correct answer: a string or an integer, as `answerType` says. */
  expected: string | number;
  answerType: AnswerType;
}

/**
 * The key of the `index`-th generated task of a family (zero-padded to four
 * digits, so keys sort in generation order up to 10 000 tasks).
 *
 * @example
 * ```ts
 * taskKey("arithmetic", 12); // "arithmetic-0012"
 * ```
 */
export function taskKey(family: QualityFamily, index: number): string {
  return `${family}-${String(index).padStart(4, "0")}`;
}

/**
 * Throws a RangeError unless `count` is a non-negative safe integer.
 *
 * @example
 * ```ts
 * checkCount(3); // fine
 * checkCount(-1); // throws
 * ```
 */
export function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
}
