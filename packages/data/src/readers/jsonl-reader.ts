import { fileChunks } from "./chunks";
import type { ReadOptions, ReadStats } from "./read-options";
import type { RowSink, ValueRow } from "./row";
import type { DataSource } from "./sources";

/**
 * Reads JSON Lines: one object per line; blank lines are skipped. Columns are the keys in the
 * order first seen; a key that appears later adds a column (the sink is told again), and a key
 * missing from a row is a null. A line that is not JSON, or not an object, is reported.
 */
export async function readJsonLines(
  source: DataSource,
  sink: RowSink,
  options: ReadOptions = {},
): Promise<ReadStats> {
  const maxRowBytes = options.maxRowBytes ?? 16 * 1024 * 1024;
  const names: string[] = [];
  const index = new Map<string, number>();
  const row: ValueRow = { kind: "values", file: source.path, line: 0, values: [] };
  let line = 1;
  let rows = 0;
  let malformed = 0;
  let bytes = 0;
  let carry: Buffer | null = null;
  sink.columns(source.path, names);

  const handle = (buf: Buffer, s: number, e: number): void => {
    let a = s;
    let b = e;
    while (a < b && isSpace(buf[a]!)) a++;
    while (b > a && isSpace(buf[b - 1]!)) b--;
    if (a === b) return;
    let value: unknown;
    try {
      value = JSON.parse(buf.toString("utf8", a, b));
    } catch (err) {
      malformed++;
      sink.issue({ file: source.path, line, kind: "invalid-json", message: (err as Error).message });
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      malformed++;
      sink.issue({ file: source.path, line, kind: "not-an-object", message: "expected a JSON object" });
      return;
    }
    const obj = value as Record<string, unknown>;
    let grew = false;
    for (const key in obj) {
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key);
        grew = true;
      }
    }
    if (grew) sink.columns(source.path, names);
    const values = row.values;
    values.length = names.length;
    values.fill(null);
    for (const key in obj) values[index.get(key)!] = obj[key];
    row.line = line;
    rows++;
    sink.row(row);
  };

  let skipping = false;
  let first = true;
  for await (const chunk of fileChunks(source, pickChunk(options))) {
    bytes += chunk.length;
    let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    let pos = 0;
    if (skipping) {
      const lf = buf.indexOf(0x0a);
      if (lf < 0) continue;
      skipping = false;
      line++;
      pos = lf + 1;
    }
    for (;;) {
      const lf = buf.indexOf(0x0a, pos);
      if (lf < 0) break;
      handle(buf, pos, lf);
      line++;
      pos = lf + 1;
    }
    if (buf.length - pos > maxRowBytes) {
      malformed++;
      sink.issue({
        file: source.path,
        line,
        kind: "row-too-long",
        message: `line longer than ${maxRowBytes} bytes`,
      });
      skipping = true;
      continue;
    }
    if (pos < buf.length) carry = Buffer.from(buf.subarray(pos));
  }
  if (carry) {
    handle(carry, 0, carry.length);
    line++;
  }
  return { file: source.path, rows, malformed, bytes, lines: line - 1, endOffset: bytes };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function pickChunk(o: ReadOptions): { chunkBytes?: number; onProgress?: (n: number) => void } {
  return {
    ...(o.chunkBytes === undefined ? {} : { chunkBytes: o.chunkBytes }),
    ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
  };
}
