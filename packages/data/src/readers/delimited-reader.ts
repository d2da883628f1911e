import { open } from "node:fs/promises";
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
  if (source.gzip) {
    for await (const chunk of fileChunks(source, pick(options))) {
      parser.push(chunk);
      if (parser.finished) break;
    }
    parser.end();
  } else {
    await readPlain(source, parser, start, options);
  }
  return {
    file: source.path,
    rows: parser.rows,
    malformed: parser.malformed,
    bytes: parser.offset - start,
    lines: parser.nextLine - 1,
    endOffset: parser.offset,
  };
}

/**
 * Reads a plain file into one reused buffer: after each read the parser takes the complete
 * rows and only the partial last row is moved to the front. The buffer grows only for a row
 * longer than itself (bounded by `maxRowBytes`, past which the parser skips the row).
 */
async function readPlain(
  source: DataSource,
  parser: CsvParser,
  start: number,
  options: ReadOptions,
): Promise<void> {
  const fh = await open(source.absolutePath, "r");
  try {
    let buf = Buffer.allocUnsafe(options.chunkBytes ?? 1024 * 1024);
    let have = 0;
    let position = start;
    for (;;) {
      if (have === buf.length) {
        const grown = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(grown, 0, 0, have);
        buf = grown;
      }
      const { bytesRead } = await fh.read(buf, have, buf.length - have, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      have += bytesRead;
      options.onProgress?.(bytesRead);
      const used = parser.feed(buf.subarray(0, have));
      if (parser.finished) return;
      buf.copyWithin(0, used, have);
      have -= used;
    }
    parser.end(buf.subarray(0, have));
  } finally {
    await fh.close();
  }
}

function pick(o: ReadOptions): { chunkBytes?: number; onProgress?: (n: number) => void } {
  return {
    ...(o.chunkBytes === undefined ? {} : { chunkBytes: o.chunkBytes }),
    ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
  };
}
