import { DatasetProfiler, type ProfilerOptions } from "../profile/dataset-profiler";
import type { Profile } from "../profile/profile-format";
import { type ByteRange, readDelimited } from "../readers/delimited-reader";
import { readSource } from "../readers/read";
import type { ReadOptions, ReadStats } from "../readers/read-options";
import type { Row, RowIssue, RowSink } from "../readers/row";
import type { DataSource } from "../readers/sources";
import { type CheckState, shiftCheckLines } from "../schema/check-state";
import { SchemaChecker } from "../schema/checker";
import type { DataSchema } from "../schema/schema-file";

/** Options that travel to workers: plain data only. */
export interface ScanOptions extends ProfilerOptions {
  delimiter?: string;
  header?: boolean;
  maxRowBytes?: number;
  chunkBytes?: number;
  /** Where unique-value checks spill sorted runs (the system temp directory). */
  tempDir?: string;
}

/** One piece of work: a file, or a byte range of a plain CSV/TSV file. */
export interface UnitTask {
  source: DataSource;
  range?: ByteRange;
  options: ScanOptions;
  /** Build a profile. */
  profile: boolean;
  /** Check against this schema. */
  schema?: DataSchema;
  /** Put unique-value runs on disk (results cross threads). */
  spill: boolean;
}

export interface UnitResult {
  stats: ReadStats;
  profile?: Profile;
  check?: CheckState;
}

/** Sends rows to several sinks. */
export function teeSink(sinks: RowSink[]): RowSink {
  if (sinks.length === 1) return sinks[0]!;
  return {
    columns: (file, names) => {
      for (const s of sinks) s.columns(file, names);
    },
    row: (row: Row) => {
      for (const s of sinks) s.row(row);
    },
    issue: (issue: RowIssue) => {
      for (const s of sinks) s.issue(issue);
    },
  };
}

export function readOptionsOf(options: ScanOptions, onProgress?: (bytes: number) => void): ReadOptions {
  return {
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.header === undefined ? {} : { header: options.header }),
    ...(options.maxRowBytes === undefined ? {} : { maxRowBytes: options.maxRowBytes }),
    ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
    ...(onProgress ? { onProgress } : {}),
  };
}

/** Counts rows on their way to `sink` (for progress reports). */
export function countRows(sink: RowSink, count: () => void): RowSink {
  return {
    columns: (file, names) => sink.columns(file, names),
    row: (row: Row) => {
      count();
      sink.row(row);
    },
    issue: (issue: RowIssue) => sink.issue(issue),
  };
}

/**
 * Reads one unit, profiling and checking it, on whatever thread calls it. `onProgress` gets the
 * bytes and rows read since its last call.
 */
export async function runUnit(
  task: UnitTask,
  onProgress?: (bytes: number, rows: number) => void,
): Promise<UnitResult> {
  const { source, range, options } = task;
  const profiler = task.profile ? new DatasetProfiler(options) : undefined;
  const checker = task.schema
    ? new SchemaChecker(task.schema, {
        ...(options.nullValues ? { nullValues: options.nullValues } : {}),
        ...(options.tempDir ? { tempDir: options.tempDir } : {}),
      })
    : undefined;
  let rows = 0;
  const tee = teeSink(
    [profiler, checker].filter((s): s is DatasetProfiler | SchemaChecker => s !== undefined),
  );
  const sink = onProgress ? countRows(tee, () => rows++) : tee;
  const onBytes = onProgress
    ? (bytes: number): void => {
        onProgress(bytes, rows);
        rows = 0;
      }
    : undefined;
  const read = readOptionsOf(options, onBytes);
  const stats = range ? await readDelimited(source, sink, read, range) : await readSource(source, sink, read);
  if (onProgress && rows > 0) onProgress(0, rows);
  profiler?.addFile(source, stats);
  const result: UnitResult = { stats };
  if (profiler) result.profile = profiler.toProfile();
  if (checker) result.check = checker.toState(task.spill);
  return result;
}

/** Turns a range's relative line numbers (1 = the range's first line) into file lines. */
export function shiftLines(result: UnitResult, firstLine: number): UnitResult {
  if (firstLine === 1) return result;
  const out: UnitResult = { stats: result.stats };
  if (result.profile) {
    const p = result.profile;
    const issues = p.dataset.issues.map((i) => ({ ...i, line: i.line + firstLine - 1 }));
    out.profile = { ...p, dataset: { ...p.dataset, issues } };
  }
  if (result.check) out.check = shiftCheckLines(result.check, firstLine);
  return out;
}
