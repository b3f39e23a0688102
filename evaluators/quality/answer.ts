/**
 * Reads a model's final answer out of its output and checks it against a
 * task's known answer.
 *
 * - `json` mode (constrained or JSON-only output): the text is the answer
 *   object, possibly inside one Markdown code fence (json-tagged or bare);
 *   its `.answer` is the answer.
 * - `free_text` mode (prompt-only runs, where the model may write prose):
 *   tried in order, the first that yields a value wins —
 *   1. a JSON object with an `answer` field anywhere in the text (the last
 *      such object);
 *   2. "the answer is X", "answer: X", "final answer: X" (case-insensitive,
 *      the last occurrence that holds a value);
 *   3. `\boxed{X}` (the last);
 *   4. `#### X` (GSM8K style, the last);
 *   5. integers: the last integer in the text; strings: the whole text, when
 *      it is one short line.
 *
 * Numbers may carry thousands separators (`1,234`), a leading `$`, a sign
 * or a trailing period. Strings lose surrounding quotes, Markdown emphasis,
 * a trailing period and whitespace ({@link ./answer_values.ts} reads
 * both). Every regular expression here is free of nested quantifiers, so
 * matching stays linear in the text.
 *
 * @example
 * ```ts
 * import { extractAnswer, isCorrect } from "./answer.ts";
 * const got = extractAnswer("She has 3 + 4 = 7 apples. The answer is 7.", "integer", "free_text");
 * got; // 7
 * isCorrect(got, { expected: 7, answerType: "integer" }); // true
 * ```
 * @module
 */
import type { AnswerType } from "./task.ts";
import { cleanString, firstNumber, lastNumber } from "./answer_values.ts";

/**
 * What {@link isCorrect} needs of a task.
 *
 * @example
 * ```ts
 * const key: AnswerKey = { expected: 72, answerType: "integer" };
 * ```
 */
export interface AnswerKey {
  expected: string | number;
  answerType?: AnswerType;
}

/** "answer is", "answer:", "Answer**:", "answer =" (the value follows). */
const ANSWER_MARKER = /\banswer\b[*\s]{0,8}(?:is\b|:|=)/gi;
const HASHES = /####[ \t]*([^\n]*)/g;
const BOXED = "\\boxed{";
/** How far past a marker (or `\boxed{`) the value is looked for. */
const MAX_VALUE_SCAN = 200;
/** At most this many `{…}` spans are parsed while looking for an answer object. */
const MAX_JSON_ATTEMPTS = 32;

/**
 * Extracts the final answer from a model's output; `null` when none is
 * found.
 *
 * @example
 * ```ts
 * extractAnswer('{"reasoning":"4 * 3","answer":12}', "integer", "json"); // 12
 * extractAnswer("#### 1,234", "integer", "free_text"); // 1234
 * extractAnswer('Final answer: "nkaa".', "string", "free_text"); // "nkaa"
 * ```
 */
export function extractAnswer(
  text: string,
  answerType: AnswerType,
  mode: "json" | "free_text",
): string | number | null {
  if (mode === "json") return fromJsonText(text, answerType);
  return fromObjects(text, answerType) ??
    fromMarkers(text, answerType) ??
    fromBoxed(text, answerType) ??
    fromHashes(text, answerType) ??
    (answerType === "integer" ? lastNumber(text) : fromWholeText(text));
}

/**
 * Whether an extracted answer equals the task's: integers numerically,
 * strings case-insensitively after trimming. `null` is never correct.
 *
 * @example
 * ```ts
 * isCorrect("1,234", { expected: 1234, answerType: "integer" }); // true
 * isCorrect(" NKAA ", { expected: "nkaa", answerType: "string" }); // true
 * isCorrect(null, { expected: 3 }); // false
 * ```
 */
export function isCorrect(
  extracted: string | number | null,
  task: AnswerKey,
): boolean {
  if (extracted === null) return false;
  const type = task.answerType ??
    (typeof task.expected === "number" ? "integer" : "string");
  if (type === "integer") {
    const got = typeof extracted === "number"
      ? extracted
      : firstNumber(extracted);
    const want = typeof task.expected === "number"
      ? task.expected
      : firstNumber(task.expected);
    return got !== null && want !== null && got === want;
  }
  return String(extracted).trim().toLowerCase() ===
    String(task.expected).trim().toLowerCase();
}

function coerce(
  value: unknown,
  answerType: AnswerType,
): string | number | null {
  if (answerType === "integer") {
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (typeof value === "string") return firstNumber(value);
    return null;
  }
  if (typeof value === "string") return cleanString(value);
  if (typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  return null;
}

function stripFence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith("```") || !trimmed.endsWith("```")) return trimmed;
  if (trimmed.length < 6) return trimmed;
  const firstLineEnd = trimmed.indexOf("\n");
  if (firstLineEnd === -1) return trimmed.slice(3, -3).trim();
  return trimmed.slice(firstLineEnd + 1, -3).trim();
}

function answerOf(
  value: unknown,
  answerType: AnswerType,
): string | number | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return null;
  }
  if (!Object.hasOwn(value, "answer")) return null;
  return coerce((value as { answer: unknown }).answer, answerType);
}

function fromJsonText(text: string, answerType: AnswerType) {
  try {
    return answerOf(JSON.parse(stripFence(text)), answerType);
  } catch {
    return null;
  }
}

/**
 * Every balanced `{…}` span, in the order each closes. One pass: braces
 * inside JSON strings (while some brace is open) do not count.
 */
function braceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      else if (char === "\n") inString = false;
      continue;
    }
    if (char === '"' && open.length > 0) inString = true;
    else if (char === "{") open.push(i);
    else if (char === "}" && open.length > 0) {
      spans.push([open.pop()!, i + 1]);
    }
  }
  return spans;
}

/** The smallest element of the ascending `sorted` above `value`. */
function firstAbove(sorted: number[], value: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] > value) high = middle;
    else low = middle + 1;
  }
  return sorted[low];
}

function fromObjects(text: string, answerType: AnswerType) {
  const keys: number[] = [];
  for (
    let at = text.indexOf('"answer"');
    at !== -1;
    at = text.indexOf('"answer"', at + 1)
  ) {
    keys.push(at);
  }
  if (keys.length === 0) return null;
  const spans = braceSpans(text)
    .filter(([start, end]) => {
      const next = firstAbove(keys, start);
      return next !== undefined && next < end;
    })
    .sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  let attempts = 0;
  for (const [start, end] of spans) {
    if (attempts++ >= MAX_JSON_ATTEMPTS) break;
    try {
      const value = answerOf(JSON.parse(text.slice(start, end)), answerType);
      if (value !== null) return value;
    } catch {
      // not JSON: try the next span
    }
  }
  return null;
}

/** The value written after a marker: the rest of its line (or the next line). */
function valueAfter(
  text: string,
  from: number,
  answerType: AnswerType,
): string | number | null {
  let start = from;
  const stop = Math.min(text.length, from + MAX_VALUE_SCAN);
  while (start < stop && " \t\r\n*:".includes(text[start])) start++;
  const window = text.slice(start, start + MAX_VALUE_SCAN);
  const newline = window.indexOf("\n");
  const line = newline === -1 ? window : window.slice(0, newline);
  if (answerType === "integer") {
    const equals = line.lastIndexOf("=");
    return firstNumber(equals === -1 ? line : line.slice(equals + 1));
  }
  return stringFromLine(line);
}

function stringFromLine(line: string): string | null {
  const trimmed = line.trim();
  const quotes: Record<string, string> = {
    '"': '"',
    "'": "'",
    "`": "`",
    "“": "”",
    "‘": "’",
  };
  const close = quotes[trimmed[0]];
  if (close !== undefined) {
    const end = trimmed.indexOf(close, 1);
    if (end > 1) return cleanString(trimmed.slice(1, end));
  }
  let cut = trimmed.length;
  for (const stop of [". ", "; ", ", ", " because", " since", " ("]) {
    const at = trimmed.indexOf(stop);
    if (at !== -1 && at < cut) cut = at;
  }
  const value = cleanString(trimmed.slice(0, cut));
  return value === "" ? null : value;
}

function fromMarkers(text: string, answerType: AnswerType) {
  const ends = [...text.matchAll(ANSWER_MARKER)].map((m) =>
    (m.index ?? 0) + m[0].length
  );
  for (let i = ends.length - 1; i >= 0; i--) {
    const value = valueAfter(text, ends[i], answerType);
    if (value !== null) return value;
  }
  return null;
}

function fromBoxed(text: string, answerType: AnswerType) {
  for (
    let at = text.lastIndexOf(BOXED);
    at !== -1;
    at = at === 0 ? -1 : text.lastIndexOf(BOXED, at - 1)
  ) {
    const start = at + BOXED.length;
    let depth = 1;
    let end = start;
    const stop = Math.min(text.length, start + MAX_VALUE_SCAN);
    while (end < stop && depth > 0) {
      if (text[end] === "{") depth++;
      else if (text[end] === "}") depth--;
      end++;
    }
    if (depth !== 0) continue;
    let inner = text.slice(start, end - 1).trim();
    const textMacro = /^\\(?:text|mathrm|textbf)\{([^{}]*)\}$/.exec(inner);
    if (textMacro) inner = textMacro[1];
    const value = answerType === "integer"
      ? firstNumber(inner)
      : (cleanString(inner) || null);
    if (value !== null) return value;
  }
  return null;
}

function fromHashes(text: string, answerType: AnswerType) {
  const lines = [...text.matchAll(HASHES)].map((m) => m[1]);
  for (let i = lines.length - 1; i >= 0; i--) {
    const value = answerType === "integer"
      ? firstNumber(lines[i])
      : stringFromLine(lines[i]);
    if (value !== null) return value;
  }
  return null;
}

function fromWholeText(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.includes("\n") || trimmed.length > 80) {
    return null;
  }
  return cleanString(trimmed) || null;
}
