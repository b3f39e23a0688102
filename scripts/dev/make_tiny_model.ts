/**
 * Writes a tiny random-weight model as a GGUF v3 file that llama.cpp's
 * `llama-server` loads: the llama architecture (64 wide, 2 layers, 4 heads),
 * an ASCII byte vocabulary in GPT-2's byte-to-unicode spelling, BPE merges
 * for common JSON Schema text, ChatML control tokens and chat template, and
 * F32 weights drawn from a seeded generator (same seed, same bytes).
 *
 * It answers nonsense, but under a grammar (a JSON schema) every answer is
 * well-formed, which is what the tests of a structured-generation server
 * need.
 *
 * @example
 * ```sh
 * deno run -A scripts/dev/make_tiny_model.ts /tmp/tiny.gguf --seed 7
 * ```
 * @module
 */

/**
 * Options for {@link tinyModelBytes} and {@link writeTinyModel}.
 *
 * @example
 * ```ts
 * const options: TinyModelOptions = { seed: 42 };
 * await writeTinyModel("/tmp/tiny-42.gguf", options);
 * ```
 */
export interface TinyModelOptions {
  /** Seed of the weight generator; the same seed gives the same bytes. */
  seed?: number;
}

const EMBED = 64;
const FEED_FORWARD = 128;
const LAYERS = 2;
const HEADS = 4;
const CONTEXT_LENGTH = 65536;
const ALIGNMENT = 32;

/** ChatML, as Qwen-style models use it. */
const CHAT_TEMPLATE = "{%- for message in messages -%}" +
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + " +
  "'<|im_end|>' + '\\n' -}}" +
  "{%- endfor -%}" +
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}" +
  "{%- endif -%}";

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

function spell(text: string): string[] {
  return [...text].map((c) => {
    const code = c.charCodeAt(0);
    if (code > 126) throw new Error(`not ASCII: ${JSON.stringify(c)}`);
    return byteChar(code);
  });
}

/** The vocabulary: tokens in id order, their types, and the merges. */
interface Vocabulary {
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

function buildVocabulary(): Vocabulary {
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

/**
 * A small seeded generator (xorshift32 over a mixed seed): uniform floats
 * in [-1, 1), the same sequence for the same seed on every platform.
 */
function randomSource(seed: number): () => number {
  let state = (Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x9e3779b1) >>> 0) || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2147483648 - 1;
  };
}

// GGUF value types
const U32 = 4;
const I32 = 5;
const F32 = 6;
const BOOL = 7;
const STRING = 8;
const ARRAY = 9;

type Value =
  | { type: typeof U32 | typeof I32 | typeof F32; value: number }
  | { type: typeof BOOL; value: boolean }
  | { type: typeof STRING; value: string }
  | { type: typeof ARRAY; of: typeof I32; value: number[] }
  | { type: typeof ARRAY; of: typeof STRING; value: string[] };

/** A growing little-endian byte buffer. */
class ByteWriter {
  #bytes = new Uint8Array(1 << 16);
  #view = new DataView(this.#bytes.buffer);
  length = 0;

  #reserve(n: number): number {
    if (this.length + n > this.#bytes.length) {
      const bigger = new Uint8Array(
        Math.max(this.#bytes.length * 2, this.length + n),
      );
      bigger.set(this.#bytes);
      this.#bytes = bigger;
      this.#view = new DataView(bigger.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }
  u32(n: number) {
    const at = this.#reserve(4);
    this.#view.setUint32(at, n, true);
  }
  i32(n: number) {
    const at = this.#reserve(4);
    this.#view.setInt32(at, n, true);
  }
  u64(n: number) {
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, BigInt(n), true);
  }
  f32(n: number) {
    const at = this.#reserve(4);
    this.#view.setFloat32(at, n, true);
  }
  u8(n: number) {
    const at = this.#reserve(1);
    this.#view.setUint8(at, n);
  }
  string(s: string) {
    const utf8 = new TextEncoder().encode(s);
    this.u64(utf8.length);
    const at = this.#reserve(utf8.length);
    this.#bytes.set(utf8, at);
  }
  pad() {
    while (this.length % ALIGNMENT !== 0) this.u8(0);
  }
  value(v: Value) {
    switch (v.type) {
      case U32:
        return this.u32(v.value);
      case I32:
        return this.i32(v.value);
      case F32:
        return this.f32(v.value);
      case BOOL:
        return this.u8(v.value ? 1 : 0);
      case STRING:
        return this.string(v.value);
      case ARRAY:
        this.u32(v.of);
        this.u64(v.value.length);
        for (const item of v.value) {
          if (v.of === I32) this.i32(item as number);
          else this.string(item as string);
        }
    }
  }
  bytes(): Uint8Array {
    return this.#bytes.slice(0, this.length);
  }
}

interface Tensor {
  name: string;
  /** Dimensions, contiguous first. */
  dims: number[];
  data: Float32Array;
}

function tensors(vocabSize: number, seed: number): Tensor[] {
  const next = randomSource(seed);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const random = (n: number, scale: number) => {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = next() * scale;
    return data;
  };
  const out: Tensor[] = [
    {
      name: "token_embd.weight",
      dims: [EMBED, vocabSize],
      data: random(EMBED * vocabSize, 1),
    },
    { name: "output_norm.weight", dims: [EMBED], data: ones(EMBED) },
  ];
  const wide = 1 / Math.sqrt(EMBED);
  const narrow = 1 / Math.sqrt(FEED_FORWARD);
  for (let layer = 0; layer < LAYERS; layer++) {
    const p = `blk.${layer}.`;
    out.push(
      { name: `${p}attn_norm.weight`, dims: [EMBED], data: ones(EMBED) },
      ...["attn_q", "attn_k", "attn_v", "attn_output"].map((n) => ({
        name: `${p}${n}.weight`,
        dims: [EMBED, EMBED],
        data: random(EMBED * EMBED, wide),
      })),
      { name: `${p}ffn_norm.weight`, dims: [EMBED], data: ones(EMBED) },
      ...["ffn_gate", "ffn_up"].map((n) => ({
        name: `${p}${n}.weight`,
        dims: [EMBED, FEED_FORWARD],
        data: random(EMBED * FEED_FORWARD, wide),
      })),
      {
        name: `${p}ffn_down.weight`,
        dims: [FEED_FORWARD, EMBED],
        data: random(FEED_FORWARD * EMBED, narrow),
      },
    );
  }
  return out;
}

/**
 * The bytes of the tiny model's GGUF file.
 *
 * @example
 * ```ts
 * const bytes = tinyModelBytes({ seed: 1 });
 * new TextDecoder().decode(bytes.subarray(0, 4)); // "GGUF"
 * ```
 */
export function tinyModelBytes(options: TinyModelOptions = {}): Uint8Array {
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`seed must be an integer in [0, 2^32): ${seed}`);
  }
  const vocab = buildVocabulary();
  const kv: [string, Value][] = [
    ["general.architecture", { type: STRING, value: "llama" }],
    ["general.name", { type: STRING, value: `tiny-random-${seed}` }],
    ["general.alignment", { type: U32, value: ALIGNMENT }],
    ["llama.context_length", { type: U32, value: CONTEXT_LENGTH }],
    ["llama.embedding_length", { type: U32, value: EMBED }],
    ["llama.block_count", { type: U32, value: LAYERS }],
    ["llama.feed_forward_length", { type: U32, value: FEED_FORWARD }],
    ["llama.attention.head_count", { type: U32, value: HEADS }],
    ["llama.attention.head_count_kv", { type: U32, value: HEADS }],
    ["llama.rope.dimension_count", { type: U32, value: EMBED / HEADS }],
    ["llama.attention.layer_norm_rms_epsilon", { type: F32, value: 1e-5 }],
    ["tokenizer.ggml.model", { type: STRING, value: "gpt2" }],
    ["tokenizer.ggml.pre", { type: STRING, value: "qwen2" }],
    ["tokenizer.ggml.tokens", { type: ARRAY, of: STRING, value: vocab.tokens }],
    ["tokenizer.ggml.token_type", { type: ARRAY, of: I32, value: vocab.types }],
    ["tokenizer.ggml.merges", { type: ARRAY, of: STRING, value: vocab.merges }],
    ["tokenizer.ggml.bos_token_id", { type: U32, value: vocab.bos }],
    ["tokenizer.ggml.eos_token_id", { type: U32, value: vocab.bos }],
    ["tokenizer.ggml.add_bos_token", { type: BOOL, value: false }],
    ["tokenizer.chat_template", { type: STRING, value: CHAT_TEMPLATE }],
  ];
  const list = tensors(vocab.tokens.length, seed);

  const out = new ByteWriter();
  out.u32(0x46554747); // "GGUF"
  out.u32(3);
  out.u64(list.length);
  out.u64(kv.length);
  for (const [key, value] of kv) {
    out.string(key);
    out.u32(value.type);
    out.value(value);
  }
  let offset = 0;
  for (const tensor of list) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(0); // F32
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.pad();
  for (const tensor of list) {
    for (const x of tensor.data) out.f32(x);
    out.pad();
  }
  return out.bytes();
}

/**
 * Writes the tiny model to `path` (see {@link tinyModelBytes}).
 *
 * @example
 * ```ts
 * await writeTinyModel("/tmp/tiny.gguf", { seed: 42 });
 * ```
 */
export async function writeTinyModel(
  path: string,
  options: TinyModelOptions = {},
): Promise<void> {
  await Deno.writeFile(path, tinyModelBytes(options));
}

if (import.meta.main) {
  const args = [...Deno.args];
  let seed = 0;
  const at = args.indexOf("--seed");
  if (at >= 0) {
    seed = Number(args[at + 1]);
    args.splice(at, 2);
  }
  if (args.length !== 1 || !Number.isInteger(seed)) {
    console.error(
      "usage: deno run -A scripts/dev/make_tiny_model.ts OUT.gguf [--seed N]",
    );
    Deno.exit(2);
  }
  await writeTinyModel(args[0], { seed });
  const { size } = await Deno.stat(args[0]);
  console.log(`wrote ${args[0]} (${size} bytes, seed ${seed})`);
}
