import type { ColumnProfile } from "../profile/profile-format";
import { KllSketch } from "../sketch/kll";
import { Moments } from "../sketch/moments";
import { Reservoir } from "../sketch/reservoir";
import { ValueCounts } from "../sketch/value-counts";

/** What drift needs of one column of a profile. */
export interface ColumnData {
  numeric: boolean;
  /** Values compared: numeric cells for numeric columns, non-null cells otherwise. */
  n: number;
  /** Numeric only. */
  kll?: KllSketch;
  sample?: Float64Array;
  /** The sample holds every value. */
  sampleComplete: boolean;
  /** Population standard deviation (numpy's `np.std`), numeric only. */
  std?: number;
  /** Count per value (numbers by value, others by text), or null when not kept. */
  counts: Map<string | number, number> | null;
  /** The counts are exact (no value was dropped by the sketches). */
  countsExact: boolean;
}

export function columnData(c: ColumnProfile, numeric: boolean): ColumnData {
  const s = c.state;
  if (numeric) {
    const kll = KllSketch.fromJSON(s.kll);
    const reservoir = Reservoir.fromJSON(s.sample);
    const values = ValueCounts.fromJSON(s.values);
    const counts = values.overflow ? null : new Map<string | number, number>(values.entries());
    return {
      numeric,
      n: kll.n,
      kll,
      sample: reservoir.sample(),
      sampleComplete: reservoir.complete,
      std: Moments.fromJSON(s.moments).populationStd,
      counts,
      countsExact: counts !== null,
    };
  }
  const counts = new Map<string | number, number>();
  for (const [value, count] of s.frequent.items) counts.set(String(value), count);
  // Numbers in a categorical column count under their text too.
  if (!s.values.overflow)
    for (const [value, count] of s.values.counts)
      counts.set(String(value), (counts.get(String(value)) ?? 0) + count);
  const exact = s.frequent.offset === 0 && !s.values.overflow && s.types.timestamp === 0;
  return { numeric, n: c.count - c.nulls, sampleComplete: false, counts, countsExact: exact };
}

/** Number of distinct values over both columns, or Infinity when a side did not keep them all. */
export function unionDistinct(a: ColumnData, b: ColumnData): number {
  if (!a.counts || !b.counts || !a.countsExact || !b.countsExact) return Number.POSITIVE_INFINITY;
  return new Set([...a.counts.keys(), ...b.counts.keys()]).size;
}

/** Keys of both columns, sorted as Python sorts them (numbers by value, strings by code point). */
export function unionKeys(a: ColumnData, b: ColumnData): Array<string | number> {
  const keys = [...new Set([...(a.counts?.keys() ?? []), ...(b.counts?.keys() ?? [])])];
  return keys.sort((x, y) =>
    typeof x === "number" && typeof y === "number"
      ? x - y
      : String(x) < String(y)
        ? -1
        : String(x) > String(y)
          ? 1
          : 0,
  );
}

/** Counts over `keys`, plus an "(other)" bucket for what approximate counts did not keep. */
export function countsOver(
  d: ColumnData,
  keys: ReadonlyArray<string | number>,
  withOther: boolean,
): number[] {
  const out = keys.map((k) => d.counts?.get(k) ?? 0);
  if (withOther) out.push(Math.max(0, d.n - out.reduce((a, b) => a + b, 0)));
  return out;
}

/**
 * Shares of each side in numpy-style equal-width bins over [lo, hi] ([a, b), the last [a, b]):
 * counted from the samples when both are complete, else estimated from the KLL sketches.
 */
export function binShares(
  a: ColumnData,
  b: ColumnData,
  edges: readonly number[],
): { ref: number[]; cur: number[]; exact: boolean } {
  const exact = a.sampleComplete && b.sampleComplete;
  const shares = (d: ColumnData): number[] => {
    const bins = edges.length - 1;
    const out = new Array<number>(bins).fill(0);
    if (exact) {
      const lo = edges[0]!;
      const hi = edges[bins]!;
      for (const x of d.sample!) {
        if (x < lo || x > hi) continue;
        let i = hi === lo ? 0 : Math.floor(((x - lo) / (hi - lo)) * bins);
        if (i >= bins) i = bins - 1;
        out[i]!++;
      }
      return out.map((c) => c / d.n);
    }
    let prev = d.kll!.rank(edges[0]!, false);
    for (let i = 0; i < bins; i++) {
      const r = d.kll!.rank(edges[i + 1]!, i === bins - 1);
      out[i] = r - prev;
      prev = r;
    }
    return out;
  };
  return { ref: shares(a), cur: shares(b), exact };
}

/** numpy's `histogram_bin_edges(pooled, bins="sturges")`: ceil(log2(n) + 1) equal bins. */
export function sturgesEdges(lo: number, hi: number, n: number): number[] {
  if (!(hi > lo)) return [lo - 0.5, hi + 0.5];
  const bins = Math.max(1, Math.ceil(Math.log2(n) + 1));
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
}
