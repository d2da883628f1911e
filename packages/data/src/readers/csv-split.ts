import { open } from "node:fs/promises";
import { CsvParser } from "./csv-parser";
import type { DataSource } from "./sources";

/**
 * Candidate split points for reading a plain CSV/TSV file in `parts` byte ranges: for each
 * target offset (size * k / parts) the byte after the next line feed. That is a row start
 * unless the line feed sits inside a quoted field, which a split cannot see without reading
 * everything before it. So this is a heuristic, and callers verify it: the reader of the range
 * before a split reports where its last row really ended (`ReadStats.endOffset`), and when
 * that is not the split, the next range is read again from the true boundary (see
 * `scanDataset`). Results stay exact; only the speed-up is lost for that range.
 *
 * Returns ascending offsets strictly between `headerEnd` and the file size.
 */
export async function findSplitPoints(source: DataSource, parts: number, headerEnd = 0): Promise<number[]> {
  if (source.gzip) return [];
  const size = source.size;
  const window = Buffer.allocUnsafe(64 * 1024);
  const out: number[] = [];
  const fh = await open(source.absolutePath, "r");
  try {
    let last = headerEnd;
    for (let k = 1; k < parts; k++) {
      let pos = Math.max(Math.floor((size * k) / parts), last);
      let found = -1;
      while (found < 0 && pos < size) {
        const { bytesRead } = await fh.read(window, 0, window.length, pos);
        if (bytesRead === 0) break;
        const lf = window.subarray(0, bytesRead).indexOf(0x0a);
        if (lf >= 0) found = pos + lf + 1;
        else pos += bytesRead;
      }
      if (found < 0 || found >= size) break;
      if (found > last) {
        out.push(found);
        last = found;
      }
    }
  } finally {
    await fh.close();
  }
  return out;
}

/**
 * The column names of a CSV/TSV file and the byte offset of its first data row (the file size
 * when it has none). Undefined for an empty file.
 */
export async function readCsvHeader(
  source: DataSource,
  delimiter: number,
): Promise<{ columns: string[]; headerEnd: number } | undefined> {
  let columns: string[] | undefined;
  let headerEnd = -1;
  const parser = new CsvParser({
    file: source.path,
    delimiter,
    onColumns: (names) => {
      columns = [...names];
    },
    onRow: (row) => {
      if (headerEnd < 0) headerEnd = row.offset;
    },
    onIssue: () => {
      // A malformed first row: splits then only need to come after byte 0.
      if (headerEnd < 0) headerEnd = 0;
    },
  });
  const fh = await open(source.absolutePath, "r");
  try {
    const buf = Buffer.allocUnsafe(256 * 1024);
    let pos = 0;
    while (headerEnd < 0) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      parser.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
  } finally {
    await fh.close();
  }
  if (!columns) return undefined;
  return { columns, headerEnd: headerEnd < 0 ? source.size : headerEnd };
}
