import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DatasetProfiler } from "../profile/dataset-profiler";
import { mergeAllProfiles } from "../profile/merge";
import type { Profile } from "../profile/profile-format";
import { findSplitPoints, readCsvHeader } from "../readers/csv-split";
import { readSource } from "../readers/read";
import type { DataSource } from "../readers/sources";
import { type CheckResult, finishCheck } from "../schema/check-result";
import { type CheckState, mergeCheckStates } from "../schema/check-state";
import { SchemaChecker } from "../schema/checker";
import type { DataSchema } from "../schema/schema-file";
import { removeSpillDirs } from "../schema/unique";
import { WorkerPool } from "./pool";
import {
  countRows,
  readOptionsOf,
  type ScanOptions,
  shiftLines,
  teeSink,
  type UnitResult,
  type UnitTask,
} from "./unit";

export interface ScanDatasetOptions extends ScanOptions {
  /** Build a profile (default true). */
  profile?: boolean;
  /** Check the data against this schema. */
  schema?: DataSchema;
  /**
   * Worker threads (default 1: read on the calling thread). With more, plain CSV/TSV files of
   * at least 2 × `minPartBytes` are cut into byte ranges that workers read and whose results
   * merge; other files (gzip, JSON Lines, Parquet) go to a worker whole. Needs a worker script.
   */
  parallelism?: number;
  /** The bundled `worker-entry` script (default: `defaultWorkerUrl()`). */
  workerUrl?: URL | string;
  /** Smallest byte range worth a worker (16 MiB). */
  minPartBytes?: number;
  /**
   * Called as data is read: bytes and rows so far and the data set's size on disk (bytes count
   * decompressed gzip, so they may pass `totalBytes`). Rows may lag bytes by a chunk.
   */
  onProgress?: (progress: { bytes: number; totalBytes: number; rows: number }) => void;
}

export interface ScanResult {
  profile?: Profile;
  check?: CheckResult;
}

/** The default worker script: `mlci-data-worker.mjs` beside the running bundle, if present. */
export function defaultWorkerUrl(): URL | undefined {
  const url = new URL("./mlci-data-worker.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Profiles a data set in one streaming pass, on one thread or several. */
export async function profileDataset(
  sources: readonly DataSource[],
  options: ScanDatasetOptions = {},
): Promise<Profile> {
  const { profile } = await scanDataset(sources, { ...options, profile: true });
  return profile!;
}

/** Checks a data set against a schema (and profiles it unless `profile: false`) in one pass. */
export async function validateDataset(
  sources: readonly DataSource[],
  schema: DataSchema,
  options: ScanDatasetOptions = {},
): Promise<Required<Pick<ScanResult, "check">> & ScanResult> {
  const result = await scanDataset(sources, { ...options, schema });
  return { ...result, check: result.check! };
}

/** Reads a data set once, profiling and/or checking it. */
export async function scanDataset(
  sources: readonly DataSource[],
  options: ScanDatasetOptions = {},
): Promise<ScanResult> {
  const wantProfile = options.profile ?? true;
  const totalBytes = sources.reduce((a, s) => a + s.size, 0);
  let done = 0;
  let rowsDone = 0;
  const onBytes = options.onProgress
    ? (n: number, rows: number): void => {
        done += n;
        rowsDone += rows;
        options.onProgress?.({ bytes: done, totalBytes, rows: rowsDone });
      }
    : undefined;
  const parallelism = Math.max(1, Math.floor(options.parallelism ?? 1));
  const workerUrl = parallelism > 1 ? (options.workerUrl ?? defaultWorkerUrl()) : undefined;
  const files = sources.map((s) => s.path);
  if (!workerUrl) {
    const profiler = wantProfile ? new DatasetProfiler(options) : undefined;
    const checker = options.schema ? new SchemaChecker(options.schema, checkerOptions(options)) : undefined;
    let rows = 0;
    const tee = teeSink(
      [profiler, checker].filter((s): s is DatasetProfiler | SchemaChecker => s !== undefined),
    );
    const sink = onBytes ? countRows(tee, () => rows++) : tee;
    const onRead = onBytes
      ? (n: number): void => {
          onBytes(n, rows);
          rows = 0;
        }
      : undefined;
    for (const source of sources) {
      const stats = await readSource(source, sink, readOptionsOf(options, onRead));
      profiler?.addFile(source, stats);
    }
    if (onBytes && rows > 0) onBytes(0, rows);
    const result: ScanResult = {};
    if (profiler) result.profile = profiler.toProfile();
    if (checker && options.schema) result.check = await finishCheck(checker.toState(), options.schema, files);
    return result;
  }
  const pool = new WorkerPool(workerUrl, parallelism);
  const discarded: UnitResult[] = [];
  const results: UnitResult[][] = [];
  let finished = false;
  try {
    const plans = await Promise.all(sources.map((s) => planSource(s, options, parallelism, wantProfile)));
    results.push(
      ...(await Promise.all(plans.map((units) => Promise.all(units.map((u) => pool.run(u, onBytes)))))),
    );
    const ordered: UnitResult[] = [];
    for (let i = 0; i < plans.length; i++) {
      ordered.push(...(await verifyChain(plans[i]!, results[i]!, (t) => pool.run(t, onBytes), discarded)));
    }
    const result: ScanResult = {};
    if (wantProfile) result.profile = mergeAllProfiles(ordered.map((r) => r.profile!));
    if (options.schema) {
      const states = ordered.map((r) => r.check!);
      const merged = states.slice(1).reduce<CheckState>(mergeCheckStates, states[0]!);
      finished = true; // from here finishCheck removes the spill directories it merged
      result.check = await finishCheck(merged, options.schema, files);
    }
    return result;
  } finally {
    await pool.close();
    const leftovers = finished ? discarded : [...discarded, ...results.flat()];
    await removeSpillDirs(leftovers.flatMap((r) => r.check?.spillDirs ?? []));
  }
}

function checkerOptions(o: ScanOptions): { nullValues?: readonly string[]; tempDir?: string } {
  return {
    ...(o.nullValues ? { nullValues: o.nullValues } : {}),
    ...(o.tempDir ? { tempDir: o.tempDir } : {}),
  };
}

function taskOptions(o: ScanDatasetOptions): ScanOptions {
  const { delimiter, header, maxRowBytes, chunkBytes, sketches, nullValues, tempDir } = o;
  return {
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(header === undefined ? {} : { header }),
    ...(maxRowBytes === undefined ? {} : { maxRowBytes }),
    ...(chunkBytes === undefined ? {} : { chunkBytes }),
    ...(sketches === undefined ? {} : { sketches }),
    ...(nullValues === undefined ? {} : { nullValues }),
    ...(tempDir === undefined ? {} : { tempDir }),
  };
}

/** Units for one file: byte ranges for a large plain CSV/TSV, else the whole file. */
async function planSource(
  source: DataSource,
  o: ScanDatasetOptions,
  parallelism: number,
  profile: boolean,
): Promise<UnitTask[]> {
  const base: UnitTask = { source, options: taskOptions(o), profile, spill: true };
  if (o.schema) base.schema = o.schema;
  const minPart = o.minPartBytes ?? 16 * 1024 * 1024;
  const splittable =
    (source.format === "csv" || source.format === "tsv") && !source.gzip && o.header !== false;
  if (!splittable || source.size < 2 * minPart) return [base];
  const delimiter = (o.delimiter ?? (source.format === "tsv" ? "\t" : ",")).charCodeAt(0);
  const header = await readCsvHeader(source, delimiter);
  if (!header) return [base];
  const parts = Math.min(parallelism * 2, Math.floor(source.size / minPart));
  const splits = await findSplitPoints(source, parts, header.headerEnd);
  const bounds = [0, ...splits, source.size];
  const units: UnitTask[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    units.push({ ...base, range: { start: bounds[i]!, end: bounds[i + 1]!, columns: header.columns } });
  }
  return units;
}

/**
 * Checks that consecutive ranges of a file meet at a row boundary: range i must have stopped
 * exactly where range i+1 started. When a split fell inside a quoted field, range i read on to
 * the true end of its last row, so range i+1 is read again from there (results stay exact;
 * only that range's speed-up is lost). Then turns relative line numbers into file lines.
 */
async function verifyChain(
  units: UnitTask[],
  results: UnitResult[],
  rerun: (t: UnitTask) => Promise<UnitResult>,
  discarded: UnitResult[],
): Promise<UnitResult[]> {
  const out: UnitResult[] = [];
  let firstLine = 1;
  for (let i = 0; i < units.length; i++) {
    let result = results[i]!;
    const unit = units[i]!;
    const prev = out[i - 1];
    if (prev && unit.range && prev.stats.endOffset !== unit.range.start) {
      discarded.push(result);
      const start = prev.stats.endOffset;
      result = await rerun({ ...unit, range: { ...unit.range, start: Math.min(start, unit.range.end) } });
      // When range i swallowed range i+1 whole, the next boundary is still range i's end.
      if (start > result.stats.endOffset)
        result = { ...result, stats: { ...result.stats, endOffset: start } };
    }
    out.push(shiftLines(result, firstLine));
    firstLine += result.stats.lines;
  }
  return out;
}
