import type { MetricValue } from "./types";

/** A table read from CSV or TSV: the header and the data rows, cells still text. */
export interface Table {
  header: string[];
  rows: string[][];
  /** 1-based line on which each data row starts, for messages. */
  lines: number[];
}

export class TableError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/**
 * Splits delimited text into records following RFC 4180: fields in double quotes may hold the
 * delimiter, line breaks and `""` for a quote; lines end with LF or CRLF; a byte-order mark and
 * blank lines are ignored. TSV uses the same rules with a tab.
 */
export function parseDelimited(text: string, delimiter: "," | "\t"): string[][] & { lines: number[] } {
  const records: string[][] = [];
  const lines: number[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const startLine = line;
    const record: string[] = [];
    let atRecordEnd = false;
    while (!atRecordEnd) {
      let field = "";
      if (src[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= src.length) throw new TableError("a quoted field is not closed", quoteLine);
          const ch = src[i]!;
          if (ch === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          field += ch;
          i++;
        }
        const next = src[i];
        if (next !== undefined && next !== delimiter && next !== "\n" && next !== "\r") {
          throw new TableError(`unexpected ${JSON.stringify(next)} after a closing quote`, line);
        }
      } else {
        while (i < src.length && src[i] !== delimiter && src[i] !== "\n" && src[i] !== "\r") {
          field += src[i];
          i++;
        }
      }
      record.push(field);
      if (src[i] === delimiter) {
        i++;
        continue;
      }
      if (src[i] === "\r") i++;
      if (src[i] === "\n") {
        i++;
        line++;
      }
      atRecordEnd = true;
    }
    const blank = record.length === 1 && record[0] === "";
    if (!blank) {
      records.push(record);
      lines.push(startLine);
    }
  }
  return Object.assign(records, { lines });
}

/** The first record is the header; later records must not have more non-empty cells than it. */
export function parseTable(text: string, delimiter: "," | "\t"): Table {
  const records = parseDelimited(text, delimiter);
  const [header = [], ...rows] = records;
  const lines = records.lines.slice(1);
  // Some writers end every line with the delimiter: a nameless last column is not a column.
  while (header.length > 1 && header[header.length - 1]!.trim() === "") header.pop();
  const names = header.map((h, i) => h.trim() || `column${i + 1}`);
  rows.forEach((row, r) => {
    if (row.length > names.length && row.slice(names.length).some((c) => c.trim() !== "")) {
      throw new TableError(`${row.length} fields, but the header has ${names.length}`, lines[r] ?? 0);
    }
  });
  return { header: names, rows, lines };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  nan: Number.NaN,
  "+nan": Number.NaN,
  "-nan": Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  "+inf": Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  "+infinity": Number.POSITIVE_INFINITY,
  "-inf": Number.NEGATIVE_INFINITY,
  "-infinity": Number.NEGATIVE_INFINITY,
};

/**
 * A table cell as a value: empty -> null, numbers (and NaN/inf as pandas and numpy write them)
 * -> number, true/false in any case -> boolean, anything else -> the trimmed text.
 */
export function cellValue(cell: string | undefined): MetricValue {
  const t = (cell ?? "").trim();
  if (t === "") return null;
  if (NUMBER.test(t)) return Number(t);
  const lower = t.toLowerCase();
  const special = SPECIAL[lower];
  if (special !== undefined) return special;
  if (lower === "true") return true;
  if (lower === "false") return false;
  return t;
}
