import { decodeFloat64Compact, encodeFloat64Compact } from "./codec";
import { Rng } from "./prng";

/**
 * A bounded uniform sample of numbers, seeded: every value while at most `capacity` (default
 * 1,000) were seen, so exact tests on small data stay possible; past that, a uniform sample of
 * `thinned` = capacity / 4 values, which keeps profiles small. Reading uses Li's Algorithm L
 * (random numbers drawn only when an item is taken: O(k log(n/k)) draws in all) over `capacity`
 * slots; serialising a reservoir past capacity draws the thinned sample from them (a uniform
 * subset of a uniform sample is uniform). Two samples merge by weighted sampling without
 * replacement: the number taken from each side follows the hypergeometric law of the two
 * population sizes, so the result is a uniform sample of the union. After a merge, further items
 * use Algorithm R (one draw each), which needs no skip state; a thinned sample takes no more.
 */
export interface ReservoirState {
  capacity: number;
  seen: number;
  /**
   * Every value while `seen <= capacity`, else a uniform sample of ceil(capacity / 4) of them
   * (older profiles: of `capacity`). Numbers, or float64 little-endian in base64 when shorter.
   */
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
  /** Values held when past capacity and thinned (from JSON or a merge); -1 while not thinned. */
  private held = -1;

  constructor(capacity = 1000, seed = 0x5eed) {
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
    this.rng = new Rng(seed);
  }

  /** Size of the sample kept past capacity. */
  get thinned(): number {
    return Math.max(1, Math.ceil(this.capacity / 4));
  }

  add(x: number): void {
    if (this.held >= 0) throw new Error("a thinned sample takes no more values");
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

  /** The sample: every value up to `capacity`, past it the held (or thinned-on-save) values. */
  sample(): Float64Array {
    return this.values.slice(0, this.size());
  }

  private size(): number {
    return this.held >= 0 ? this.held : Math.min(this.seen, this.capacity);
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
    // Each side holds at least min(its population, thinned) values, all that the draw can ask for.
    const r = total <= this.capacity ? total : this.thinned;
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
    this.held = total <= this.capacity ? -1 : r;
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

  /** The state; past capacity, the thinned sample, drawn with a copy of the generator. */
  toJSON(): ReservoirState {
    if (this.seen > this.capacity && this.held < 0) {
      const thin = new Reservoir(this.capacity);
      thin.rng = new Rng(this.rng.state());
      const values = thin.pick(this.values, this.thinned);
      return {
        capacity: this.capacity,
        seen: this.seen,
        values: encodeFloat64Compact(values),
        rng: thin.rng.state(),
      };
    }
    const state: ReservoirState = {
      capacity: this.capacity,
      seen: this.seen,
      values: encodeFloat64Compact(this.values, this.size()),
      rng: this.rng.state(),
    };
    if (this.skipMode && this.seen >= this.capacity && this.held < 0) {
      state.w = this.w;
      state.next = this.next;
    }
    return state;
  }

  static fromJSON(state: ReservoirState): Reservoir {
    const r = new Reservoir(state.capacity);
    const values = decodeFloat64Compact(state.values);
    r.values.set(values);
    r.seen = state.seen;
    if (state.seen > state.capacity && values.length < state.capacity) r.held = values.length;
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
