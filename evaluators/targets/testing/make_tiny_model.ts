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
 * deno run -A evaluators/targets/testing/make_tiny_model.ts tiny.gguf --seed 7
 * ```
 * @module
 */
import {
  ggufBytes,
  type GgufTensor,
  GgufType,
  type GgufValue,
} from "./gguf_writer.ts";
import { tinyVocabulary } from "./tiny_vocabulary.ts";

/**
 * Options for {@link tinyModelBytes} and {@link writeTinyModel}.
 *
 * @example
 * ```ts
 * const options: TinyModelOptions = { seed: 42 };
 * await writeTinyModel("tiny-42.gguf", options);
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

/**
 * ChatML, as Qwen-style models use it (the assistant turn starts after a newline).
 *
 * @example
 * ```ts
 * CHAT_TEMPLATE.includes("<|im_start|>assistant"); // true
 * ```
 */
export const CHAT_TEMPLATE = "{%- for message in messages -%}" +
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + " +
  "'<|im_end|>' + '\\n' -}}" +
  "{%- endfor -%}" +
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}" +
  "{%- endif -%}";

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

const { U32, I32, F32, BOOL, STRING, ARRAY } = GgufType;

function tensors(vocabSize: number, seed: number): GgufTensor[] {
  const next = randomSource(seed);
  const ones = (n: number) => new Float32Array(n).fill(1);
  const random = (n: number, scale: number) => {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = next() * scale;
    return data;
  };
  const out: GgufTensor[] = [
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
  const vocab = tinyVocabulary();
  const kv: [string, GgufValue][] = [
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

  return ggufBytes(kv, list, ALIGNMENT);
}

/**
 * Writes the tiny model to `path` (see {@link tinyModelBytes}).
 *
 * @example
 * ```ts
 * await writeTinyModel("tiny.gguf", { seed: 42 });
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
      "usage: deno run -A evaluators/targets/testing/make_tiny_model.ts OUT.gguf [--seed N]",
    );
    Deno.exit(2);
  }
  await writeTinyModel(args[0], { seed });
  const { size } = await Deno.stat(args[0]);
  console.log(`wrote ${args[0]} (${size} bytes, seed ${seed})`);
}
