/**
 * The synthetic suite the chaos scenarios (and the load test of
 * `scripts/bench/`) post: short cases with a bounded answer, so that a run
 * is quick and every case has an outcome.
 *
 * @example
 * ```ts
 * import { chaosSuite } from "./suite.ts";
 * chaosSuite(300).cases.length; // 300
 * ```
 * @module
 */

/**
 * The synthetic suite: `cases` short cases with a bounded answer (an enum
 * letter and an enum number), each with its own key, title and prompt.
 *
 * @example
 * ```ts
 * chaosSuite(2).cases[1].key; // "chaos-00002"
 * ```
 */
export function chaosSuite(cases: number): {
  name: string;
  description: string;
  cases: { key: string; prompt: string; schema: Record<string, unknown> }[];
} {
  return {
    name: "chaos",
    description: "scripts/chaos/main.ts: short bounded cases",
    cases: Array.from({ length: cases }, (_, i) => {
      const n = String(i + 1).padStart(5, "0");
      return {
        key: `chaos-${n}`,
        prompt: `Case ${n}: answer with a letter c and a number n.`,
        schema: {
          title: `chaos case ${n}`,
          type: "object",
          properties: {
            c: { enum: ["a", "b", "c"] },
            n: { type: "integer", enum: [1, 2, 3] },
          },
          required: ["c", "n"],
          additionalProperties: false,
        },
      };
    }),
  };
}
