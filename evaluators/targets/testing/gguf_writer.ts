/**
 * A minimal GGUF v3 writer, as much of the format as the tiny model of
 * `make_tiny_model.ts` needs: metadata of scalar, string and array values,
 * and F32 tensors, with the data of each tensor aligned.
 *
 * @example
 * ```ts
 * import { ggufBytes, GgufType } from "./gguf_writer.ts";
 * const bytes = ggufBytes(
 *   [["general.name", { type: GgufType.STRING, value: "demo" }]],
 *   [{ name: "w", dims: [2], data: new Float32Array([1, 2]) }],
 *   32,
 * );
 * new TextDecoder().decode(bytes.subarray(0, 4)); // "GGUF"
 * ```
 * @module
 */

/**
 * The GGUF value types this writer knows (the numbers are the format's).
 *
 * @example
 * ```ts
 * const value: GgufValue = { type: GgufType.U32, value: 32 };
 * ```
 */
export const GgufType = {
  U32: 4,
  I32: 5,
  F32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
} as const;

/**
 * One metadata value: a number, a boolean, a string, or an array of 32-bit
 * integers or of strings.
 *
 * @example
 * ```ts
 * const tokens: GgufValue = { type: GgufType.ARRAY, of: GgufType.STRING, value: ["a", "b"] };
 * ```
 */
export type GgufValue =
  | {
    type: typeof GgufType.U32 | typeof GgufType.I32 | typeof GgufType.F32;
    value: number;
  }
  | { type: typeof GgufType.BOOL; value: boolean }
  | { type: typeof GgufType.STRING; value: string }
  | { type: typeof GgufType.ARRAY; of: typeof GgufType.I32; value: number[] }
  | {
    type: typeof GgufType.ARRAY;
    of: typeof GgufType.STRING;
    value: string[];
  };

/**
 * One F32 tensor.
 *
 * @example
 * ```ts
 * const norm: GgufTensor = { name: "output_norm.weight", dims: [64], data: new Float32Array(64).fill(1) };
 * ```
 */
export interface GgufTensor {
  name: string;
  /** Dimensions, contiguous first. */
  dims: number[];
  data: Float32Array;
}

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
  pad(alignment: number) {
    while (this.length % alignment !== 0) this.u8(0);
  }
  value(v: GgufValue) {
    switch (v.type) {
      case GgufType.U32:
        return this.u32(v.value);
      case GgufType.I32:
        return this.i32(v.value);
      case GgufType.F32:
        return this.f32(v.value);
      case GgufType.BOOL:
        return this.u8(v.value ? 1 : 0);
      case GgufType.STRING:
        return this.string(v.value);
      case GgufType.ARRAY:
        this.u32(v.of);
        this.u64(v.value.length);
        for (const item of v.value) {
          if (v.of === GgufType.I32) this.i32(item as number);
          else this.string(item as string);
        }
    }
  }
  bytes(): Uint8Array {
    return this.#bytes.slice(0, this.length);
  }
}

/**
 * The bytes of a GGUF v3 file: the header, `metadata` in order, the tensor
 * infos, then each tensor's F32 data, every part padded to `alignment`
 * (which `metadata` should state as `general.alignment` when it is not 32).
 *
 * @example
 * ```ts
 * const bytes = ggufBytes([], [{ name: "w", dims: [1], data: new Float32Array([0.5]) }], 32);
 * bytes.length % 32; // 0
 * ```
 */
export function ggufBytes(
  metadata: [string, GgufValue][],
  tensors: GgufTensor[],
  alignment: number,
): Uint8Array {
  const out = new ByteWriter();
  out.u32(0x46554747); // "GGUF"
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    out.u32(value.type);
    out.value(value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(0); // F32
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / alignment) * alignment;
  }
  out.pad(alignment);
  for (const tensor of tensors) {
    for (const x of tensor.data) out.f32(x);
    out.pad(alignment);
  }
  return out.bytes();
}
