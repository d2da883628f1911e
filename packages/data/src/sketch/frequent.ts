/**
 * Frequent items by the Misra-Gries algorithm with `capacity` counters (default 256). Every
 * estimate is a lower bound and undercounts by at most `offset` <= n / (capacity + 1). With no
 * more distinct values than counters the counts are exact. Two summaries merge by the rule of
 * Agarwal et al. ("Mergeable summaries", 2012): add the counters, then subtract the
 * (capacity + 1)-th largest count, which keeps the same error bound.
 *
 * Items are keyed by the 64-bit hash of the value, so the hot path never decodes a string it
 * already counts; the value is kept for display and for re-keying.
 */
export type ItemValue = string | number | boolean;

export interface FrequentState {
  capacity: number;
  n: number;
  offset: number;
  /** [value, count], count descending. */
  items: Array<[ItemValue, number]>;
}

interface Entry {
  value: ItemValue;
  count: number;
  /** The 64-bit hash; `hi | 0` is the map key. */
  hi: number;
  lo: number;
  /** Next entry whose high word is the same (rare). */
  next: Entry | null;
}

export class FrequentItems {
  readonly capacity: number;
  n = 0;
  offset = 0;
  /** Keyed by the hash's high word as an int32, which V8 keeps unboxed. */
  private entries = new Map<number, Entry>();
  private count = 0;

  constructor(capacity = 256) {
    this.capacity = capacity;
  }

  private find(hash: Uint32Array): Entry | undefined {
    let e = this.entries.get(hash[0]! | 0);
    const lo = hash[1]!;
    while (e !== undefined && e.lo !== lo) e = e.next ?? undefined;
    return e;
  }

  private put(hash: Uint32Array, value: ItemValue, count: number): void {
    const key = hash[0]! | 0;
    const e: Entry = { value, count, hi: hash[0]!, lo: hash[1]!, next: this.entries.get(key) ?? null };
    this.entries.set(key, e);
    this.count++;
  }

  /** Counts the value with this 64-bit hash when it is tracked; false means call `insert`. */
  increment(hash: Uint32Array): boolean {
    const e = this.find(hash);
    if (e === undefined) return false;
    e.count++;
    this.n++;
    return true;
  }

  /** Counts a value that `increment` did not know. */
  insert(hash: Uint32Array, value: ItemValue): void {
    this.n++;
    if (this.count < this.capacity) {
      this.put(hash, value, 1);
      return;
    }
    this.offset++;
    this.subtract(1);
  }

  add(hash: Uint32Array, value: ItemValue, weight = 1): void {
    const e = this.find(hash);
    if (e) e.count += weight;
    else this.put(hash, value, weight);
    this.n += weight;
    if (this.count > this.capacity) this.prune();
  }

  /** Subtracts `amount` from every counter and drops those at zero or below. */
  private subtract(amount: number): void {
    for (const [key, head] of this.entries) {
      let first: Entry | null = null;
      let last: Entry | null = null;
      for (let e: Entry | null = head; e !== null; e = e.next) {
        e.count -= amount;
        if (e.count <= 0) {
          this.count--;
          continue;
        }
        if (last) last.next = e;
        else first = e;
        last = e;
      }
      if (last) last.next = null;
      if (first) {
        if (first !== head) this.entries.set(key, first);
      } else this.entries.delete(key);
    }
  }

  merge(other: FrequentItems): void {
    const h = new Uint32Array(2);
    for (const head of other.entries.values()) {
      for (let e: Entry | null = head; e !== null; e = e.next) {
        h[0] = e.hi;
        h[1] = e.lo;
        const mine = this.find(h);
        if (mine) mine.count += e.count;
        else this.put(h, e.value, e.count);
      }
    }
    this.n += other.n;
    this.offset += other.offset;
    if (this.count > this.capacity) this.prune();
  }

  private prune(): void {
    const counts = this.all()
      .map((e) => e.count)
      .sort((a, b) => b - a);
    const cut = counts[this.capacity]!;
    this.offset += cut;
    this.subtract(cut);
  }

  private all(): Entry[] {
    const out: Entry[] = [];
    for (const head of this.entries.values())
      for (let e: Entry | null = head; e !== null; e = e.next) out.push(e);
    return out;
  }

  get size(): number {
    return this.count;
  }

  /** Tracked items, count descending, ties by value, the top `limit`. */
  top(limit = this.capacity): Array<{ value: ItemValue; count: number }> {
    return this.all()
      .sort((a, b) => b.count - a.count || compareValues(a.value, b.value))
      .slice(0, limit)
      .map((e) => ({ value: e.value, count: e.count }));
  }

  toJSON(): FrequentState {
    return {
      capacity: this.capacity,
      n: this.n,
      offset: this.offset,
      items: this.top().map((e) => [e.value, e.count]),
    };
  }

  /** Restores a summary; `hashOf` must write the same 64-bit hash the summary was built with. */
  static fromJSON(state: FrequentState, hashOf: (v: ItemValue, out: Uint32Array) => void): FrequentItems {
    const f = new FrequentItems(state.capacity);
    const h = new Uint32Array(2);
    for (const [value, count] of state.items) {
      hashOf(value, h);
      f.put(h, value, count);
    }
    f.n = state.n;
    f.offset = state.offset;
    return f;
  }
}

export function compareValues(a: ItemValue, b: ItemValue): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (ta === "number") return (a as number) - (b as number);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
