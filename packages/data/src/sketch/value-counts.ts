/**
 * Exact counts of numeric values while there are at most `limit` distinct ones (default 64);
 * past that the counts are dropped and `overflow` is set. Cheap for continuous columns (one
 * Map lookup until the limit is passed, nothing after), exact for codes, labels and flags,
 * which is what the drift tests for numeric columns with few values need.
 */
export interface ValueCountsState {
  limit: number;
  overflow: boolean;
  /** [value, count], value ascending; empty after overflow. */
  counts: Array<[number, number]>;
}

export class ValueCounts {
  readonly limit: number;
  overflow = false;
  private counts = new Map<number, number>();

  constructor(limit = 64) {
    this.limit = limit;
  }

  add(x: number, weight = 1): void {
    if (this.overflow) return;
    const key = x === 0 ? 0 : x; // -0 and 0 are one value
    const c = this.counts.get(key);
    if (c !== undefined) {
      this.counts.set(key, c + weight);
      return;
    }
    if (this.counts.size >= this.limit) {
      this.overflow = true;
      this.counts.clear();
      return;
    }
    this.counts.set(key, weight);
  }

  merge(other: ValueCounts): void {
    if (other.overflow) {
      this.overflow = true;
      this.counts.clear();
      return;
    }
    for (const [v, c] of other.counts) this.add(v, c);
  }

  /** Number of distinct values, or undefined after overflow. */
  get distinct(): number | undefined {
    return this.overflow ? undefined : this.counts.size;
  }

  entries(): Array<[number, number]> {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }

  toJSON(): ValueCountsState {
    return { limit: this.limit, overflow: this.overflow, counts: this.entries() };
  }

  static fromJSON(state: ValueCountsState): ValueCounts {
    const v = new ValueCounts(state.limit);
    v.overflow = state.overflow;
    for (const [x, c] of state.counts) v.counts.set(x, c);
    return v;
  }
}
