import { fileChunks } from "./chunks";
import { CsvParser } from "./csv-parser";
import type { ReadOptions, ReadStats } from "./read-options";
import type { RowSink } from "./row";
import type { DataSource } from "./sources";

/** A byte range of a delimited file, read by one worker. */
export interface ByteRange {
  /** A row start (0, or a split point from `findSplitPoints`). */
  start: number;
  /** Rows starting at or after `end` belong to the next range. */
  end: number;
  /** Column names (from the header), needed when `start` > 0. */
  columns?: readonly string[];
}

/** Reads a CSV or TSV file (or a byte range of one) into `sink`. */
export async function readDelimited(
  source: DataSource,
  sink: RowSink,
  options: ReadOptions = {},
  range?: ByteRange,
): Promise<ReadStats> {
  const delimiter = options.delimiter ?? (source.format === "tsv" ? "\t" : ",");
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127) {
    throw new Error(`the delimiter must be one ASCII character, got ${JSON.stringify(delimiter)}`);
  }
  const start = range?.start ?? 0;
  const parser = new CsvParser({
    file: source.path,
    delimiter: delimiter.charCodeAt(0),
    ...(options.header === undefined ? {} : { header: options.header }),
    ...(start > 0 && range?.columns ? { columns: range.columns } : {}),
    ...(options.maxRowBytes === undefined ? {} : { maxRowBytes: options.maxRowBytes }),
    startOffset: start,
    ...(range ? { stopAt: range.end } : {}),
    onColumns: (names) => sink.columns(source.path, names),
    onRow: (row) => sink.row(row),
    onIssue: (issue) => sink.issue(issue),
  });
  if (start > 0 && range?.columns) sink.columns(source.path, range.columns);
  const chunks = fileChunks(source, { start, ...pick(options) });
  for await (const chunk of chunks) {
    parser.push(chunk);
    if (parser.finished) break;
  }
  parser.end();
  return {
    file: source.path,
    rows: parser.rows,
    malformed: parser.malformed,
    bytes: parser.offset - start,
    lines: parser.nextLine - 1,
    endOffset: parser.offset,
  };
}

function pick(o: ReadOptions): { chunkBytes?: number; onProgress?: (n: number) => void } {
  return {
    ...(o.chunkBytes === undefined ? {} : { chunkBytes: o.chunkBytes }),
    ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
  };
}
