import type { RowIssue } from "../readers/row";
import type { DataFormat } from "../readers/sources";
import type { ItemValue } from "../sketch/frequent";
import type { ColumnState, SketchConfig, TypeCounts } from "./column-profiler";

/**
 * The profile file (`mlci-profile.json`): versioned JSON, described in docs/formats.md. A
 * profile holds, per column, a readable summary and the mergeable sketch state it derives
 * from; `mergeProfiles` merges states and recomputes summaries. Nothing in it depends on time
 * or machine, so the same input read with the same parallelism gives the same bytes.
 */
export const PROFILE_VERSION = 1;

export type ColumnType = "integer" | "number" | "boolean" | "timestamp" | "string" | "null";

export interface ProfileConfig extends SketchConfig {
  /** Unquoted text read as null in CSV/TSV. */
  nullValues: string[];
}

export interface FileSummary {
  path: string;
  format: DataFormat;
  /** Bytes read (decompressed for gzip). */
  bytes: number;
  rows: number;
  malformedRows: number;
}

export interface DatasetSummary {
  rows: number;
  malformedRows: number;
  columns: number;
  bytes: number;
  files: FileSummary[];
  /** The first 20 malformed rows, in file order. */
  issues: RowIssue[];
}

export interface Histogram {
  /** bins + 1 edges; bins are [a, b) except the last, [a, b]. */
  edges: number[];
  counts: number[];
}

export interface ColumnProfile {
  name: string;
  /** integer or number when at least 95% of the non-null cells are numbers. */
  type: ColumnType;
  /** Rows (every column of a profile has the data set's row count; absent cells are nulls). */
  count: number;
  nulls: number;
  nullFraction: number;
  types: TypeCounts;
  /** Numbers for numeric columns, ISO strings for timestamps, strings by code point. */
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  /** Sample standard deviation (n - 1). */
  std: number | null;
  /** Quantiles of the numeric cells, keyed "0.01" … "0.99" (KLL, ±1.33% in rank). */
  quantiles: Record<string, number> | null;
  /** Exact when `distinctExact`, else the HyperLogLog estimate (±1.6% at one sigma). */
  distinct: number;
  distinctExact: boolean;
  /** The most frequent values (top 10); counts are lower bounds unless `distinctExact`. */
  frequent: Array<{ value: ItemValue; count: number }>;
  histogram: Histogram | null;
  state: ColumnState;
}

export interface Profile {
  version: typeof PROFILE_VERSION;
  kind: "mlci-profile";
  config: ProfileConfig;
  dataset: DatasetSummary;
  columns: ColumnProfile[];
}

export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
export const HISTOGRAM_BINS = 20;
export const MAX_ISSUE_EXAMPLES = 20;
