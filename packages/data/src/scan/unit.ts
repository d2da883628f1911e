import { DatasetProfiler, type ProfilerOptions } from "../profile/dataset-profiler";
import type { Profile } from "../profile/profile-format";
import { type ByteRange, readDelimited } from "../readers/delimited-reader";
import { readSource } from "../readers/read";
import type { ReadOptions, ReadStats } from "../readers/read-options";
import type { RowIssue } from "../readers/row";
import type { DataSource } from "../readers/sources";

/** Options that travel to workers: plain data only. */
export interface ScanOptions extends ProfilerOptions {
  delimiter?: string;
  header?: boolean;
  maxRowBytes?: number;
  chunkBytes?: number;
}

/** One piece of work: a file, or a byte range of a plain CSV/TSV file. */
export interface UnitTask {
  source: DataSource;
  range?: ByteRange;
  options: ScanOptions;
}

export interface UnitResult {
  stats: ReadStats;
  profile: Profile;
}

/** Reads one unit and profiles it, on whatever thread calls it. */
export async function runUnit(task: UnitTask, onProgress?: (bytes: number) => void): Promise<UnitResult> {
  const { source, range, options } = task;
  const profiler = new DatasetProfiler(options);
  const read: ReadOptions = {
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.header === undefined ? {} : { header: options.header }),
    ...(options.maxRowBytes === undefined ? {} : { maxRowBytes: options.maxRowBytes }),
    ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
    ...(onProgress ? { onProgress } : {}),
  };
  const stats = range
    ? await readDelimited(source, profiler, read, range)
    : await readSource(source, profiler, read);
  profiler.addFile(source, stats);
  return { stats, profile: profiler.toProfile() };
}

/** Turns a range's relative line numbers (1 = the range's first line) into file lines. */
export function shiftLines(result: UnitResult, firstLine: number): UnitResult {
  if (firstLine === 1) return result;
  const shift = (i: RowIssue): RowIssue => ({ ...i, line: i.line + firstLine - 1 });
  const issues = result.profile.dataset.issues.map(shift);
  return { ...result, profile: { ...result.profile, dataset: { ...result.profile.dataset, issues } } };
}
