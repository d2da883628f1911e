import { readDelimited } from "./delimited-reader";
import { readJsonLines } from "./jsonl-reader";
import { readParquet } from "./parquet-reader";
import type { ReadOptions, ReadStats } from "./read-options";
import { type Row, type RowIssue, type RowSink, rowTexts } from "./row";
import type { DataSource } from "./sources";

/** Reads one file of any supported format into `sink`. */
export function readSource(source: DataSource, sink: RowSink, options: ReadOptions = {}): Promise<ReadStats> {
  switch (source.format) {
    case "csv":
    case "tsv":
      return readDelimited(source, sink, options);
    case "jsonl":
      return readJsonLines(source, sink, options);
    case "parquet":
      return readParquet(source, sink, options);
  }
}

/** Reads the files of a data set in order into one sink. */
export async function readDataset(
  sources: readonly DataSource[],
  sink: RowSink,
  options: ReadOptions = {},
): Promise<ReadStats[]> {
  const stats: ReadStats[] = [];
  for (const source of sources) stats.push(await readSource(source, sink, options));
  return stats;
}

/** Every row as plain values with its file and line, and every issue: for tests and small files. */
export async function collectRows(
  sources: readonly DataSource[],
  options: ReadOptions = {},
): Promise<{
  columns: Map<string, string[]>;
  rows: Array<{ file: string; line: number; values: unknown[] }>;
  issues: RowIssue[];
}> {
  const columns = new Map<string, string[]>();
  const rows: Array<{ file: string; line: number; values: unknown[] }> = [];
  const issues: RowIssue[] = [];
  await readDataset(
    sources,
    {
      columns: (file, names) => columns.set(file, [...names]),
      row: (row: Row) => rows.push({ file: row.file, line: row.line, values: rowTexts(row) }),
      issue: (issue) => issues.push(issue),
    },
    options,
  );
  return { columns, rows, issues };
}
