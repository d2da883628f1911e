/**
 * Frequent items by the Misra-Gries algorithm with `capacity` counters (default 256). Every
 * estimate is a lower bound and undercounts by at most `offset` <= n / (capacity + 1). With no
 * more distinct values than counters the counts are exact. Two summaries merge by the rule of
 * Agarwal et al. ("Mergeable summaries", 2012): add the counters, then subtract the
 * (capacity + 1)-th largest count, which keeps the same error bound.
 *
 * Items are keyed by a number (a 53-bit hash of the value) so the hot path never decodes a
 * string it already counts; the value is kept for display and for re-keying.
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
}

export class FrequentItems {
  readonly capacity: number;
  n = 0;
  offset = 0;
  private entries = new Map<number, Entry>();

  constructor(capacity = 256) {
    this.capacity = capacity;
  }

  /** Counts `key` when it is tracked already; false means the caller should `insert` it. */
  increment(key: number): boolean {
    const e = this.entries.get(key);
    if (e === undefined) return false;
    e.count++;
    this.n++;
    return true;
  }

  /** Counts a value that `increment` did not know. */
  insert(key: number, value: ItemValue): void {
    this.n++;
    if (this.entries.size < this.capacity) {
      this.entries.set(key, { value, count: 1 });
      return;
    }
    this.offset++;
    for (const [k, e] of this.entries) {
      if (--e.count === 0) this.entries.delete(k);
    }
  }

  add(key: number, value: ItemValue, weight = 1): void {
    const e = this.entries.get(key);
    if (e) e.count += weight;
    else this.entries.set(key, { value, count: weight });
    this.n += weight;
    if (this.entries.size > this.capacity) this.prune();
  }

  merge(other: FrequentItems): void {
    for (const [k, e] of other.entries) {
      const mine = this.entries.get(k);
      if (mine) mine.count += e.count;
      else this.entries.set(k, { value: e.value, count: e.count });
    }
    this.n += other.n;
    this.offset += other.offset;
    if (this.entries.size > this.capacity) this.prune();
  }

  private prune(): void {
    const counts = [...this.entries.values()].map((e) => e.count).sort((a, b) => b - a);
    const cut = counts[this.capacity]!;
    this.offset += cut;
    for (const [k, e] of this.entries) {
      e.count -= cut;
      if (e.count <= 0) this.entries.delete(k);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Tracked items, count descending, ties by value, the top `limit`. */
  top(limit = this.capacity): Array<{ value: ItemValue; count: number }> {
    return [...this.entries.values()]
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

  static fromJSON(state: FrequentState, keyOf: (v: ItemValue) => number): FrequentItems {
    const f = new FrequentItems(state.capacity);
    for (const [value, count] of state.items) f.entries.set(keyOf(value), { value, count });
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
