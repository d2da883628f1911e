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

/**
 * The shorter of a JSON number array and base64 float64: codes, labels and short decimals are
 * smaller (and readable) as numbers; full-precision doubles as base64. Both are exact.
 */
export function encodeFloat64Compact(values: ArrayLike<number>, length = values.length): string | number[] {
  let textLength = 2;
  for (let i = 0; i < length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x) || Object.is(x, -0)) return encodeFloat64(values, length);
    textLength += String(x).length + 1;
  }
  if (textLength < Math.ceil((length * 8) / 3) * 4) return Array.from({ length }, (_, i) => values[i]!);
  return encodeFloat64(values, length);
}

export function decodeFloat64Compact(data: string | readonly number[]): Float64Array {
  return typeof data === "string" ? decodeFloat64(data) : Float64Array.from(data);
}
