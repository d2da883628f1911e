import { chiSquareSf, normalCdf } from "./special";

/** A distribution given by support points (ascending) and their weights. */
export interface WeightedPoints {
  values: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/** Equal weights for a sample: SciPy's `wasserstein_distance(u, v)` without weights. */
export function samplePoints(sample: ArrayLike<number>): WeightedPoints {
  const values = Float64Array.from(sample).sort();
  return { values, weights: new Float64Array(values.length).fill(1) };
}

/**
 * First Wasserstein distance ∫|F - G| between two weighted distributions, the way SciPy's
 * `wasserstein_distance` computes it: between consecutive pooled points the CDFs are flat.
 */
export function wasserstein(a: WeightedPoints, b: WeightedPoints): number {
  const ta = total(a.weights);
  const tb = total(b.weights);
  if (ta === 0 || tb === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let prev = Number.NaN;
  let dist = 0;
  const na = a.values.length;
  const nb = b.values.length;
  while (i < na || j < nb) {
    const v = j >= nb || (i < na && a.values[i]! <= b.values[j]!) ? a.values[i]! : b.values[j]!;
    if (!Number.isNaN(prev)) dist += Math.abs(fa - fb) * (v - prev);
    while (i < na && a.values[i]! === v) fa += a.weights[i++]! / ta;
    while (j < nb && b.values[j]! === v) fb += b.weights[j++]! / tb;
    prev = v;
  }
  return dist;
}

function total(w: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < w.length; i++) t += w[i]!;
  return t;
}

/** Jensen-Shannon distance (natural log, as SciPy's `jensenshannon` with base None). */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((x, y) => x + y, 0);
  const sq = q.reduce((x, y) => x + y, 0);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js / 2));
}

/** Evidently's `feel_zeroes`: empty bins get a small share so logarithms stay finite. */
function fillZeros(p: readonly number[]): number[] {
  const nonZero = p.filter((x) => x !== 0);
  if (nonZero.length === 0) return [...p];
  const low = Math.min(...nonZero);
  const fill = low <= 0.0001 ? low / 1e6 : 0.0001;
  return p.map((x) => (x === 0 ? fill : x));
}

/** Population stability index over bin shares (reference, current). */
export function psi(reference: readonly number[], current: readonly number[]): number {
  const r = fillZeros(reference);
  const c = fillZeros(current);
  let s = 0;
  for (let i = 0; i < r.length; i++) s += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return s;
}

/**
 * Evidently's chi-square test: expected counts are the reference counts scaled to the current
 * size, observed the current counts, over the union of categories; dof = categories - 1.
 */
export function chiSquareTest(
  reference: readonly number[],
  current: readonly number[],
): { statistic: number; pValue: number; dof: number } {
  const refN = reference.reduce((a, b) => a + b, 0);
  const curN = current.reduce((a, b) => a + b, 0);
  const k = curN / refN;
  let stat = 0;
  for (let i = 0; i < reference.length; i++) {
    const exp = reference[i]! * k;
    const obs = current[i]!;
    if (exp === 0) stat += obs === 0 ? 0 : Number.POSITIVE_INFINITY;
    else stat += (obs - exp) ** 2 / exp;
  }
  const dof = reference.length - 1;
  return { statistic: stat, pValue: dof < 1 ? 1 : chiSquareSf(stat, dof), dof };
}

/**
 * Evidently's two-proportion Z-test for two categories: the share of rows that are not the
 * first category (in sorted order), pooled variance, two-sided p-value.
 */
export function zTest(
  refOther: number,
  refN: number,
  curOther: number,
  curN: number,
): { statistic: number; pValue: number } {
  const p1 = refOther / refN;
  const p2 = curOther / curN;
  const pooled = (refOther + curOther) / (refN + curN);
  const variance = pooled * (1 - pooled) * (1 / refN + 1 / curN);
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(variance);
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}
