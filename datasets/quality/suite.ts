/**
 * The quality suite: the three generated task families (last-letter
 * concatenation, shuffled-objects tracking, arithmetic word problems) as
 * benchmark cases. Each case asks for `{ "reasoning": …, "answer": … }`,
 * reasoning first, so that a model writing in schema order reasons before
 * it answers; each carries its task's known answer for exact-match scoring.
 *
 * @example
 * ```ts
 * import { qualitySuite } from "./suite.ts";
 * const suite = qualitySuite(1, 20);
 * suite.name; // "quality/seed-1/n-20"
 * suite.cases.length; // 60
 * suite.cases[0].task; // { family: "last_letter", expected: "...", answerType: "string", checker: "exact" }
 * ```
 * @module
 */
import type { CaseInput } from "../../evaluators/case.ts";
import { generate as generateArithmetic } from "./arithmetic.ts";
import { generate as generateLastLetter } from "./last_letter.ts";
import { generate as generateShuffled } from "./shuffled_objects.ts";
import type { AnswerType, QualityFamily, QualityTask } from "./task.ts";

/**
 * The answer schema a quality case asks for.
 *
 * @example
 * ```ts
 * const schema: AnswerSchema = answerSchema("string");
 * ```
 */
export interface AnswerSchema {
  type: "object";
  properties: {
    reasoning: { type: "string" };
    answer: { type: AnswerType };
  };
  required: ["reasoning", "answer"];
  additionalProperties: false;
}

/**
 * The known answer a case carries, and how it is scored.
 *
 * @example
 * ```ts
 * const check: QualityCheck = { family: "arithmetic", expected: 18, answerType: "integer", checker: "exact" };
 * ```
 */
export interface QualityCheck {
  family: QualityFamily;
  expected: string | number;
  answerType: AnswerType;
  checker: "exact";
}

/**
 * One quality case: a suite case plus its known answer.
 *
 * @example
 * ```ts
 * const first: QualityCase = qualitySuite(1, 1).cases[0];
 * first.subset; // "last_letter"
 * ```
 */
export interface QualityCase extends CaseInput {
  schema: AnswerSchema;
  prompt: string;
  subset: QualityFamily;
  tags: string[];
  task: QualityCheck;
}

/**
 * A quality suite, ready to post (the `task` fields ride along).
 *
 * @example
 * ```ts
 * const suite: QualitySuite = qualitySuite(2, 10);
 * suite.cases.length; // 30
 * ```
 */
export interface QualitySuite {
  name: string;
  description: string;
  cases: QualityCase[];
}

/**
 * What follows the question in every prompt.
 *
 * @example
 * ```ts
 * qualityPrompt("Q?").endsWith(QUALITY_INSTRUCTION); // true
 * ```
 */
export const QUALITY_INSTRUCTION =
  "Think step by step: first write out your reasoning, then give the final answer.";

/**
 * The answer schema for an answer type (property order: reasoning first).
 *
 * @example
 * ```ts
 * answerSchema("integer").properties.answer; // { type: "integer" }
 * ```
 */
export function answerSchema(answerType: AnswerType): AnswerSchema {
  return {
    type: "object",
    properties: {
      reasoning: { type: "string" },
      answer: { type: answerType },
    },
    required: ["reasoning", "answer"],
    additionalProperties: false,
  };
}

/**
 * The prompt for a question: the question, a blank line, the instruction.
 *
 * @example
 * ```ts
 * qualityPrompt("What is 2 + 3?");
 * // "What is 2 + 3?\n\nThink step by step: first write out your reasoning, then give the final answer."
 * ```
 */
export function qualityPrompt(question: string): string {
  return `${question}\n\n${QUALITY_INSTRUCTION}`;
}

/**
 * Cases for any quality tasks (generated or imported, e.g. GSM8K), keyed by
 * the tasks' keys.
 *
 * @example
 * ```ts
 * qualityCases([{ key: "k", family: "arithmetic", question: "1 + 1?", expected: 2, answerType: "integer" }])[0].tags;
 * // ["quality", "arithmetic"]
 * ```
 */
export function qualityCases(tasks: readonly QualityTask[]): QualityCase[] {
  return tasks.map((task) => ({
    key: task.key,
    schema: answerSchema(task.answerType),
    prompt: qualityPrompt(task.question),
    subset: task.family,
    tags: ["quality", task.family],
    task: {
      family: task.family,
      expected: task.expected,
      answerType: task.answerType,
      checker: "exact",
    },
  }));
}

/**
 * The generated quality suite: `perFamily` tasks of each of the three
 * families, all drawn from `seed`.
 *
 * @example
 * ```ts
 * const suite = qualitySuite(7, 5);
 * suite.cases.map((c) => c.subset); // 5 × "last_letter", 5 × "shuffled_objects", 5 × "arithmetic"
 * ```
 */
export function qualitySuite(seed: number, perFamily: number): QualitySuite {
  const tasks: QualityTask[] = [
    ...generateLastLetter(seed, perFamily),
    ...generateShuffled(seed, perFamily),
    ...generateArithmetic(seed, perFamily),
  ];
  return {
    name: `quality/seed-${seed}/n-${perFamily}`,
    description:
      `JSONSchemaBench-style quality tasks generated from seed ${seed}: ` +
      `${perFamily} each of last-letter concatenation, shuffled-objects ` +
      "tracking and grade-school arithmetic word problems. Each case asks " +
      "for {reasoning, answer} and is scored by exact match of the answer.",
    cases: qualityCases(tasks),
  };
}
