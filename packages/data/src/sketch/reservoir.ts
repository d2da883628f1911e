import { decodeFloat64Compact, encodeFloat64Compact } from "./codec";
import { Rng } from "./prng";

/**
 * A bounded uniform sample of numbers (default 1,000), seeded. Reading uses Li's Algorithm L,
 * which draws random numbers only when an item is taken (O(k log(n/k)) draws in all, not one
 * per item). Two samples merge by weighted sampling without replacement: the number taken from
 * each side follows the hypergeometric law of the two population sizes, so the result is a
 * uniform sample of the union. After a merge, further items use Algorithm R (one draw each),
 * which needs no skip state.
 */
export interface ReservoirState {
  capacity: number;
  seen: number;
  /** Numbers, or float64 little-endian in base64 when shorter. */
  values: string | number[];
  rng: [number, number, number, number];
  /** Algorithm L state; absent after a merge. */
  w?: number;
  next?: number;
}

export class Reservoir {
  readonly capacity: number;
  seen = 0;
  private values: Float64Array;
  private rng: Rng;
  private w = 0;
  private next = -1;
  private skipMode = true;

  constructor(capacity = 1000, seed = 0x5eed) {
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
    this.rng = new Rng(seed);
  }

  add(x: number): void {
    const i = this.seen++;
    const k = this.capacity;
    if (i < k) {
      this.values[i] = x;
      if (i === k - 1 && this.skipMode) {
        this.w = Math.exp(Math.log(this.rng.nextOpenFloat()) / k);
        this.next = k + this.skip();
      }
      return;
    }
    if (this.skipMode) {
      if (i !== this.next) return;
      this.values[this.rng.nextInt(k)] = x;
      this.w *= Math.exp(Math.log(this.rng.nextOpenFloat()) / k);
      this.next += this.skip() + 1;
    } else {
      const j = this.rng.nextInt(i + 1);
      if (j < k) this.values[j] = x;
    }
  }

  private skip(): number {
    const s = Math.floor(Math.log(this.rng.nextOpenFloat()) / Math.log1p(-this.w));
    return Number.isFinite(s) ? s : Number.MAX_SAFE_INTEGER;
  }

  /** The sample (its length is min(seen, capacity)). */
  sample(): Float64Array {
    return this.values.slice(0, Math.min(this.seen, this.capacity));
  }

  /** True when the sample holds every value seen. */
  get complete(): boolean {
    return this.seen <= this.capacity;
  }

  merge(other: Reservoir): void {
    if (other.seen === 0) return;
    if (other.capacity !== this.capacity) throw new Error("cannot merge samples of different capacities");
    const a = this.sample();
    const b = other.sample();
    const na = this.seen;
    const nb = other.seen;
    const total = na + nb;
    const r = Math.min(this.capacity, total);
    let remA = na;
    let remB = nb;
    let takeA = 0;
    for (let i = 0; i < r; i++) {
      if (this.rng.nextFloat() * (remA + remB) < remA) {
        takeA++;
        remA--;
      } else remB--;
    }
    const out = new Float64Array(this.capacity);
    const pickA = this.pick(a, takeA);
    const pickB = this.pick(b, r - takeA);
    out.set(pickA, 0);
    out.set(pickB, pickA.length);
    this.values = out;
    this.seen = total;
    this.skipMode = false;
  }

  /** `count` items of `from` chosen uniformly without replacement, order kept. */
  private pick(from: Float64Array, count: number): Float64Array {
    if (count >= from.length) return from;
    const idx = Array.from({ length: from.length }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + this.rng.nextInt(idx.length - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    const chosen = idx.slice(0, count).sort((x, y) => x - y);
    return Float64Array.from(chosen, (i) => from[i]!);
  }

  toJSON(): ReservoirState {
    const state: ReservoirState = {
      capacity: this.capacity,
      seen: this.seen,
      values: encodeFloat64Compact(this.values, Math.min(this.seen, this.capacity)),
      rng: this.rng.state(),
    };
    if (this.skipMode && this.seen >= this.capacity) {
      state.w = this.w;
      state.next = this.next;
    }
    return state;
  }

  static fromJSON(state: ReservoirState): Reservoir {
    const r = new Reservoir(state.capacity);
    r.values.set(decodeFloat64Compact(state.values));
    r.seen = state.seen;
    r.rng = new Rng(state.rng);
    if (state.seen >= state.capacity) {
      if (state.w !== undefined && state.next !== undefined) {
        r.w = state.w;
        r.next = state.next;
      } else r.skipMode = false;
    }
    return r;
  }
}
