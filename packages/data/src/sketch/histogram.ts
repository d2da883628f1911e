import type { KllSketch } from "./kll";

/**
 * A histogram with fixed, equal-width bins over [lo, hi]: values below lo or above hi are
 * counted apart. Two histograms merge exactly when their bins agree. Profiles do not keep one
 * while reading (the range is not known in advance); they derive it from the KLL sketch
 * (`fromKll`), whose bin masses are within about 1.65% of the truth (DataSketches' bound for
 * histograms at k = 200).
 */
export interface HistogramState {
  lo: number;
  hi: number;
  counts: number[];
  underflow: number;
  overflow: number;
}

export class FixedHistogram {
  readonly lo: number;
  readonly hi: number;
  readonly counts: Float64Array;
  underflow = 0;
  overflow = 0;

  constructor(lo: number, hi: number, bins: number) {
    if (!(hi >= lo) || bins < 1) throw new Error(`invalid histogram range [${lo}, ${hi}] with ${bins} bins`);
    this.lo = lo;
    this.hi = hi;
    this.counts = new Float64Array(bins);
  }

  /** Bin index of x; the last bin includes hi (as numpy.histogram does). */
  binOf(x: number): number {
    const bins = this.counts.length;
    if (this.hi === this.lo) return 0;
    const i = Math.floor(((x - this.lo) / (this.hi - this.lo)) * bins);
    return i >= bins ? bins - 1 : i;
  }

  add(x: number, weight = 1): void {
    if (x < this.lo) this.underflow += weight;
    else if (x > this.hi) this.overflow += weight;
    else this.counts[this.binOf(x)]! += weight;
  }

  merge(other: FixedHistogram): void {
    if (other.lo !== this.lo || other.hi !== this.hi || other.counts.length !== this.counts.length) {
      throw new Error("cannot merge histograms with different bins");
    }
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.underflow += other.underflow;
    this.overflow += other.overflow;
  }

  edges(): number[] {
    const bins = this.counts.length;
    return Array.from({ length: bins + 1 }, (_, i) =>
      i === bins ? this.hi : this.lo + ((this.hi - this.lo) * i) / bins,
    );
  }

  toJSON(): HistogramState {
    return {
      lo: this.lo,
      hi: this.hi,
      counts: Array.from(this.counts),
      underflow: this.underflow,
      overflow: this.overflow,
    };
  }

  static fromJSON(state: HistogramState): FixedHistogram {
    const h = new FixedHistogram(state.lo, state.hi, state.counts.length);
    h.counts.set(state.counts);
    h.underflow = state.underflow;
    h.overflow = state.overflow;
    return h;
  }

  /**
   * Bin masses estimated from a KLL sketch (bins [a, b), the last one [a, b]), scaled to `total`
   * (the sketch's count by default), each rounded to an integer count.
   */
  static fromKll(kll: KllSketch, lo: number, hi: number, bins: number, total = kll.n): FixedHistogram {
    const h = new FixedHistogram(lo, hi, bins);
    if (kll.n === 0) return h;
    const edges = h.edges();
    let prev = kll.rank(lo, false);
    h.underflow = Math.round(prev * total);
    for (let i = 0; i < bins; i++) {
      const last = i === bins - 1;
      const r = kll.rank(edges[i + 1]!, last);
      h.counts[i] = Math.round(r * total) - Math.round(prev * total);
      prev = r;
    }
    h.overflow = total - Math.round(prev * total);
    return h;
  }
}
