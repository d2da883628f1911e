import type { ColumnProfile, Profile } from "../profile/profile-format";
import type { KllSketch } from "../sketch/kll";
import {
  binShares,
  type ColumnData,
  columnData,
  countsOver,
  sturgesEdges,
  unionDistinct,
  unionKeys,
} from "./column-data";
import { chiSquareTest, jensenShannon, psi, samplePoints, wasserstein, zTest } from "./distances";
import { ks2Samp } from "./ks";

/**
 * Data drift between a reference profile and a current one, with Evidently's default choice
 * of test per column: with a reference of at most 1,000 values, KS for numeric columns with
 * more than 5 distinct values, chi-square for categorical ones (and numeric ones with 3..5
 * values), a two-proportion Z-test for two values, drift when p < 0.05; with a larger
 * reference, Wasserstein distance over the reference's standard deviation for numeric columns
 * and Jensen-Shannon distance for categorical ones (and numeric ones with at most 5 values),
 * drift when >= 0.1. The data set drifts when at least half of the compared columns do.
 * PSI and Jensen-Shannon are reported for every column as well.
 */
export const DRIFT_VERSION = 1;

export type DriftMethod = "ks" | "chisquare" | "z" | "wasserstein" | "jensenshannon";

export interface ColumnDrift {
  column: string;
  kind: "numeric" | "categorical";
  method: DriftMethod;
  /** p-value for ks, chisquare and z; distance for wasserstein and jensenshannon. */
  score: number;
  /** The test statistic (KS D, chi-square, z), when the method is a test. */
  statistic?: number;
  threshold: number;
  drifted: boolean;
  /** Population stability index over the same bins or categories (0.1 warn, 0.25 major). */
  psi: number;
  jensenShannon: number;
  reference: { values: number };
  current: { values: number };
  /** Computed from every value (not estimated from sketches or samples). */
  exact: boolean;
  note?: string;
  /** Bin or category shares, for charts. */
  bins: { labels: string[]; reference: number[]; current: number[] };
}

export interface DriftReport {
  version: typeof DRIFT_VERSION;
  kind: "mlci-drift";
  /** Share of compared columns that drifted. */
  driftShare: number;
  /** The data set drifts when `driftShare` reaches this (0.5). */
  driftShareThreshold: number;
  drifted: boolean;
  columns: ColumnDrift[];
  skipped: Array<{ column: string; reason: string }>;
}

export interface DriftOptions {
  /** Compare only these columns (default: every column in both profiles). */
  columns?: readonly string[];
  /** Leave these out (an id, say). */
  ignore?: readonly string[];
  driftShare?: number;
  /** p-value below which a test reports drift (0.05). */
  pValue?: number;
  /** Distance at or above which Wasserstein and Jensen-Shannon report drift (0.1). */
  distance?: number;
}

const SMALL_REFERENCE = 1000;

export function compareProfiles(
  reference: Profile,
  current: Profile,
  options: DriftOptions = {},
): DriftReport {
  const skipped: DriftReport["skipped"] = [];
  const columns: ColumnDrift[] = [];
  const curByName = new Map(current.columns.map((c) => [c.name, c] as const));
  const wanted = options.columns ? new Set(options.columns) : undefined;
  const ignored = new Set(options.ignore ?? []);
  for (const ref of reference.columns) {
    if ((wanted && !wanted.has(ref.name)) || ignored.has(ref.name)) continue;
    const cur = curByName.get(ref.name);
    const reason = skipReason(ref, cur);
    if (reason || !cur) {
      skipped.push({ column: ref.name, reason: reason ?? "not in the current data" });
      continue;
    }
    columns.push(compareColumn(ref, cur, options));
  }
  for (const name of wanted ?? []) {
    if (!reference.columns.some((c) => c.name === name))
      skipped.push({ column: name, reason: "not in the reference" });
  }
  const driftShareThreshold = options.driftShare ?? 0.5;
  const share = columns.length === 0 ? 0 : columns.filter((c) => c.drifted).length / columns.length;
  return {
    version: DRIFT_VERSION,
    kind: "mlci-drift",
    driftShare: share,
    driftShareThreshold,
    drifted: columns.length > 0 && share >= driftShareThreshold,
    columns,
    skipped,
  };
}

function skipReason(ref: ColumnProfile, cur: ColumnProfile | undefined): string | undefined {
  if (!cur) return "not in the current data";
  if (ref.type === "timestamp") return "timestamp columns are not compared (as in Evidently)";
  if (ref.type === "null") return "the reference has no values";
  if (cur.count - cur.nulls === 0) return "the current data has no values";
  return undefined;
}

function compareColumn(refCol: ColumnProfile, curCol: ColumnProfile, o: DriftOptions): ColumnDrift {
  const numeric = refCol.type === "integer" || refCol.type === "number";
  const ref = columnData(refCol, numeric);
  const cur = columnData(curCol, numeric);
  const pThreshold = o.pValue ?? 0.05;
  const dThreshold = o.distance ?? 0.1;
  const nValues = unionDistinct(ref, cur);
  const bins = binsFor(ref, cur, numeric);
  const base = {
    column: refCol.name,
    kind: numeric ? ("numeric" as const) : ("categorical" as const),
    psi: psi(bins.reference, bins.current),
    jensenShannon: jensenShannon(bins.reference, bins.current),
    reference: { values: ref.n },
    current: { values: cur.n },
    bins: { labels: bins.labels, reference: bins.reference, current: bins.current },
  };
  if (numeric && cur.n === 0) {
    return {
      ...base,
      method: "ks",
      score: 0,
      threshold: pThreshold,
      drifted: true,
      exact: true,
      note: "no numeric values in the current data",
    };
  }
  if (ref.n <= SMALL_REFERENCE) {
    if (!numeric || nValues <= 5) {
      const keys = unionKeys(ref, cur);
      const exact = ref.countsExact && cur.countsExact;
      if (nValues <= 2) {
        const first = keys[0];
        const refOther = ref.n - (first === undefined ? 0 : (ref.counts?.get(first) ?? 0));
        const curOther = cur.n - (first === undefined ? 0 : (cur.counts?.get(first) ?? 0));
        const z = zTest(refOther, ref.n, curOther, cur.n);
        return {
          ...base,
          method: "z",
          score: z.pValue,
          statistic: z.statistic,
          threshold: pThreshold,
          drifted: z.pValue < pThreshold,
          exact,
        };
      }
      const chi = chiSquareTest(countsOver(ref, keys, !exact), countsOver(cur, keys, !exact));
      return {
        ...base,
        method: "chisquare",
        score: chi.pValue,
        statistic: chi.statistic,
        threshold: pThreshold,
        drifted: chi.pValue < pThreshold,
        exact,
        ...(exact ? {} : { note: "over the most frequent values and an (other) bucket" }),
      };
    }
    const ks = ks2Samp(ref.sample!, cur.sample!);
    const exact = ref.sampleComplete && cur.sampleComplete;
    return {
      ...base,
      method: "ks",
      score: ks.pValue,
      statistic: ks.statistic,
      threshold: pThreshold,
      drifted: ks.pValue < pThreshold,
      exact,
      ...(exact
        ? {}
        : { note: `on uniform samples of ${ref.sample!.length} and ${cur.sample!.length} values` }),
    };
  }
  if (!numeric || nValues <= 5) {
    const exact = numeric ? ref.countsExact && cur.countsExact : bins.exact;
    return {
      ...base,
      method: "jensenshannon",
      score: base.jensenShannon,
      threshold: dThreshold,
      drifted: base.jensenShannon >= dThreshold,
      exact,
    };
  }
  const exact = ref.sampleComplete && cur.sampleComplete;
  const points = (d: ColumnData) =>
    d.sampleComplete ? samplePoints(d.sample!) : (d.kll as KllSketch).weightedItems();
  const w = wasserstein(points(ref), points(cur)) / Math.max(ref.std ?? 0, 0.001);
  return {
    ...base,
    method: "wasserstein",
    score: w,
    threshold: dThreshold,
    drifted: w >= dThreshold,
    exact,
    ...(exact ? {} : { note: "from the KLL quantile sketches" }),
  };
}

/** Bins (numeric, over 20 reference values) or categories with both sides' shares. */
function binsFor(
  ref: ColumnData,
  cur: ColumnData,
  numeric: boolean,
): { labels: string[]; reference: number[]; current: number[]; exact: boolean } {
  const refDistinct = ref.counts && ref.countsExact ? ref.counts.size : Number.POSITIVE_INFINITY;
  if (numeric && refDistinct > 20) {
    const lo = Math.min(ref.kll!.min, cur.kll!.min);
    const hi = Math.max(ref.kll!.max, cur.kll!.max);
    const edges = sturgesEdges(lo, hi, ref.n + cur.n);
    const s = binShares(ref, cur, edges);
    const labels = edges.slice(0, -1).map((e, i) => `${fmt(e)}..${fmt(edges[i + 1]!)}`);
    return { labels, reference: s.ref, current: s.cur, exact: s.exact };
  }
  const keys = unionKeys(ref, cur);
  const exact = ref.countsExact && cur.countsExact;
  const labels = keys.map(String);
  if (!exact) labels.push("(other)");
  const share = (d: ColumnData): number[] =>
    countsOver(d, keys, !exact).map((c) => (d.n === 0 ? 0 : c / d.n));
  return { labels, reference: share(ref), current: share(cur), exact };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}
