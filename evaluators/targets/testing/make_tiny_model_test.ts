import assert from "node:assert/strict";
import { tinyModelBytes, writeTinyModel } from "./make_tiny_model.ts";

/** A parsed GGUF value: its type number and its JavaScript value. */
interface GgufValue {
  type: number;
  value: unknown;
}

interface GgufTensor {
  name: string;
  dims: number[];
  type: number;
  offset: number;
}

interface Gguf {
  version: number;
  kv: Map<string, GgufValue>;
  tensors: GgufTensor[];
  dataStart: number;
}

/** Reads a GGUF v3 header, metadata and tensor infos (just enough here). */
function readGguf(bytes: Uint8Array): Gguf {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => {
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const u64 = () => {
    const v = view.getBigUint64(at, true);
    at += 8;
    return Number(v);
  };
  const str = () => {
    const n = u64();
    const s = new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(at, at + n),
    );
    at += n;
    return s;
  };
  const scalar = (type: number): unknown => {
    switch (type) {
      case 4:
        return u32();
      case 5: {
        const v = view.getInt32(at, true);
        at += 4;
        return v;
      }
      case 6: {
        const v = view.getFloat32(at, true);
        at += 4;
        return v;
      }
      case 7:
        return bytes[at++] !== 0;
      case 8:
        return str();
      default:
        throw new Error(`unexpected GGUF value type ${type} at ${at}`);
    }
  };
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  assert.equal(magic, "GGUF");
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const kv = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    const type = u32();
    if (type === 9) {
      const of = u32();
      const n = u64();
      const items = Array.from({ length: n }, () => scalar(of));
      kv.set(key, { type: 9, value: { of, items } });
    } else {
      kv.set(key, { type, value: scalar(type) });
    }
  }
  const tensors: GgufTensor[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const nDims = u32();
    const dims = Array.from({ length: nDims }, () => u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const dataStart = Math.ceil(at / 32) * 32;
  return { version, kv, tensors, dataStart };
}

function scalarOf(gguf: Gguf, key: string, type: number): unknown {
  const entry = gguf.kv.get(key);
  assert.ok(entry, `missing key ${key}`);
  assert.equal(entry.type, type, `type of ${key}`);
  return entry.value;
}

function arrayOf(gguf: Gguf, key: string, of: number): unknown[] {
  const value = scalarOf(gguf, key, 9) as { of: number; items: unknown[] };
  assert.equal(value.of, of, `element type of ${key}`);
  return value.items;
}

Deno.test("tiny model: same seed gives the same bytes, another seed others", () => {
  const a = tinyModelBytes({ seed: 7 });
  const b = tinyModelBytes({ seed: 7 });
  const c = tinyModelBytes({ seed: 8 });
  assert.deepEqual(a, b);
  assert.equal(a.length, c.length);
  assert.notDeepEqual(a, c);
  assert.deepEqual(tinyModelBytes(), tinyModelBytes({ seed: 0 }));
});

Deno.test("tiny model: rejects a seed that is not a 32-bit integer", () => {
  assert.throws(() => tinyModelBytes({ seed: -1 }), /seed/);
  assert.throws(() => tinyModelBytes({ seed: 1.5 }), /seed/);
});

Deno.test("tiny model: writeTinyModel writes tinyModelBytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tiny-model-" });
  try {
    await writeTinyModel(`${dir}/m.gguf`, { seed: 3 });
    assert.deepEqual(
      await Deno.readFile(`${dir}/m.gguf`),
      tinyModelBytes({ seed: 3 }),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tiny model: header and metadata parse back with strict types", () => {
  const bytes = tinyModelBytes({ seed: 1 });
  const gguf = readGguf(bytes);
  assert.equal(gguf.version, 3);
  assert.equal(scalarOf(gguf, "general.architecture", 8), "llama");
  assert.equal(scalarOf(gguf, "llama.context_length", 4), 65536);
  assert.equal(scalarOf(gguf, "llama.embedding_length", 4), 64);
  assert.equal(scalarOf(gguf, "llama.block_count", 4), 2);
  assert.equal(scalarOf(gguf, "llama.feed_forward_length", 4), 128);
  assert.equal(scalarOf(gguf, "llama.attention.head_count", 4), 4);
  const eps = scalarOf(gguf, "llama.attention.layer_norm_rms_epsilon", 6);
  assert.ok(Math.abs((eps as number) - 1e-5) < 1e-9);
  assert.equal(scalarOf(gguf, "tokenizer.ggml.model", 8), "gpt2");
  const template = scalarOf(gguf, "tokenizer.chat_template", 8) as string;
  assert.match(template, /<\|im_start\|>/);
  assert.match(template, /add_generation_prompt/);
});

Deno.test("tiny model: vocabulary, control tokens and merges are consistent", () => {
  const gguf = readGguf(tinyModelBytes());
  const tokens = arrayOf(gguf, "tokenizer.ggml.tokens", 8) as string[];
  const types = arrayOf(gguf, "tokenizer.ggml.token_type", 5) as number[];
  const merges = arrayOf(gguf, "tokenizer.ggml.merges", 8) as string[];
  assert.equal(types.length, tokens.length);
  assert.equal(new Set(tokens).size, tokens.length, "tokens are unique");

  const bos = scalarOf(gguf, "tokenizer.ggml.bos_token_id", 4) as number;
  const eos = scalarOf(gguf, "tokenizer.ggml.eos_token_id", 4) as number;
  assert.equal(tokens[bos], "<|endoftext|>");
  assert.equal(eos, bos);
  for (const control of ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]) {
    const id = tokens.indexOf(control);
    assert.ok(id >= 0, control);
    assert.equal(types[id], 3, `${control} is a control token`);
  }

  // Byte tokens: tab, newline, CR and printable ASCII, GPT-2 spelling.
  const single = tokens.filter((t, i) => types[i] === 1 && t.length === 1);
  assert.equal(single.length, 98);
  for (const t of ["Ġ", "Ċ", "ĉ", "č", "{", '"', "~"]) {
    assert.ok(single.includes(t), t);
  }
  for (const [i, t] of tokens.entries()) {
    if (types[i] === 3) continue;
    assert.equal(types[i], 1);
    assert.doesNotMatch(t, /[ \n\t\r]/, "no raw whitespace in a token");
    for (const c of t) {
      const code = c.charCodeAt(0);
      assert.ok(
        (code >= 33 && code <= 126) || [256 + 9, 256 + 10, 256 + 13, 256 + 32]
          .includes(code),
        `ASCII spelling: ${t}`,
      );
    }
  }

  // Merges: at least one; each joins two earlier tokens into a new one.
  assert.ok(merges.length > 0);
  const id = new Map(tokens.map((t, i) => [t, i]));
  const made = new Set<string>();
  for (const merge of merges) {
    const parts = merge.split(" ");
    assert.equal(parts.length, 2, merge);
    const [left, right] = parts;
    assert.ok(id.has(left) && id.has(right), `merge parts exist: ${merge}`);
    const joined = left + right;
    assert.ok(id.has(joined), `merge result exists: ${merge}`);
    assert.ok(joined.length > 1);
    assert.ok(!made.has(joined), `merge result is new: ${merge}`);
    assert.ok(id.get(joined)! > Math.max(id.get(left)!, id.get(right)!));
    made.add(joined);
  }
  for (
    const t of [
      "type",
      "string",
      "properties",
      "description",
      "object",
      "required",
      "integer",
      "additionalProperties",
      '":',
      'Ġ"',
      '",',
      '{"',
      '"}',
      "ĠĠĠĠ",
    ]
  ) {
    assert.ok(made.has(t), `merged token ${t}`);
  }
});

Deno.test("tiny model: tensors have llama shapes and aligned F32 data", () => {
  const bytes = tinyModelBytes({ seed: 2 });
  const gguf = readGguf(bytes);
  const tokens = arrayOf(gguf, "tokenizer.ggml.tokens", 8);
  const byName = new Map(gguf.tensors.map((t) => [t.name, t]));
  assert.deepEqual(byName.get("token_embd.weight")?.dims, [64, tokens.length]);
  assert.deepEqual(byName.get("output_norm.weight")?.dims, [64]);
  for (const layer of [0, 1]) {
    const p = `blk.${layer}.`;
    assert.deepEqual(byName.get(`${p}attn_norm.weight`)?.dims, [64]);
    assert.deepEqual(byName.get(`${p}ffn_norm.weight`)?.dims, [64]);
    for (const n of ["attn_q", "attn_k", "attn_v", "attn_output"]) {
      assert.deepEqual(byName.get(`${p}${n}.weight`)?.dims, [64, 64]);
    }
    assert.deepEqual(byName.get(`${p}ffn_gate.weight`)?.dims, [64, 128]);
    assert.deepEqual(byName.get(`${p}ffn_up.weight`)?.dims, [64, 128]);
    assert.deepEqual(byName.get(`${p}ffn_down.weight`)?.dims, [128, 64]);
  }
  assert.equal(gguf.tensors.length, 2 + 2 * 9);
  let end = 0;
  for (const t of gguf.tensors) {
    assert.equal(t.type, 0, `${t.name} is F32`);
    assert.equal(t.offset % 32, 0, `${t.name} is aligned`);
    assert.ok(t.offset >= end, `${t.name} does not overlap`);
    end = t.offset + 4 * t.dims.reduce((a, b) => a * b, 1);
  }
  assert.equal(gguf.dataStart + Math.ceil(end / 32) * 32, bytes.length);

  // Norms are ones; the rest are finite, not all equal.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const norm = byName.get("output_norm.weight")!;
  assert.equal(view.getFloat32(gguf.dataStart + norm.offset, true), 1);
  const embd = byName.get("token_embd.weight")!;
  const values = Array.from(
    { length: 64 },
    (_, i) => view.getFloat32(gguf.dataStart + embd.offset + 4 * i, true),
  );
  assert.ok(values.every(Number.isFinite));
  assert.ok(new Set(values).size > 60);
});
