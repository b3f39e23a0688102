/**
 * Last-letter concatenation (Wei et al.'s chain-of-thought task, one of
 * JSONSchemaBench's quality families): given two to four first names, join
 * the last letter of each, in order, in lower case.
 *
 * @example
 * ```ts
 * import { generate } from "./last_letter.ts";
 * const [task] = generate(1, 1);
 * task.key; // "last_letter-0000"
 * task.question; // 'Take the last letter of each word in "..." ...'
 * ```
 * @module
 */
import { createRandom } from "./random.ts";
import { checkCount, type QualityTask, taskKey } from "./task.ts";

/**
 * Common first names the questions are built from (letters only).
 *
 * @example
 * ```ts
 * FIRST_NAMES.includes("Emma"); // true
 * ```
 */
export const FIRST_NAMES: readonly string[] = [
  "Emma",
  "Liam",
  "Olivia",
  "Noah",
  "Ava",
  "Elijah",
  "Sophia",
  "James",
  "Isabella",
  "William",
  "Mia",
  "Benjamin",
  "Charlotte",
  "Lucas",
  "Amelia",
  "Henry",
  "Harper",
  "Alexander",
  "Evelyn",
  "Daniel",
  "Abigail",
  "Michael",
  "Emily",
  "Jack",
  "Elizabeth",
  "Owen",
  "Sofia",
  "Samuel",
  "Ella",
  "David",
  "Grace",
  "Joseph",
  "Chloe",
  "Carter",
  "Victoria",
  "Luke",
  "Riley",
  "Gabriel",
  "Nora",
  "Anthony",
  "Lily",
  "Isaac",
  "Hannah",
  "Dylan",
  "Zoe",
  "Leo",
  "Stella",
  "Julian",
  "Maya",
  "Aaron",
  "Ruth",
  "Oscar",
  "Ingrid",
  "Felix",
  "Beatrix",
  "Marcus",
  "Priya",
  "Tomas",
  "Yusuf",
  "Kenji",
];

/**
 * The answer for a list of words: each word's last letter, joined, lower
 * case.
 *
 * @example
 * ```ts
 * lastLetters(["Emma", "Liam", "Oscar"]); // "amr"
 * ```
 */
export function lastLetters(words: readonly string[]): string {
  return words.map((word) => word.slice(-1).toLowerCase()).join("");
}

/**
 * `count` last-letter tasks for `seed`, each with 2 to 4 distinct names.
 *
 * @example
 * ```ts
 * const tasks = generate(3, 2);
 * tasks[1].key; // "last_letter-0001"
 * tasks[1].answerType; // "string"
 * ```
 */
export function generate(seed: number, count: number): QualityTask[] {
  checkCount(count);
  const random = createRandom(seed);
  const tasks: QualityTask[] = [];
  for (let index = 0; index < count; index++) {
    const names = random.sample(FIRST_NAMES, random.int(2, 4));
    tasks.push({
      key: taskKey("last_letter", index),
      family: "last_letter",
      question: `Take the last letter of each word in "${names.join(" ")}" ` +
        "and concatenate them, in order. Answer with the letters only, " +
        "in lower case, with no spaces.",
      expected: lastLetters(names),
      answerType: "string",
    });
  }
  return tasks;
}
