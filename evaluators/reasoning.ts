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
import { stripFence } from "./outcome.ts";

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

/** The longest reasoning searched for an answer (1 MiB). */
const MAX_REASONING_SEARCH = 1024 * 1024;

/**
 * Whether reasoning text holds a JSON object or array: all of it, or from
 * its first `{`/`[` to its last `}`/`]` (an answer sent in the reasoning
 * channel; texts over 1 MiB are not searched).
 *
 * @example
 * ```ts
 * holdsJson('Answer: {"a":1}'); // true
 * holdsJson("no json here"); // false
 * ```
 */
export function holdsJson(reasoning: string | null): boolean {
  if (!reasoning || reasoning.length > MAX_REASONING_SEARCH) return false;
  const text = stripFence(reasoning.trim()).text;
  const candidates = [text];
  const first = text.search(/[[{]/);
  const last = Math.max(text.lastIndexOf("}"), text.lastIndexOf("]"));
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  return candidates.some((candidate) => {
    try {
      const value = JSON.parse(candidate);
      return typeof value === "object" && value !== null;
    } catch {
      return false;
    }
  });
}
