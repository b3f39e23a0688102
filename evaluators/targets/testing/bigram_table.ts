/**
 * The closed-form ("bigram") model's vocabulary and next-token table.
 *
 * The model written by `make_bigram_model.ts` has its layers zeroed, so its
 * next-token distribution depends only on the last token: p(next | prev) =
 * softmax(logits[prev]), with `logits[prev][next]` = log of the weight this
 * table gives (rounded to float32, as the GGUF file holds it), and every
 * pair the table does not list at {@link FLOOR_WEIGHT}. The vocabulary is
 * every ASCII byte (so any prompt tokenizes), a few JSON "word" tokens that
 * give the bigram the context a byte cannot (a key and its colon, a string's
 * close and the object's), and the ChatML control tokens.
 *
 * The weights are designed for the `distortion/basic` suite: after the
 * assistant's turn starts (the last prompt token is a newline) `{"v":` or
 * `{"kind":"` is likely, then plausible values, and the end token after a
 * closing brace; and enum members that share a prefix have unequal
 * continuation mass, so a locally constrained decoder visibly differs from
 * the model's distribution restricted to valid outputs.
 *
 * @example
 * ```ts
 * import { bigramModel, nextLogProbs } from "./bigram_table.ts";
 * const model = bigramModel();
 * const start = nextLogProbs(model.id("\n"));
 * Math.exp(start[model.id('{"v":')]) > 0.5; // true
 * ```
 * @module
 */

/** The weight of every pair the table does not list (relative to rows that sum to about 1). */
export const FLOOR_WEIGHT = 1e-4;

/** The end-of-generation token the table puts its end mass on. */
export const EOS = "<|endoftext|>";

/** The ChatML control tokens, after the other tokens in id order. */
export const CONTROL_TOKENS = [EOS, "<|im_start|>", "<|im_end|>"];

/** Multi-character tokens, after the byte tokens in id order. */
export const WORD_TOKENS = [
  '{"v":',
  '{"kind":"',
  '","n":',
  '","ok":',
  '","w":"',
  '"}',
  '",',
  '":',
  '":"',
  '","',
  ',"',
  "true",
  "false",
  "null",
];

const DIGITS = "0123456789".split("");

/** `weight` for each of `texts`. */
function each(texts: string[], weight: number): Record<string, number> {
  return Object.fromEntries(texts.map((t) => [t, weight]));
}

const VALUE_END = { "}": 0.75, '"}': 0.05, ',"': 0.1, [EOS]: 0.1 };
const CLOSED = { [EOS]: 0.95, "}": 0.02, ",": 0.02, "\n": 0.01 };

/** The rows: previous token → next token → weight (unlisted: the floor). */
const ROWS: Record<string, Record<string, number>> = {
  // The assistant's turn starts after a newline.
  "\n": {
    '{"v":': 0.68,
    '{"kind":"': 0.28,
    "{": 0.01,
    '"': 0.01,
    true: 0.01,
    "1": 0.01,
  },
  '{"v":': {
    '"': 0.6,
    true: 0.1,
    false: 0.09,
    null: 0.01,
    "0": 0.03,
    "1": 0.05,
    "2": 0.03,
    ...each(DIGITS.slice(3), 0.009),
    " ": 0.01,
    "{": 0.01,
    "[": 0.01,
  },
  // A string value opens.
  '"': { p: 0.2, q: 0.12, l: 0.18, o: 0.18, a: 0.16, b: 0.16 },
  p: { a: 0.3, b: 0.1, x: 0.45, '"}': 0.1, p: 0.05 },
  q: { '"}': 0.8, u: 0.15, '",': 0.05 },
  l: { o: 0.9, a: 0.1 },
  o: { '"}': 0.35, w: 0.15, '","w":"': 0.3, k: 0.1, n: 0.1 },
  w: { '"}': 0.5, a: 0.2, x: 0.3 },
  k: { '","w":"': 0.55, '"}': 0.35, x: 0.1 },
  n: { '"}': 0.4, x: 0.6 },
  a: { '"}': 0.4, '","n":': 0.3, ...each(DIGITS, 0.025), x: 0.05 },
  b: { '","ok":': 0.35, ...each(DIGITS, 0.05), '"}': 0.1, x: 0.05 },
  c: { '"}': 0.5, x: 0.5 },
  x: { x: 0.25, y: 0.2, '"}': 0.5, '",': 0.05 },
  y: { x: 0.3, '"}': 0.6, y: 0.1 },
  u: { x: 0.5, '"}': 0.5 },
  ...Object.fromEntries(DIGITS.map((d) => [d, {
    "}": 0.45,
    '"}': 0.3,
    ...each(DIGITS, 0.02),
    ',"': 0.03,
    [EOS]: 0.02,
  }])),
  '"}': CLOSED,
  "}": CLOSED,
  '{"kind":"': { a: 0.4, b: 0.4, c: 0.15, '"}': 0.05 },
  '","w":"': { x: 0.45, y: 0.25, '"}': 0.15, o: 0.15 },
  '","n":': { ...each(DIGITS, 0.08), " ": 0.05, '"': 0.1, "-": 0.05 },
  '","ok":': { true: 0.45, false: 0.4, '"': 0.1, "1": 0.05 },
  true: VALUE_END,
  false: VALUE_END,
  null: VALUE_END,
  '",': { '"': 0.9, " ": 0.1 },
  '":': { '"': 0.4, true: 0.2, false: 0.2, "1": 0.2 },
  '":"': { x: 0.5, a: 0.25, b: 0.25 },
  '","': { x: 0.5, k: 0.5 },
  ',"': { x: 0.5, n: 0.5 },
  "{": { '"': 0.8, "}": 0.2 },
};

/** The row of every token the table does not list. */
const DEFAULT_ROW = {
  [EOS]: 0.3,
  "}": 0.2,
  x: 0.2,
  '"': 0.1,
  " ": 0.1,
  "1": 0.1,
};

/**
 * The model: token texts in id order (plain text, control tokens by name),
 * their GGUF types (1 normal, 3 control), the float32 logit table (row =
 * previous token) and the end-of-generation ids.
 *
 * @example
 * ```ts
 * const model: BigramModel = bigramModel();
 * model.tokens[model.eos]; // "<|endoftext|>"
 * ```
 */
export interface BigramModel {
  /** Token texts in id order. */
  tokens: string[];
  /** 1 for a normal token, 3 for a control token. */
  types: number[];
  /** `logits[prev * size + next]`, float32 as the GGUF file holds them. */
  logits: Float32Array;
  /** The vocabulary size. */
  size: number;
  /** The end token the table puts its mass on. */
  eos: number;
  /** Every token llama.cpp ends a generation at (EOS and `<|im_end|>`). */
  eog: ReadonlySet<number>;
  /** The id of a token's text; throws for an unknown one. */
  id(text: string): number;
}

let cached: BigramModel | undefined;

/**
 * The model (built once, the same every time).
 *
 * @example
 * ```ts
 * bigramModel().size; // 115
 * ```
 */
export function bigramModel(): BigramModel {
  if (cached) return cached;
  const tokens: string[] = [];
  const types: number[] = [];
  for (const byte of [9, 10, 13]) tokens.push(String.fromCharCode(byte));
  for (let byte = 32; byte <= 126; byte++) {
    tokens.push(String.fromCharCode(byte));
  }
  tokens.push(...WORD_TOKENS);
  types.push(...tokens.map(() => 1));
  tokens.push(...CONTROL_TOKENS);
  types.push(...CONTROL_TOKENS.map(() => 3));
  const ids = new Map(tokens.map((t, i) => [t, i]));
  const id = (text: string) => {
    const at = ids.get(text);
    if (at === undefined) throw new Error(`no token ${JSON.stringify(text)}`);
    return at;
  };
  const size = tokens.length;
  const logits = new Float32Array(size * size);
  for (let prev = 0; prev < size; prev++) {
    const row = ROWS[tokens[prev]] ?? DEFAULT_ROW;
    const weights = new Float64Array(size).fill(FLOOR_WEIGHT);
    for (const [text, weight] of Object.entries(row)) {
      weights[id(text)] = weight;
    }
    for (let next = 0; next < size; next++) {
      logits[prev * size + next] = Math.log(weights[next]);
    }
  }
  cached = {
    tokens,
    types,
    logits,
    size,
    eos: id(EOS),
    eog: new Set([id(EOS), id("<|im_end|>")]),
    id,
  };
  return cached;
}

/**
 * The closed form: log p(next | prev) for every next token (a log-softmax
 * of the float32 logits, in double precision). The array is shared between
 * callers: do not change it.
 *
 * @example
 * ```ts
 * const model = bigramModel();
 * const row = nextLogProbs(model.id("q"));
 * Math.exp(row[model.id('"}')]); // ≈ 0.8
 * ```
 */
export function nextLogProbs(prev: number): Float64Array {
  const known = rowCache.get(prev);
  if (known) return known;
  const { logits, size } = bigramModel();
  const row = logits.subarray(prev * size, (prev + 1) * size);
  let max = -Infinity;
  for (const x of row) max = Math.max(max, x);
  let sum = 0;
  for (const x of row) sum += Math.exp(x - max);
  const log = max + Math.log(sum);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = row[i] - log;
  rowCache.set(prev, out);
  return out;
}

const rowCache = new Map<number, Float64Array>();

/**
 * log p of a token sequence given the token before it, each token's log p
 * in order (the closed form of what llama-server reports as raw log
 * probabilities).
 *
 * @example
 * ```ts
 * const m = bigramModel();
 * sequenceLogProbs(m.id("\n"), [m.id('{"v":'), m.id("true"), m.id("}"), m.eos]).length; // 4
 * ```
 */
export function sequenceLogProbs(prev: number, ids: number[]): number[] {
  const out: number[] = [];
  for (const next of ids) {
    out.push(nextLogProbs(prev)[next]);
    prev = next;
  }
  return out;
}
