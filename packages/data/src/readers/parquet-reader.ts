import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  asyncBufferFromFile,
  type Compressors,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import type { ReadOptions, ReadStats } from "./read-options";
import type { RowSink, ValueRow } from "./row";
import type { DataSource } from "./sources";

/** Codecs beyond hyparquet's built-in Snappy, from node:zlib. ZSTD and LZ4 are not supported. */
const compressors: Compressors = {
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
};

/**
 * Reads a Parquet file one row group at a time (memory is bounded by the largest row group),
 * with hyparquet. A row's `line` is its 1-based row number in the file. INT64 values arrive as
 * bigint and are turned into numbers by the cell classifier; timestamps arrive as Dates.
 */
export async function readParquet(
  source: DataSource,
  sink: RowSink,
  options: ReadOptions = {},
): Promise<ReadStats> {
  const file = await asyncBufferFromFile(source.absolutePath);
  const metadata = await parquetMetadataAsync(file);
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  sink.columns(source.path, names);
  const row: ValueRow = { kind: "values", file: source.path, line: 0, values: [] };
  let rowStart = 0;
  let rows = 0;
  for (const group of metadata.row_groups) {
    const count = Number(group.num_rows);
    const rowEnd = rowStart + count;
    const groupBytes = Number(group.total_byte_size);
    await parquetRead({
      file,
      metadata,
      rowStart,
      rowEnd,
      compressors,
      rowFormat: "array",
      onComplete: (batch: unknown[][]) => {
        for (let i = 0; i < batch.length; i++) {
          row.values = batch[i]!;
          row.line = rowStart + i + 1;
          rows++;
          sink.row(row);
        }
      },
    });
    options.onProgress?.(groupBytes);
    rowStart = rowEnd;
  }
  return { file: source.path, rows, malformed: 0, bytes: source.size, lines: rows, endOffset: source.size };
}
