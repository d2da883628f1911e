/** A value read from a metrics or params file after flattening. */
export type MetricValue = number | string | boolean | null;

/** Flattened key -> value, keys joined with dots and list items by index (`eval.test.f1`, `layers.0`). */
export type FlatValues = Record<string, MetricValue>;

export type ProblemKind = "missing" | "unreadable" | "not-in-cache" | "parse-error";

/** One metrics or params file as read at one revision. */
export interface ValuesFile {
  /** Path relative to the repository root, POSIX separators. MLflow runs: `mlruns/<experiment>/<run>`. */
  path: string;
  /**
   * Identity that pairs this file with the other revision's; `path` when absent. MLflow runs use
   * `mlflow:<experiment>`, because base and head are different runs with different ids.
   */
  id?: string;
  values: FlatValues;
  /** Set when the file could not be used; `values` is then empty. The report shows it plainly. */
  problem?: { kind: ProblemKind; message: string };
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
  /**
   * Problems not tied to one metrics or params file: a dvc.yaml that does not parse, a path
   * template that cannot be resolved, a plots file that cannot be read.
   */
  problems?: Array<{ path: string; kind: ProblemKind; message: string }>;
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
  /**
   * The file holding this metric could not be read on that side (see `problems`), so the value is
   * unknown rather than added or removed. Such rows keep status `added`/`removed` but are counted
   * under `counts.unavailable`, not `added`/`removed`.
   */
  unavailable?: "base" | "head";
}

export type ParamStatus = "changed" | "added" | "removed" | "unchanged";

export interface ParamDiffRow {
  path: string;
  key: string;
  old: MetricValue | undefined;
  new: MetricValue | undefined;
  status: ParamStatus;
  /** As for metrics: the params file could not be read on that side. */
  unavailable?: "base" | "head";
}

export interface DiffCounts {
  improved: number;
  regressed: number;
  unchanged: number;
  added: number;
  removed: number;
  changed: number;
  /** Rows whose file could not be read on one side (not counted as added or removed). */
  unavailable?: number;
}

/** A file that one side could not provide, with the reason. */
export interface FileProblem {
  side: "base" | "head";
  path: string;
  kind: ProblemKind;
  message: string;
}

export interface MetricsDiff {
  /**
   * Rows sorted: regressed, improved, changed, added, removed, unchanged; then by path and key
   * (code-point order, so the order is the same on every machine).
   */
  metrics: MetricDiffRow[];
  /**
   * Changed, added and removed keys first, then unchanged; within each of the two groups by path
   * and key, so the keys of one file stay together.
   */
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
  /** The DVC template named in dvc.yaml (`linear`, `scatter`, `confusion`, ...), when one is. */
  template?: string;
  /** Only the x and y fields of each row; numbers parsed. */
  rows: Array<Record<string, number | string>>;
}

/** A plot at base and head, ready for rendering. */
export interface PlotDiff extends Omit<PlotData, "rows"> {
  base: PlotData["rows"] | null;
  head: PlotData["rows"] | null;
}
