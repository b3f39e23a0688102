/**
 * Reading one answer value out of a stretch of text: a number (optional
 * sign, optional `$`, digits with or without `,` groups, optional
 * decimals, not part of a word) or a string without its wrapping (quotes,
 * Markdown emphasis, a trailing period, whitespace). The expressions here
 * have no nested quantifiers, so matching stays linear in the text.
 *
 * @example
 * ```ts
 * import { cleanString, firstNumber, lastNumber } from "./answer_values.ts";
 * firstNumber("-$1,234.50 owed"); // -1234.5
 * lastNumber("3 boxes of 12 make 36."); // 36
 * cleanString("_Catch-22_."); // "Catch-22"
 * ```
 * @module
 */

/** A number: optional sign, optional `$`, digits with or without `,` groups, optional decimals. */
const NUMBER = /(-?)\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?/g;

/**
 * The value of the first number in `text` (`$1,234.` → 1234, `-5` → -5,
 * `2.50` → 2.5); `null` when there is none.
 *
 * @example
 * ```ts
 * firstNumber("costs $1,234."); // 1234
 * firstNumber("none"); // null
 * ```
 */
export function firstNumber(text: string): number | null {
  for (const match of text.matchAll(NUMBER)) {
    const value = numberFrom(text, match);
    if (value !== null) return value;
  }
  return null;
}

/**
 * The value of the last number in `text`; `null` when there is none.
 *
 * @example
 * ```ts
 * lastNumber("3 boxes of 12 make 36."); // 36
 * ```
 */
export function lastNumber(text: string): number | null {
  let last: number | null = null;
  for (const match of text.matchAll(NUMBER)) {
    const value = numberFrom(text, match);
    if (value !== null) last = value;
  }
  return last;
}

/**
 * A string answer without surrounding whitespace, quotes, backticks,
 * Markdown emphasis or a trailing period.
 *
 * @example
 * ```ts
 * cleanString(' **"Moby Dick".** '); // "Moby Dick"
 * ```
 */
export function cleanString(text: string): string {
  const wrappers = "\"'`*_“”‘’ \t\r\n";
  let start = 0;
  let end = text.length;
  let changed = true;
  while (changed && start < end) {
    changed = false;
    while (start < end && wrappers.includes(text[start])) {
      start++;
      changed = true;
    }
    while (start < end && wrappers.includes(text[end - 1])) {
      end--;
      changed = true;
    }
    if (start < end && (text[end - 1] === "." || text[end - 1] === "!")) {
      end--;
      changed = true;
    }
  }
  return text.slice(start, end);
}

function numberFrom(text: string, match: RegExpMatchArray): number | null {
  const [, sign, whole, decimals] = match;
  const index = match.index ?? 0;
  const before = index > 0 ? text[index - 1] : "";
  // A digit or letter right before means this is part of a word or a range.
  if (/[\p{L}\p{N}_]/u.test(before)) {
    if (sign === "") return null;
  }
  const negative = sign === "-" && !/[\p{L}\p{N}_)]/u.test(before);
  const value = Number(
    whole.replaceAll(",", "") + (decimals ? `.${decimals}` : ""),
  );
  if (!Number.isFinite(value)) return null;
  return negative ? -value : value;
}
