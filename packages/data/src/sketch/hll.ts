import { decodeBytes, encodeBytes } from "./codec";

/**
 * HyperLogLog distinct counter with 2^lgK registers (lgK = 12: 4,096 registers) over a 64-bit
 * hash, estimated with Ertl's improved raw estimator ("New cardinality estimation algorithms
 * for HyperLogLog sketches", 2017), which needs no bias tables and is accurate from 0 to 2^60.
 * Relative standard error is about 1.04 / sqrt(2^lgK) = 1.6% for lgK = 12. Small cardinalities
 * (well under the register count) are almost exact. Merging takes the register-wise maximum, so
 * a merged sketch equals the sketch of the union exactly.
 */
export interface HllState {
  lgK: number;
  /** "sparse": (index u16 BE, value u8) triples; "dense": 4-bit values above `base`. */
  encoding: "sparse" | "dense";
  base?: number;
  data: string;
  /** Dense only: registers whose value is 15 or more above `base`, as [index, value]. */
  exceptions?: Array<[number, number]>;
}

export class HyperLogLog {
  readonly lgK: number;
  readonly registers: Uint8Array;

  constructor(lgK = 12) {
    if (lgK < 4 || lgK > 16) throw new Error(`HyperLogLog lgK must be 4..16, got ${lgK}`);
    this.lgK = lgK;
    this.registers = new Uint8Array(1 << lgK);
  }

  /** Adds a 64-bit hash given as [hi, lo] 32-bit words. */
  add(hash: Uint32Array): void {
    const hi = hash[0]!;
    const p = this.lgK;
    const idx = hi >>> (32 - p);
    const w = (hi << p) >>> p; // the 32 - p low bits of hi
    const rank = w !== 0 ? Math.clz32(w) - p + 1 : 32 - p + Math.clz32(hash[1]!) + 1;
    if (rank > this.registers[idx]!) this.registers[idx] = rank;
  }

  merge(other: HyperLogLog): void {
    if (other.lgK !== this.lgK)
      throw new Error(`cannot merge HyperLogLog with lgK ${this.lgK} and ${other.lgK}`);
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < a.length; i++) if (b[i]! > a[i]!) a[i] = b[i]!;
  }

  estimate(): number {
    const m = this.registers.length;
    const q = 64 - this.lgK;
    const counts = new Float64Array(q + 2);
    for (let i = 0; i < m; i++) counts[this.registers[i]!]!++;
    let z = m * tau(1 - counts[q + 1]! / m);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + counts[k]!);
    z += m * sigma(counts[0]! / m);
    return (m * m) / (2 * Math.LN2 * z);
  }

  toJSON(): HllState {
    const regs = this.registers;
    let nonZero = 0;
    let base = 255;
    for (let i = 0; i < regs.length; i++) {
      if (regs[i]! !== 0) nonZero++;
      if (regs[i]! < base) base = regs[i]!;
    }
    if (nonZero * 3 < regs.length / 2) {
      const out = new Uint8Array(nonZero * 3);
      let o = 0;
      for (let i = 0; i < regs.length; i++) {
        if (regs[i] === 0) continue;
        out[o++] = i >>> 8;
        out[o++] = i & 255;
        out[o++] = regs[i]!;
      }
      return { lgK: this.lgK, encoding: "sparse", data: encodeBytes(out) };
    }
    const packed = new Uint8Array(regs.length / 2);
    const exceptions: Array<[number, number]> = [];
    for (let i = 0; i < regs.length; i++) {
      let v = regs[i]! - base;
      if (v >= 15) {
        exceptions.push([i, regs[i]!]);
        v = 15;
      }
      packed[i >>> 1]! |= (i & 1) === 0 ? v << 4 : v;
    }
    return { lgK: this.lgK, encoding: "dense", base, data: encodeBytes(packed), exceptions };
  }

  static fromJSON(state: HllState): HyperLogLog {
    const h = new HyperLogLog(state.lgK);
    const bytes = decodeBytes(state.data);
    if (state.encoding === "sparse") {
      for (let o = 0; o + 2 < bytes.length; o += 3)
        h.registers[(bytes[o]! << 8) | bytes[o + 1]!] = bytes[o + 2]!;
      return h;
    }
    const base = state.base ?? 0;
    for (let i = 0; i < h.registers.length; i++) {
      const byte = bytes[i >>> 1] ?? 0;
      h.registers[i] = base + ((i & 1) === 0 ? byte >>> 4 : byte & 15);
    }
    for (const [i, v] of state.exceptions ?? []) h.registers[i] = v;
    return h;
  }
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let prev: number;
  do {
    x *= x;
    prev = z;
    z += x * y;
    y += y;
  } while (z !== prev);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let prev: number;
  do {
    x = Math.sqrt(x);
    prev = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
  } while (z !== prev);
  return z / 3;
}
