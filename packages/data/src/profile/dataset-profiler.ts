import { DEFAULT_NULL_VALUES } from "../readers/cell";
import type { ReadStats } from "../readers/read-options";
import type { Row, RowIssue, RowSink } from "../readers/row";
import type { DataSource } from "../readers/sources";
import { ColumnProfiler, DEFAULT_SKETCH_CONFIG, type SketchConfig } from "./column-profiler";
import { padWithNulls, summarizeColumn } from "./column-state";
import { nullMatcher } from "./null-values";
import {
  type FileSummary,
  MAX_ISSUE_EXAMPLES,
  PROFILE_VERSION,
  type Profile,
  type ProfileConfig,
} from "./profile-format";

export interface ProfilerOptions {
  sketches?: Partial<SketchConfig>;
  /** Unquoted CSV/TSV text read as null; see DEFAULT_NULL_VALUES. */
  nullValues?: readonly string[];
}

export function profileConfig(options: ProfilerOptions = {}): ProfileConfig {
  return {
    ...DEFAULT_SKETCH_CONFIG,
    ...options.sketches,
    nullValues: [...(options.nullValues ?? DEFAULT_NULL_VALUES)],
  };
}

/**
 * Builds a profile from rows: a `RowSink` for `readDataset` (or a worker's byte range).
 * Columns are matched by name across files; duplicate names in one header become `name.1`,
 * `name.2` (as pandas does) and empty names `column_<n>`.
 */
export class DatasetProfiler implements RowSink {
  readonly config: ProfileConfig;
  private readonly isNull: ReturnType<typeof nullMatcher>;
  private readonly byName = new Map<string, ColumnProfiler>();
  private current: ColumnProfiler[] = [];
  private readonly files = new Map<string, FileSummary>();
  private rows = 0;
  private malformed = 0;
  private readonly issues: RowIssue[] = [];

  constructor(options: ProfilerOptions = {}) {
    this.config = profileConfig(options);
    this.isNull = nullMatcher(this.config.nullValues);
  }

  columns(_file: string, names: readonly string[]): void {
    this.current = uniqueNames(names).map((name) => {
      let col = this.byName.get(name);
      if (!col) {
        col = new ColumnProfiler(this.config, this.isNull);
        this.byName.set(name, col);
      }
      return col;
    });
  }

  row(row: Row): void {
    this.rows++;
    const cols = this.current;
    if (row.kind === "text") {
      const { buf, starts, ends, flags } = row;
      const n = Math.min(row.count, cols.length);
      for (let i = 0; i < n; i++) cols[i]!.addText(buf, starts[i]!, ends[i]!, flags[i]!);
      return;
    }
    const values = row.values;
    for (let i = 0; i < cols.length; i++) {
      if (i < values.length) cols[i]!.addValue(values[i]);
      else cols[i]!.addNull();
    }
  }

  issue(issue: RowIssue): void {
    this.malformed++;
    if (this.issues.length < MAX_ISSUE_EXAMPLES) this.issues.push(issue);
  }

  /** Records what reading a file (or a range of it) found. */
  addFile(source: DataSource, stats: ReadStats): void {
    const prev = this.files.get(source.path);
    this.files.set(source.path, {
      path: source.path,
      format: source.format,
      bytes: (prev?.bytes ?? 0) + stats.bytes,
      rows: (prev?.rows ?? 0) + stats.rows,
      malformedRows: (prev?.malformedRows ?? 0) + stats.malformed,
    });
  }

  toProfile(): Profile {
    const files = [...this.files.values()];
    const columns = [...this.byName].map(([name, col]) =>
      summarizeColumn(name, padWithNulls(col.toState(), this.rows - col.count)),
    );
    return {
      version: PROFILE_VERSION,
      kind: "mlci-profile",
      config: this.config,
      dataset: {
        rows: this.rows,
        malformedRows: this.malformed,
        columns: columns.length,
        bytes: files.reduce((a, f) => a + f.bytes, 0),
        files,
        issues: [...this.issues],
      },
      columns,
    };
  }
}

export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    const base = raw === "" ? `column_${i + 1}` : raw;
    let name = base;
    for (let k = 1; used.has(name); k++) name = `${base}.${k}`;
    used.add(name);
    return name;
  });
}
