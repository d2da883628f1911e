/** Compact, portable encodings for sketch state inside JSON (little-endian, base64). */

export function encodeFloat64(values: ArrayLike<number>, length = values.length): string {
  const buf = Buffer.allocUnsafe(length * 8);
  for (let i = 0; i < length; i++) buf.writeDoubleLE(values[i]!, i * 8);
  return buf.toString("base64");
}

export function decodeFloat64(text: string): Float64Array {
  const buf = Buffer.from(text, "base64");
  if (buf.length % 8 !== 0) throw new Error("float64 data has a length that is not a multiple of 8");
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

export function encodeBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function decodeBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Marks base64 float32 data; `:` is not in the base64 alphabet, so plain float64 text never starts so. */
const F32 = "f32:";
const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/** The JSON text length of `values` as a number array, or -1 when one is not a plain finite number. */
function jsonLength(values: ArrayLike<number>, length: number): number {
  let textLength = 2;
  for (let i = 0; i < length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x) || Object.is(x, -0)) return -1;
    textLength += String(x).length + 1;
  }
  return textLength;
}

/**
 * The shorter of a JSON number array and base64 float64: codes, labels and short decimals are
 * smaller (and readable) as numbers; full-precision doubles as base64. Both are exact.
 */
export function encodeFloat64Compact(values: ArrayLike<number>, length = values.length): string | number[] {
  const text = jsonLength(values, length);
  if (text >= 0 && text < Math.ceil((length * 8) / 3) * 4)
    return Array.from({ length }, (_, i) => values[i]!);
  return encodeFloat64(values, length);
}

/**
 * For sketch items whose exact digits do not matter (KLL items, as Apache DataSketches' and
 * whylogs' float KLL sketches keep them): a JSON number array when shorter (exact), else
 * `f32:` and base64 float32, rounded to nearest (relative error at most 2^-24, order kept).
 * Values float32 cannot hold within that error (beyond ±3.4e38, or nonzero below 1.2e-38) keep
 * float64.
 */
export function encodeFloat32Compact(values: ArrayLike<number>, length = values.length): string | number[] {
  const text = jsonLength(values, length);
  const f32Length = F32.length + Math.ceil((length * 4) / 3) * 4;
  if (text >= 0 && text <= f32Length) return Array.from({ length }, (_, i) => values[i]!);
  const buf = Buffer.allocUnsafe(length * 4);
  for (let i = 0; i < length; i++) {
    const x = values[i]!;
    const a = Math.abs(x);
    if (a > FLOAT32_MAX || (a !== 0 && a < FLOAT32_MIN_NORMAL)) return encodeFloat64Compact(values, length);
    buf.writeFloatLE(x, i * 4);
  }
  return F32 + buf.toString("base64");
}

/** Decodes `encodeFloat64Compact` and `encodeFloat32Compact` output. */
export function decodeFloat64Compact(data: string | readonly number[]): Float64Array {
  if (typeof data !== "string") return Float64Array.from(data);
  if (!data.startsWith(F32)) return decodeFloat64(data);
  const buf = Buffer.from(data.slice(F32.length), "base64");
  if (buf.length % 4 !== 0) throw new Error("float32 data has a length that is not a multiple of 4");
  const out = new Float64Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
