import { CellType, cellValue, classifyBytes, classifyValue, valueText } from "../readers/cell";
import { FIELD_ESCAPED, unquote } from "../readers/row";
import { FrequentItems, type FrequentState, type ItemValue } from "../sketch/frequent";
import { hashBytes, hashNumber, hashString } from "../sketch/hash";
import { type HllState, HyperLogLog } from "../sketch/hll";
import { KllSketch, type KllState } from "../sketch/kll";
import { Moments, type MomentsState } from "../sketch/moments";
import { Reservoir, type ReservoirState } from "../sketch/reservoir";
import { ValueCounts, type ValueCountsState } from "../sketch/value-counts";
import type { NullMatcher } from "./null-values";

/** Sketch sizes; they are part of a profile and must agree for profiles to merge. */
export interface SketchConfig {
  kllK: number;
  hllLgK: number;
  frequentCapacity: number;
  valueCountLimit: number;
  sampleSize: number;
}

export const DEFAULT_SKETCH_CONFIG: SketchConfig = {
  kllK: 200,
  hllLgK: 12,
  frequentCapacity: 256,
  valueCountLimit: 64,
  sampleSize: 1000,
};

export interface TypeCounts {
  integer: number;
  number: number;
  boolean: number;
  timestamp: number;
  string: number;
}

/** The mergeable state of one column; everything in a profile's summary derives from it. */
export interface ColumnState {
  /** Cells seen, nulls included. */
  count: number;
  nulls: number;
  types: TypeCounts;
  /** Over numeric cells. */
  moments: MomentsState;
  kll: KllState;
  /** Over every non-null cell. */
  hll: HllState;
  /** Strings and booleans. */
  frequent: FrequentState;
  /** Numbers, exactly, while few. */
  values: ValueCountsState;
  /** Numbers. */
  sample: ReservoirState;
  /** Smallest and largest string (UTF-8 byte order) and timestamp (epoch ms). */
  stringMin?: string;
  stringMax?: string;
  timestampMin?: number;
  timestampMax?: number;
}

const H = new Uint32Array(2);
const TRUE_HASH = new Uint32Array(2);
const FALSE_HASH = new Uint32Array(2);
hashString("true", TRUE_HASH);
hashString("false", FALSE_HASH);

/** The hash a frequent-items summary uses for a value (strings by their UTF-8 bytes). */
export function itemHash(v: ItemValue, out: Uint32Array): void {
  if (typeof v === "boolean") out.set(v ? TRUE_HASH : FALSE_HASH);
  else if (typeof v === "number") hashNumber(v, out);
  else hashString(v, out);
}

/** Accumulates one column. The hot path (`addText`) does not allocate for numbers. */
export class ColumnProfiler {
  count = 0;
  nulls = 0;
  readonly types: TypeCounts = { integer: 0, number: 0, boolean: 0, timestamp: 0, string: 0 };
  readonly moments = new Moments();
  readonly kll: KllSketch;
  readonly hll: HyperLogLog;
  readonly frequent: FrequentItems;
  readonly values: ValueCounts;
  readonly sample: Reservoir;
  private strMin: Buffer | null = null;
  private strMax: Buffer | null = null;
  timestampMin = Number.POSITIVE_INFINITY;
  timestampMax = Number.NEGATIVE_INFINITY;
  private readonly isNull: NullMatcher;

  constructor(config: SketchConfig, isNull: NullMatcher) {
    this.kll = new KllSketch(config.kllK);
    this.hll = new HyperLogLog(config.hllLgK);
    this.frequent = new FrequentItems(config.frequentCapacity);
    this.values = new ValueCounts(config.valueCountLimit);
    this.sample = new Reservoir(config.sampleSize);
    this.isNull = isNull;
  }

  addText(buf: Buffer, s: number, e: number, flags: number): void {
    this.count++;
    if (flags & FIELD_ESCAPED) {
      this.addString(unquote(buf, s, e));
      return;
    }
    if (flags === 0 && this.isNull(buf, s, e)) {
      this.nulls++;
      return;
    }
    const t = classifyBytes(buf, s, e);
    if (t === CellType.Integer || t === CellType.Number) this.addNumber(cellValue.num, t);
    else if (t === CellType.Timestamp) this.addTimestamp(cellValue.num);
    else if (t === CellType.Boolean) this.addBoolean(cellValue.num === 1);
    else {
      this.types.string++;
      hashBytes(buf, s, e, H);
      this.hll.add(H);
      if (!this.frequent.increment(H)) this.frequent.insert(H, buf.toString("utf8", s, e));
      if (this.strMin === null || compareBytes(buf, s, e, this.strMin) < 0)
        this.strMin = Buffer.from(buf.subarray(s, e));
      if (this.strMax === null || compareBytes(buf, s, e, this.strMax) > 0)
        this.strMax = Buffer.from(buf.subarray(s, e));
    }
  }

  addValue(v: unknown): void {
    this.count++;
    const t = classifyValue(v);
    switch (t) {
      case CellType.Null:
        this.nulls++;
        return;
      case CellType.Integer:
      case CellType.Number:
        this.addNumber(cellValue.num, t);
        return;
      case CellType.Timestamp:
        this.addTimestamp(cellValue.num);
        return;
      case CellType.Boolean:
        this.addBoolean(cellValue.num === 1);
        return;
      default:
        this.addString(valueText(v));
    }
  }

  addNull(): void {
    this.count++;
    this.nulls++;
  }

  private addNumber(x: number, t: CellType): void {
    if (t === CellType.Integer) this.types.integer++;
    else this.types.number++;
    if (!Number.isFinite(x)) return;
    this.moments.add(x);
    this.kll.update(x);
    this.sample.add(x);
    this.values.add(x);
    hashNumber(x, H);
    this.hll.add(H);
  }

  private addTimestamp(ms: number): void {
    this.types.timestamp++;
    if (ms < this.timestampMin) this.timestampMin = ms;
    if (ms > this.timestampMax) this.timestampMax = ms;
    hashNumber(ms, H);
    this.hll.add(H);
  }

  private addBoolean(b: boolean): void {
    this.types.boolean++;
    this.hll.add(b ? TRUE_HASH : FALSE_HASH);
    const hash = b ? TRUE_HASH : FALSE_HASH;
    if (!this.frequent.increment(hash)) this.frequent.insert(hash, b);
  }

  private addString(s: string): void {
    this.types.string++;
    hashString(s, H);
    this.hll.add(H);
    if (!this.frequent.increment(H)) this.frequent.insert(H, s);
    const bytes = Buffer.from(s);
    if (this.strMin === null || Buffer.compare(bytes, this.strMin) < 0) this.strMin = bytes;
    if (this.strMax === null || Buffer.compare(bytes, this.strMax) > 0) this.strMax = bytes;
  }

  toState(): ColumnState {
    const state: ColumnState = {
      count: this.count,
      nulls: this.nulls,
      types: { ...this.types },
      moments: this.moments.toJSON(),
      kll: this.kll.toJSON(),
      hll: this.hll.toJSON(),
      frequent: this.frequent.toJSON(),
      values: this.values.toJSON(),
      sample: this.sample.toJSON(),
    };
    if (this.strMin) state.stringMin = this.strMin.toString("utf8");
    if (this.strMax) state.stringMax = this.strMax.toString("utf8");
    if (this.types.timestamp > 0) {
      state.timestampMin = this.timestampMin;
      state.timestampMax = this.timestampMax;
    }
    return state;
  }
}

/** Compares `buf[s, e)` with `other` byte by byte (UTF-8 byte order is code-point order). */
function compareBytes(buf: Buffer, s: number, e: number, other: Buffer): number {
  const n = Math.min(e - s, other.length);
  for (let i = 0; i < n; i++) {
    const d = buf[s + i]! - other[i]!;
    if (d !== 0) return d;
  }
  return e - s - other.length;
}
