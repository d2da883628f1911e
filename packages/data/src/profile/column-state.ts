import { compareValues, FrequentItems, type ItemValue } from "../sketch/frequent";
import { FixedHistogram } from "../sketch/histogram";
import { HyperLogLog } from "../sketch/hll";
import { KllSketch } from "../sketch/kll";
import { Moments } from "../sketch/moments";
import { Reservoir } from "../sketch/reservoir";
import { ValueCounts } from "../sketch/value-counts";
import { type ColumnState, itemHash } from "./column-profiler";
import { type ColumnProfile, type ColumnType, HISTOGRAM_BINS, QUANTILES } from "./profile-format";

/** Merges two states of the same column (sketch sizes must agree). */
export function mergeColumnStates(a: ColumnState, b: ColumnState): ColumnState {
  const moments = Moments.fromJSON(a.moments);
  moments.merge(b.moments);
  const kll = KllSketch.fromJSON(a.kll);
  kll.merge(KllSketch.fromJSON(b.kll));
  const hll = HyperLogLog.fromJSON(a.hll);
  hll.merge(HyperLogLog.fromJSON(b.hll));
  const frequent = FrequentItems.fromJSON(a.frequent, itemHash);
  frequent.merge(FrequentItems.fromJSON(b.frequent, itemHash));
  const values = ValueCounts.fromJSON(a.values);
  values.merge(ValueCounts.fromJSON(b.values));
  const sample = Reservoir.fromJSON(a.sample);
  sample.merge(Reservoir.fromJSON(b.sample));
  const out: ColumnState = {
    count: a.count + b.count,
    nulls: a.nulls + b.nulls,
    types: {
      integer: a.types.integer + b.types.integer,
      number: a.types.number + b.types.number,
      boolean: a.types.boolean + b.types.boolean,
      timestamp: a.types.timestamp + b.types.timestamp,
      string: a.types.string + b.types.string,
    },
    moments: moments.toJSON(),
    kll: kll.toJSON(),
    hll: hll.toJSON(),
    frequent: frequent.toJSON(),
    values: values.toJSON(),
    sample: sample.toJSON(),
  };
  const sMin = pick(a.stringMin, b.stringMin, (x, y) => x < y);
  const sMax = pick(a.stringMax, b.stringMax, (x, y) => x > y);
  const tMin = pick(a.timestampMin, b.timestampMin, (x, y) => x < y);
  const tMax = pick(a.timestampMax, b.timestampMax, (x, y) => x > y);
  if (sMin !== undefined) out.stringMin = sMin;
  if (sMax !== undefined) out.stringMax = sMax;
  if (tMin !== undefined) out.timestampMin = tMin;
  if (tMax !== undefined) out.timestampMax = tMax;
  return out;
}

/** Adds `n` absent cells, counted as nulls (a column missing from some files or parts). */
export function padWithNulls(state: ColumnState, n: number): ColumnState {
  return n === 0 ? state : { ...state, count: state.count + n, nulls: state.nulls + n };
}

function pick<T>(a: T | undefined, b: T | undefined, better: (x: T, y: T) => boolean): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return better(b, a) ? b : a;
}

/** Numeric cells are at least this share of the non-null cells: the column is numeric. */
const NUMERIC_SHARE = 0.95;

export function columnType(state: ColumnState): ColumnType {
  const t = state.types;
  const nonNull = state.count - state.nulls;
  if (nonNull === 0) return "null";
  const numeric = t.integer + t.number;
  if (numeric >= NUMERIC_SHARE * nonNull && numeric > 0) return t.number === 0 ? "integer" : "number";
  if (t.boolean === nonNull) return "boolean";
  if (t.timestamp === nonNull) return "timestamp";
  return "string";
}

/** The readable summary of a column state. */
export function summarizeColumn(name: string, state: ColumnState): ColumnProfile {
  const type = columnType(state);
  const kll = KllSketch.fromJSON(state.kll);
  const moments = Moments.fromJSON(state.moments);
  const values = ValueCounts.fromJSON(state.values);
  const numeric = type === "integer" || type === "number";
  const { distinct, exact } = distinctOf(state, values);
  let min: number | string | null = null;
  let max: number | string | null = null;
  if (numeric) {
    min = kll.n > 0 ? kll.min : null;
    max = kll.n > 0 ? kll.max : null;
  } else if (type === "timestamp") {
    min = state.timestampMin === undefined ? null : new Date(state.timestampMin).toISOString();
    max = state.timestampMax === undefined ? null : new Date(state.timestampMax).toISOString();
  } else if (type === "string") {
    min = state.stringMin ?? null;
    max = state.stringMax ?? null;
  }
  let quantiles: Record<string, number> | null = null;
  let histogram: ColumnProfile["histogram"] = null;
  if (numeric && kll.n > 0) {
    quantiles = {};
    for (const q of QUANTILES) quantiles[String(q)] = kll.quantile(q);
    const h = FixedHistogram.fromKll(kll, kll.min, kll.max, kll.min === kll.max ? 1 : HISTOGRAM_BINS);
    histogram = { edges: h.edges(), counts: Array.from(h.counts) };
  }
  return {
    name,
    type,
    count: state.count,
    nulls: state.nulls,
    nullFraction: state.count === 0 ? 0 : state.nulls / state.count,
    types: state.types,
    min,
    max,
    mean: numeric && moments.n > 0 ? moments.mean : null,
    std: numeric && moments.n > 1 ? moments.std : null,
    quantiles,
    distinct,
    distinctExact: exact,
    frequent: frequentOf(state, values, numeric),
    histogram,
    state,
  };
}

function distinctOf(state: ColumnState, values: ValueCounts): { distinct: number; exact: boolean } {
  const fExact = state.frequent.offset === 0;
  if (!values.overflow && fExact && state.types.timestamp === 0) {
    return { distinct: (values.distinct ?? 0) + state.frequent.items.length, exact: true };
  }
  return { distinct: Math.round(HyperLogLog.fromJSON(state.hll).estimate()), exact: false };
}

function frequentOf(state: ColumnState, values: ValueCounts, numeric: boolean): ColumnProfile["frequent"] {
  const all: Array<{ value: ItemValue; count: number }> = [];
  if (!values.overflow) for (const [value, count] of values.entries()) all.push({ value, count });
  if (!numeric || all.length > 0)
    for (const [value, count] of state.frequent.items) all.push({ value, count });
  return all.sort((x, y) => y.count - x.count || compareValues(x.value, y.value)).slice(0, 10);
}
