import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DatasetProfiler } from "../profile/dataset-profiler";
import { mergeAllProfiles } from "../profile/merge";
import type { Profile } from "../profile/profile-format";
import { findSplitPoints, readCsvHeader } from "../readers/csv-split";
import { readSource } from "../readers/read";
import type { DataSource } from "../readers/sources";
import { WorkerPool } from "./pool";
import { type ScanOptions, shiftLines, type UnitResult, type UnitTask } from "./unit";

export interface ProfileDatasetOptions extends ScanOptions {
  /**
   * Worker threads (default 1: read on the calling thread). With more, plain CSV/TSV files of
   * at least 2 × `minPartBytes` are cut into byte ranges that workers profile and the results
   * merge; other files go to workers whole. Needs `workerUrl`.
   */
  parallelism?: number;
  /** The bundled `worker-entry` script. */
  workerUrl?: URL | string;
  /** Smallest byte range worth a worker (16 MiB). */
  minPartBytes?: number;
  /** Called as bytes are read: bytes so far and the data set's size on disk. */
  onProgress?: (progress: { bytes: number; totalBytes: number }) => void;
}

/** The default worker script: `mlci-data-worker.mjs` beside the running bundle, if present. */
export function defaultWorkerUrl(): URL | undefined {
  const url = new URL("./mlci-data-worker.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Profiles a data set in one streaming pass, on one thread or several. */
export async function profileDataset(
  sources: readonly DataSource[],
  options: ProfileDatasetOptions = {},
): Promise<Profile> {
  const totalBytes = sources.reduce((a, s) => a + s.size, 0);
  let done = 0;
  const onBytes = options.onProgress
    ? (n: number): void => {
        done += n;
        options.onProgress?.({ bytes: done, totalBytes });
      }
    : undefined;
  const parallelism = Math.max(1, Math.floor(options.parallelism ?? 1));
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  if (parallelism === 1 || !workerUrl) {
    const profiler = new DatasetProfiler(options);
    for (const source of sources) {
      const stats = await readSource(source, profiler, {
        ...scanReadOptions(options),
        ...(onBytes ? { onProgress: onBytes } : {}),
      });
      profiler.addFile(source, stats);
    }
    return profiler.toProfile();
  }
  const pool = new WorkerPool(workerUrl, parallelism);
  try {
    const plans = await Promise.all(sources.map((s) => planSource(s, options, parallelism)));
    const results = await Promise.all(
      plans.map((units) => Promise.all(units.map((u) => pool.run(u, onBytes)))),
    );
    const ordered: UnitResult[] = [];
    for (let i = 0; i < plans.length; i++) {
      ordered.push(...(await verifyChain(plans[i]!, results[i]!, (t) => pool.run(t))));
    }
    return mergeAllProfiles(ordered.map((r) => r.profile));
  } finally {
    await pool.close();
  }
}

function scanReadOptions(o: ScanOptions): ScanOptions {
  const { delimiter, header, maxRowBytes, chunkBytes } = o;
  return {
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(header === undefined ? {} : { header }),
    ...(maxRowBytes === undefined ? {} : { maxRowBytes }),
    ...(chunkBytes === undefined ? {} : { chunkBytes }),
  };
}

function taskOptions(o: ProfileDatasetOptions): ScanOptions {
  return {
    ...scanReadOptions(o),
    ...(o.sketches === undefined ? {} : { sketches: o.sketches }),
    ...(o.nullValues === undefined ? {} : { nullValues: o.nullValues }),
  };
}

/** Units for one file: byte ranges for a large plain CSV/TSV, else the whole file. */
async function planSource(
  source: DataSource,
  o: ProfileDatasetOptions,
  parallelism: number,
): Promise<UnitTask[]> {
  const options = taskOptions(o);
  const minPart = o.minPartBytes ?? 16 * 1024 * 1024;
  const splittable =
    (source.format === "csv" || source.format === "tsv") && !source.gzip && o.header !== false;
  if (!splittable || source.size < 2 * minPart) return [{ source, options }];
  const delimiter = (o.delimiter ?? (source.format === "tsv" ? "\t" : ",")).charCodeAt(0);
  const header = await readCsvHeader(source, delimiter);
  if (!header) return [{ source, options }];
  const parts = Math.min(parallelism * 2, Math.floor(source.size / minPart));
  const splits = await findSplitPoints(source, parts, header.headerEnd);
  const bounds = [0, ...splits, source.size];
  const units: UnitTask[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    units.push({
      source,
      options,
      range: { start: bounds[i]!, end: bounds[i + 1]!, columns: header.columns },
    });
  }
  return units;
}

/**
 * Checks that consecutive ranges of a file meet at a row boundary: range i must have stopped
 * exactly where range i+1 started. When a split fell inside a quoted field, range i read on to
 * the true end of its last row, so range i+1 is read again from there. Then turns relative
 * line numbers into file lines.
 */
async function verifyChain(
  units: UnitTask[],
  results: UnitResult[],
  rerun: (t: UnitTask) => Promise<UnitResult>,
): Promise<UnitResult[]> {
  const out: UnitResult[] = [];
  let firstLine = 1;
  for (let i = 0; i < units.length; i++) {
    let result = results[i]!;
    const unit = units[i]!;
    const prev = out[i - 1];
    if (prev && unit.range && prev.stats.endOffset !== unit.range.start) {
      // Range i read past the split: range i+1 starts where range i really stopped (or is
      // empty when range i swallowed it whole).
      const start = prev.stats.endOffset;
      result = await rerun({ ...unit, range: { ...unit.range, start: Math.min(start, unit.range.end) } });
      if (start > result.stats.endOffset)
        result = { ...result, stats: { ...result.stats, endOffset: start } };
    }
    out.push(shiftLines(result, firstLine));
    firstLine += result.stats.lines;
  }
  return out;
}
