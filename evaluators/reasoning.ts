/**
 * Keeps a reasoning model's thinking apart from its answer: a leading
 * `<think>…</think>` block (or an unclosed `<think>` when generation stopped
 * while thinking) is moved out of the text, so the answer alone is
 * validated.
 *
 * @example
 * ```ts
 * import { splitReasoning } from "./reasoning.ts";
 * splitReasoning("<think>hmm</think>\n{\"a\":1}"); // { text: '{"a":1}', reasoning: "hmm" }
 * ```
 * @module
 */

const THINK = /^\s*<think>([\s\S]*?)(?:<\/think>\s*|$)/;

/**
 * Splits a leading think block from `text`.
 *
 * @example
 * ```ts
 * splitReasoning("{}"); // { text: "{}", reasoning: null }
 * splitReasoning("<think>still going"); // { text: "", reasoning: "still going" }
 * ```
 */
export function splitReasoning(
  text: string | null,
): { text: string | null; reasoning: string | null } {
  if (text === null) return { text, reasoning: null };
  const match = THINK.exec(text);
  if (!match) return { text, reasoning: null };
  return { text: text.slice(match[0].length), reasoning: match[1].trim() };
}
