/**
 * Writes the closed-form ("bigram") model as a GGUF v3 file that llama.cpp's
 * `llama-server` loads: the llama architecture with one layer whose weights
 * are all zero (attention and feed-forward add nothing to the residual), a
 * one-hot token embedding (× {@link EMBED_SCALE}, so RMSNorm's epsilon is
 * negligible), an output norm of 1/√width, so the normed state is exactly
 * the one-hot vector of the last token, and an output matrix whose column
 * for token i is row i of the log-weight table of `bigram_table.ts`. So the
 * logits after a token are exactly that row, and the next-token
 * distribution is known in closed form ({@link nextLogProbs}).
 *
 * @example
 * ```sh
 * deno run -A evaluators/targets/testing/make_bigram_model.ts bigram.gguf
 * ```
 * @module
 */
import {
  ggufBytes,
  type GgufTensor,
  GgufType,
  type GgufValue,
} from "./gguf_writer.ts";
import { bigramModel, nextLogProbs } from "./bigram_table.ts";
import { spell } from "./tiny_vocabulary.ts";
import { CHAT_TEMPLATE } from "./make_tiny_model.ts";

export { nextLogProbs };

/** The width: a power of two no smaller than the vocabulary. */
const EMBED = 128;
const FEED_FORWARD = 32;
const HEADS = 2;
const ALIGNMENT = 32;
const CONTEXT_LENGTH = 65536;
/** The embedding's scale: ≫ √(width·ε), so RMSNorm divides by exactly scale/√width. */
export const EMBED_SCALE = 100;

const { U32, I32, F32, BOOL, STRING, ARRAY } = GgufType;

function tensors(): GgufTensor[] {
  const { logits, size } = bigramModel();
  if (size > EMBED) throw new Error(`vocabulary ${size} > width ${EMBED}`);
  const zeros = (n: number) => new Float32Array(n);
  const embedding = zeros(EMBED * size);
  for (let token = 0; token < size; token++) {
    embedding[token * EMBED + token] = EMBED_SCALE;
  }
  // output.weight is [EMBED, size]: row `next` holds the logit of `next`
  // after each previous token (one per embedding dimension).
  const output = zeros(EMBED * size);
  for (let prev = 0; prev < size; prev++) {
    for (let next = 0; next < size; next++) {
      output[next * EMBED + prev] = logits[prev * size + next];
    }
  }
  const p = "blk.0.";
  return [
    { name: "token_embd.weight", dims: [EMBED, size], data: embedding },
    {
      name: "output_norm.weight",
      dims: [EMBED],
      data: new Float32Array(EMBED).fill(1 / Math.sqrt(EMBED)),
    },
    { name: "output.weight", dims: [EMBED, size], data: output },
    { name: `${p}attn_norm.weight`, dims: [EMBED], data: zeros(EMBED) },
    ...["attn_q", "attn_k", "attn_v", "attn_output"].map((n) => ({
      name: `${p}${n}.weight`,
      dims: [EMBED, EMBED],
      data: zeros(EMBED * EMBED),
    })),
    { name: `${p}ffn_norm.weight`, dims: [EMBED], data: zeros(EMBED) },
    ...["ffn_gate", "ffn_up"].map((n) => ({
      name: `${p}${n}.weight`,
      dims: [EMBED, FEED_FORWARD],
      data: zeros(EMBED * FEED_FORWARD),
    })),
    {
      name: `${p}ffn_down.weight`,
      dims: [FEED_FORWARD, EMBED],
      data: zeros(FEED_FORWARD * EMBED),
    },
  ];
}

/**
 * The bytes of the bigram model's GGUF file (the same every time).
 *
 * @example
 * ```ts
 * const bytes = bigramModelBytes();
 * new TextDecoder().decode(bytes.subarray(0, 4)); // "GGUF"
 * ```
 */
export function bigramModelBytes(): Uint8Array {
  const model = bigramModel();
  const spelled = model.tokens.map((t, i) =>
    model.types[i] === 3 ? t : spell(t).join("")
  );
  const kv: [string, GgufValue][] = [
    ["general.architecture", { type: STRING, value: "llama" }],
    ["general.name", { type: STRING, value: "bigram" }],
    ["general.alignment", { type: U32, value: ALIGNMENT }],
    ["llama.context_length", { type: U32, value: CONTEXT_LENGTH }],
    ["llama.embedding_length", { type: U32, value: EMBED }],
    ["llama.block_count", { type: U32, value: 1 }],
    ["llama.feed_forward_length", { type: U32, value: FEED_FORWARD }],
    ["llama.attention.head_count", { type: U32, value: HEADS }],
    ["llama.attention.head_count_kv", { type: U32, value: HEADS }],
    ["llama.rope.dimension_count", { type: U32, value: EMBED / HEADS }],
    ["llama.attention.layer_norm_rms_epsilon", { type: F32, value: 1e-5 }],
    ["tokenizer.ggml.model", { type: STRING, value: "gpt2" }],
    ["tokenizer.ggml.pre", { type: STRING, value: "qwen2" }],
    ["tokenizer.ggml.tokens", { type: ARRAY, of: STRING, value: spelled }],
    ["tokenizer.ggml.token_type", {
      type: ARRAY,
      of: I32,
      value: model.types,
    }],
    ["tokenizer.ggml.merges", { type: ARRAY, of: STRING, value: [] }],
    ["tokenizer.ggml.bos_token_id", { type: U32, value: model.eos }],
    ["tokenizer.ggml.eos_token_id", { type: U32, value: model.eos }],
    ["tokenizer.ggml.add_bos_token", { type: BOOL, value: false }],
    ["tokenizer.chat_template", { type: STRING, value: CHAT_TEMPLATE }],
  ];
  return ggufBytes(kv, tensors(), ALIGNMENT);
}

/**
 * Writes the bigram model to `path`.
 *
 * @example
 * ```ts
 * await writeBigramModel("bigram.gguf");
 * ```
 */
export async function writeBigramModel(path: string): Promise<void> {
  await Deno.writeFile(path, bigramModelBytes());
}

if (import.meta.main) {
  if (Deno.args.length !== 1) {
    console.error(
      "usage: deno run -A evaluators/targets/testing/make_bigram_model.ts OUT.gguf",
    );
    Deno.exit(2);
  }
  await writeBigramModel(Deno.args[0]);
  const { size } = await Deno.stat(Deno.args[0]);
  console.log(`wrote ${Deno.args[0]} (${size} bytes)`);
}
