/**
 * Count, mean and sum of squared deviations (M2) by Welford's update, merged by Chan's
 * parallel formula, so the result does not suffer the cancellation of sum-of-squares methods.
 * `std` is the sample standard deviation (n - 1), like DuckDB's `stddev` and pandas' `std`.
 */
export interface MomentsState {
  n: number;
  mean: number;
  m2: number;
}

export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;

  add(x: number): void {
    const n = ++this.n;
    const delta = x - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (x - this.mean);
  }

  merge(other: MomentsState): void {
    if (other.n === 0) return;
    if (this.n === 0) {
      this.n = other.n;
      this.mean = other.mean;
      this.m2 = other.m2;
      return;
    }
    const n = this.n + other.n;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.n) / n;
    this.m2 += other.m2 + (delta * delta * this.n * other.n) / n;
    this.n = n;
  }

  /** Sample variance (n - 1); NaN below two values. */
  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : Number.NaN;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Population standard deviation (n), as numpy's default `np.std`. */
  get populationStd(): number {
    return this.n > 0 ? Math.sqrt(this.m2 / this.n) : Number.NaN;
  }

  toJSON(): MomentsState {
    return { n: this.n, mean: this.mean, m2: this.m2 };
  }

  static fromJSON(state: MomentsState): Moments {
    const m = new Moments();
    m.merge(state);
    return m;
  }
}
