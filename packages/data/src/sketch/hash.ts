/**
 * A fixed 64-bit hash, computed as two 32-bit lanes (JavaScript has no fast 64-bit integers).
 * Strings hash their UTF-8 bytes with two MurmurHash3-style lanes that use different
 * multipliers and seeds, cross-mixed at the end; numbers hash the 8 bytes of their float64
 * through a three-round Feistel network of MurmurHash3's finaliser, which is a bijection, so two
 * different numbers never collide. The value of a hash is part of the profile format: changing
 * it changes every HyperLogLog and fingerprint, so it needs a new profile version.
 *
 * Results go into a caller-owned `Uint32Array(2)` ([hi, lo]) to avoid allocating per value.
 */

const SEED_A = 0x2f0f7a1b;
const SEED_B = 0x6c8e9cf5;

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes `buf[start, end)`. */
export function hashBytes(buf: Uint8Array, start: number, end: number, out: Uint32Array): void {
  let h1 = SEED_A;
  let h2 = SEED_B;
  let i = start;
  const blocksEnd = end - ((end - start) & 3);
  for (; i < blocksEnd; i += 4) {
    const k = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(k, 0x27d4eb2f);
    k2 = (k2 << 17) | (k2 >>> 15);
    h2 ^= Math.imul(k2, 0x165667b1);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x7feb352d) | 0;
  }
  const rest = end - i;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= buf[i + 2]! << 16;
    if (rest >= 2) k ^= buf[i + 1]! << 8;
    k ^= buf[i]!;
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
    let k2 = Math.imul(k, 0x27d4eb2f);
    k2 = (k2 << 17) | (k2 >>> 15);
    h2 ^= Math.imul(k2, 0x165667b1);
  }
  const len = end - start;
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low and high words of a float64 on this machine. */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** Hashes a number by its float64 bits (-0 is 0; every NaN is the same NaN). */
export function hashNumber(x: number, out: Uint32Array): void {
  f64[0] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x;
  let l = u32[HI]! ^ 0x9e3779b9;
  let r = u32[LO]! ^ 0x7f4a7c15;
  // Feistel rounds: (l, r) -> (r, l ^ F(r)), a bijection on 64 bits for any F.
  let t = l ^ fmix32((r + 0x3c6ef372) | 0);
  l = r;
  r = t;
  t = l ^ fmix32((r + 0xdaa66d2b) | 0);
  l = r;
  r = t;
  t = l ^ fmix32((r + 0x78dde6e4) | 0);
  l = r;
  r = t;
  out[0] = l;
  out[1] = r;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** Hashes a string by its UTF-8 bytes: the same value as `hashBytes` on those bytes. */
export function hashString(s: string, out: Uint32Array): void {
  if (s.length * 3 > scratch.length) scratch = new Uint8Array(s.length * 3 + 16);
  const { written } = encoder.encodeInto(s, scratch);
  hashBytes(scratch, 0, written, out);
}
