/** A value read from a metrics or params file after flattening. */
export type MetricValue = number | string | boolean | null;

/** Flattened key -> value, keys joined with dots and list items by index (`eval.test.f1`, `layers.0`). */
export type FlatValues = Record<string, MetricValue>;

/** One metrics or params file as read at one revision. */
export interface ValuesFile {
  /** Path relative to the repository root, POSIX separators. */
  path: string;
  values: FlatValues;
  /** Set when the file could not be used; `values` is then empty. The report shows it plainly. */
  problem?: { kind: "missing" | "unreadable" | "not-in-cache" | "parse-error"; message: string };
}

/** Metrics, params and plots read at one revision (or the working tree). */
export interface RevisionSnapshot {
  /** What the user asked for: a ref name, a SHA, or `workspace`. */
  ref: string;
  /** Full commit SHA; undefined for the working tree. */
  sha?: string;
  metrics: ValuesFile[];
  params: ValuesFile[];
  plots: PlotData[];
}

export type Direction = "higher" | "lower";

/** Where a metric's direction came from. */
export type DirectionSource = "config" | "inferred" | "default";

export type MetricStatus =
  | "improved"
  | "regressed"
  | "unchanged"
  | "added"
  | "removed"
  /** Not numeric on one or both sides, and different. */
  | "changed";

export interface MetricDiffRow {
  path: string;
  key: string;
  old: MetricValue | undefined;
  new: MetricValue | undefined;
  /** new - old, when both are finite numbers. */
  abs?: number;
  /** (new - old) / |old|, when both are finite numbers and old != 0. */
  rel?: number;
  direction: Direction;
  directionSource: DirectionSource;
  status: MetricStatus;
  /** true when |abs| was within the noise band, so the change counts as unchanged. */
  withinNoise?: boolean;
}

export type ParamStatus = "changed" | "added" | "removed" | "unchanged";

export interface ParamDiffRow {
  path: string;
  key: string;
  old: MetricValue | undefined;
  new: MetricValue | undefined;
  status: ParamStatus;
}

export interface DiffCounts {
  improved: number;
  regressed: number;
  unchanged: number;
  added: number;
  removed: number;
  changed: number;
}

/** A file that one side could not provide, with the reason. */
export interface FileProblem {
  side: "base" | "head";
  path: string;
  kind: NonNullable<ValuesFile["problem"]>["kind"];
  message: string;
}

export interface MetricsDiff {
  /** Rows sorted: regressed, improved, changed, added, removed, unchanged; then by path and key. */
  metrics: MetricDiffRow[];
  /** Changed, added and removed keys first, then unchanged; then by path and key. */
  params: ParamDiffRow[];
  counts: DiffCounts;
  problems: FileProblem[];
}

/** A DVC plot file at one revision: rows of numbers with an x field and one or more y fields. */
export interface PlotData {
  /** Path of the plots file, or the plot id from dvc.yaml. */
  id: string;
  path: string;
  x: string;
  y: string[];
  title?: string;
  rows: Array<Record<string, number | string>>;
}

/** A plot at base and head, ready for rendering. */
export interface PlotDiff {
  id: string;
  path: string;
  x: string;
  y: string[];
  title?: string;
  base: PlotData["rows"] | null;
  head: PlotData["rows"] | null;
}
