/**
 * The tiny model's vocabulary: every ASCII byte in GPT-2's byte-to-unicode
 * spelling, BPE merges that make common JSON Schema text (and some prompt
 * prose) single tokens, and the ChatML control tokens.
 *
 * @example
 * ```ts
 * import { tinyVocabulary } from "./tiny_vocabulary.ts";
 * const { tokens, merges, bos } = tinyVocabulary();
 * tokens[bos]; // "<|endoftext|>"
 * ```
 * @module
 */

const CONTROL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

/**
 * Texts that become single tokens. The pre-tokenizer ("qwen2") splits text
 * into runs of letters (with one leading non-letter), runs of punctuation
 * (with one leading space and any trailing newlines), single digits and runs
 * of whitespace; BPE merges only work inside one such piece, so these are
 * such pieces.
 */
const MERGE_TARGETS: string[] = [
  // whitespace: indentation runs and blank lines
  ...Array.from({ length: 15 }, (_, i) => " ".repeat(i + 2)),
  "\n\n",
  // punctuation as JSON puts it
  '":',
  ' "',
  '",',
  '{"',
  '"}',
  '["',
  '"]',
  " {",
  " [",
  "},",
  "],",
  "}}",
  "]}",
  '":"',
  '","',
  '":{"',
  '":["',
  '":{',
  '":[',
  '"},',
  '"],',
  '"}}',
  '"}]',
  ' {"',
  ' ["',
  '"$',
  "{\n",
  "[\n",
  '",\n',
  '"\n',
  "},\n",
  "}\n",
  "],\n",
  "]\n",
  " {\n",
  " [\n",
  "://",
  "#/",
  // JSON Schema words
  "type",
  "string",
  "properties",
  "description",
  "object",
  "required",
  "integer",
  "number",
  "boolean",
  "array",
  "items",
  "enum",
  "title",
  "default",
  "format",
  "additionalProperties",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
  "null",
  "const",
  "anyOf",
  "oneOf",
  "allOf",
  "schema",
  "ref",
  "defs",
  "definitions",
  "examples",
  "true",
  "false",
  "name",
  "date",
  "time",
  "email",
  "uri",
  "json",
  "http",
  "draft",
  // prompt prose
  " the",
  " a",
  " to",
  " of",
  " and",
  " that",
  " JSON",
  " schema",
  " object",
  " with",
  " only",
  " valid",
];

/**
 * GPT-2's byte-to-unicode spelling of one ASCII byte: printable characters
 * stand for themselves, the bytes below "!" are shifted past U+00FF (so a
 * space is "Ġ" and a newline "Ċ").
 */
function byteChar(byte: number): string {
  return String.fromCharCode(byte >= 33 && byte <= 126 ? byte : 256 + byte);
}

/**
 * GPT-2's byte-to-unicode spelling of ASCII text, one entry per character
 * (so a space is "Ġ" and a newline "Ċ"); throws for a character that is not
 * ASCII.
 *
 * @example
 * ```ts
 * spell(' {"').join(""); // 'Ġ{"'
 * ```
 */
export function spell(text: string): string[] {
  return [...text].map((c) => {
    const code = c.charCodeAt(0);
    if (code > 126) throw new Error(`not ASCII: ${JSON.stringify(c)}`);
    return byteChar(code);
  });
}

/**
 * The vocabulary: tokens in id order, their types (1 normal, 3 control),
 * the merges in rank order, and the id of the first control token (used as
 * both BOS and EOS).
 *
 * @example
 * ```ts
 * const vocab: Vocabulary = tinyVocabulary();
 * vocab.tokens.length === vocab.types.length; // true
 * ```
 */
export interface Vocabulary {
  tokens: string[];
  types: number[];
  merges: string[];
  bos: number;
}

const NORMAL = 1;
const CONTROL = 3;

/** BPE as llama.cpp applies it: lowest-ranked adjacent pair first. */
function bpe(symbols: string[], ranks: Map<string, number>): string[] {
  const parts = [...symbols];
  while (parts.length > 1) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const rank = ranks.get(`${parts[i]} ${parts[i + 1]}`);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) break;
    parts.splice(best, 2, parts[best] + parts[best + 1]);
  }
  return parts;
}

/**
 * Builds the vocabulary (the same every time): the byte tokens, then one
 * token per merge, then the control tokens. Throws if a merge target would
 * not end up as a single token.
 *
 * @example
 * ```ts
 * const { merges } = tinyVocabulary();
 * merges[0]; // "Ġ Ġ" (two spaces)
 * ```
 */
export function tinyVocabulary(): Vocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const known = new Set<string>();
  const add = (token: string, type: number) => {
    tokens.push(token);
    types.push(type);
    known.add(token);
  };
  for (const byte of [9, 10, 13]) add(byteChar(byte), NORMAL);
  for (let byte = 32; byte <= 126; byte++) add(byteChar(byte), NORMAL);

  const merges: string[] = [];
  const ranks = new Map<string, number>();
  for (const target of MERGE_TARGETS) {
    // Each new merge ranks last, so it cannot change how earlier targets
    // split; merge the leftmost pair whose join is new until one piece is
    // left (a pair may recur in the word, so split again after each merge).
    for (;;) {
      const parts = bpe(spell(target), ranks);
      if (parts.length === 1) break;
      const at = parts.findIndex((p, i) =>
        i + 1 < parts.length && !known.has(p + parts[i + 1])
      );
      if (at < 0) {
        throw new Error(
          `merge target ${JSON.stringify(target)} is stuck at ${
            parts.join("|")
          }`,
        );
      }
      const pair = `${parts[at]} ${parts[at + 1]}`;
      ranks.set(pair, merges.length);
      merges.push(pair);
      add(parts[at] + parts[at + 1], NORMAL);
    }
  }
  for (const target of MERGE_TARGETS) {
    const parts = bpe(spell(target), ranks);
    if (parts.length !== 1) {
      throw new Error(
        `merge target ${JSON.stringify(target)} splits as ${parts.join("|")}`,
      );
    }
  }
  const bos = tokens.length;
  for (const token of CONTROL_TOKENS) add(token, CONTROL);
  return { tokens, types, merges, bos };
}
