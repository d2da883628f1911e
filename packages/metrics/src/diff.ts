import { type DirectionResolver, directionResolver } from "./direction";
import { bandWidth, type NoiseBand, noiseResolver } from "./noise";
import { byCodePoint } from "./source";
import type {
  DiffCounts,
  Direction,
  FileProblem,
  MetricDiffRow,
  MetricStatus,
  MetricsDiff,
  MetricValue,
  ParamDiffRow,
  RevisionSnapshot,
  ValuesFile,
} from "./types";

/** The settings the diff reads; an `MlciConfig` is one. */
export interface DiffConfig {
  metrics?: {
    direction?: Readonly<Record<string, Direction>>;
    noise?: Readonly<Record<string, number | string>>;
  };
}

const METRIC_ORDER: Record<MetricStatus, number> = {
  regressed: 0,
  improved: 1,
  changed: 2,
  added: 3,
  removed: 4,
  unchanged: 5,
};

interface Pair {
  path: string;
  base: ValuesFile | undefined;
  head: ValuesFile | undefined;
  /** A side whose file could not be read (other than simply not being there). */
  unavailable: "base" | "head" | undefined;
}

/**
 * Compares the metrics and params of two snapshots. Files pair up by `id` (else `path`), keys by
 * name. Numbers get a change, a relative change and a status from the metric's direction and
 * noise band; other values (strings, booleans, null, NaN, infinities) are `changed` or
 * `unchanged`, never better or worse. Rows from a file that one side could not read are marked
 * `unavailable` rather than counted as added or removed.
 */
export function diffSnapshots(
  base: RevisionSnapshot,
  head: RevisionSnapshot,
  config: DiffConfig = {},
): MetricsDiff {
  const directionOf = directionResolver(config.metrics?.direction);
  const noiseOf = noiseResolver(config.metrics?.noise);
  const problems: FileProblem[] = [];
  const counts: DiffCounts = {
    improved: 0,
    regressed: 0,
    unchanged: 0,
    added: 0,
    removed: 0,
    changed: 0,
    unavailable: 0,
  };

  const metrics: MetricDiffRow[] = [];
  for (const pair of pairFiles(base.metrics, head.metrics, problems)) {
    for (const key of keysOf(pair)) {
      const row = metricRow(pair, key, directionOf, noiseOf);
      metrics.push(row);
      if (row.unavailable) counts.unavailable = (counts.unavailable ?? 0) + 1;
      else counts[row.status]++;
    }
  }
  metrics.sort((a, b) => METRIC_ORDER[a.status] - METRIC_ORDER[b.status] || byPathKey(a, b));

  const params: ParamDiffRow[] = [];
  for (const pair of pairFiles(base.params, head.params, problems)) {
    for (const key of keysOf(pair)) params.push(paramRow(pair, key));
  }
  params.sort(
    (a, b) => Number(a.status === "unchanged") - Number(b.status === "unchanged") || byPathKey(a, b),
  );

  for (const [side, snap] of [
    ["base", base],
    ["head", head],
  ] as const) {
    for (const p of snap.problems ?? []) addProblem(problems, { side, ...p });
  }
  return { metrics, params, counts, problems };
}

function pairFiles(
  base: readonly ValuesFile[],
  head: readonly ValuesFile[],
  problems: FileProblem[],
): Pair[] {
  const b = byId(base);
  const h = byId(head);
  const ids = [...new Set([...b.keys(), ...h.keys()])];
  return ids.map((id) => {
    const bf = b.get(id);
    const hf = h.get(id);
    for (const [side, f] of [
      ["base", bf],
      ["head", hf],
    ] as const) {
      if (f?.problem)
        addProblem(problems, { side, path: f.path, kind: f.problem.kind, message: f.problem.message });
    }
    const readable = (f: ValuesFile | undefined) => !f?.problem || f.problem.kind === "missing";
    const shown = hf && !hf.problem ? hf : bf && !bf.problem ? bf : (hf ?? bf)!;
    return {
      path: shown.path,
      base: bf,
      head: hf,
      unavailable: !readable(bf) ? "base" : !readable(hf) ? "head" : undefined,
    };
  });
}

/** Files by identity; two files with one identity on one side merge (the later wins per key). */
function byId(files: readonly ValuesFile[]): Map<string, ValuesFile> {
  const out = new Map<string, ValuesFile>();
  for (const f of files) {
    const id = f.id ?? f.path;
    const prev = out.get(id);
    if (!prev) out.set(id, f);
    else if (prev.problem) out.set(id, f.problem ? prev : f);
    else if (!f.problem) out.set(id, { ...prev, values: { ...prev.values, ...f.values } });
  }
  return out;
}

function keysOf(pair: Pair): string[] {
  return [...new Set([...Object.keys(pair.base?.values ?? {}), ...Object.keys(pair.head?.values ?? {})])];
}

function valueAt(file: ValuesFile | undefined, key: string): MetricValue | undefined {
  return file && Object.hasOwn(file.values, key) ? file.values[key] : undefined;
}

function metricRow(
  pair: Pair,
  key: string,
  directionOf: DirectionResolver,
  noiseOf: (path: string, key: string) => NoiseBand,
): MetricDiffRow {
  const old = valueAt(pair.base, key);
  const now = valueAt(pair.head, key);
  const { direction, source } = directionOf(pair.path, key);
  const row: MetricDiffRow = {
    path: pair.path,
    key,
    old,
    new: now,
    direction,
    directionSource: source,
    status: "unchanged",
  };
  if (old === undefined || now === undefined) {
    row.status = old === undefined ? "added" : "removed";
    const side = old === undefined ? "base" : "head";
    if (pair.unavailable === side) row.unavailable = side;
    return row;
  }
  if (isFiniteNumber(old) && isFiniteNumber(now)) {
    const abs = now - old;
    row.abs = abs;
    if (old !== 0) row.rel = abs / Math.abs(old);
    if (abs === 0) return row;
    // A tolerance of a few ulps, so that a change written as exactly the band counts as within it.
    const width = bandWidth(noiseOf(pair.path, key), old);
    if (width > 0 && Math.abs(abs) <= width + 1e-12 * Math.max(Math.abs(old), Math.abs(now))) {
      row.withinNoise = true;
      return row;
    }
    const better = direction === "higher" ? abs > 0 : abs < 0;
    row.status = better ? "improved" : "regressed";
    return row;
  }
  row.status = sameValue(old, now) ? "unchanged" : "changed";
  return row;
}

function paramRow(pair: Pair, key: string): ParamDiffRow {
  const old = valueAt(pair.base, key);
  const now = valueAt(pair.head, key);
  const row: ParamDiffRow = { path: pair.path, key, old, new: now, status: "unchanged" };
  if (old === undefined || now === undefined) {
    row.status = old === undefined ? "added" : "removed";
    const side = old === undefined ? "base" : "head";
    if (pair.unavailable === side) row.unavailable = side;
  } else if (!sameValue(old, now)) {
    row.status = "changed";
  }
  return row;
}

function isFiniteNumber(v: MetricValue): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Equal type and value; NaN equals NaN (a NaN that stays NaN has not changed). */
export function sameValue(a: MetricValue, b: MetricValue): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}

function byPathKey(a: { path: string; key: string }, b: { path: string; key: string }): number {
  return byCodePoint(a.path, b.path) || byCodePoint(a.key, b.key);
}

function addProblem(problems: FileProblem[], p: FileProblem): void {
  if (!problems.some((q) => q.side === p.side && q.path === p.path && q.message === p.message))
    problems.push(p);
}
