/**
 * Rows as readers hand them over. Both kinds are reused by the reader between callbacks (no
 * allocation per row): read what you need inside the callback and copy what you keep.
 */

/** The field was enclosed in quotes. */
export const FIELD_QUOTED = 1;
/** The field holds doubled quotes (or text after its closing quote): decode with `fieldText`. */
export const FIELD_ESCAPED = 2;

/** A delimited-text row: fields are byte ranges of `buf`, decoded only when asked. */
export interface TextRow {
  readonly kind: "text";
  file: string;
  /** 1-based line where the row starts. */
  line: number;
  /** Byte offset of the row start in the (decompressed) file. */
  offset: number;
  buf: Buffer;
  count: number;
  /** Content range of field i: [starts[i], ends[i]); the raw range with the quotes when escaped. */
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
}

/** A row of already typed values (JSON Lines, Parquet). */
export interface ValueRow {
  readonly kind: "values";
  file: string;
  /** 1-based line (JSON Lines) or row number (Parquet). */
  line: number;
  values: unknown[];
}

export type Row = TextRow | ValueRow;

export type RowIssueKind =
  | "field-count"
  | "unterminated-quote"
  | "row-too-long"
  | "invalid-json"
  | "not-an-object"
  | "unreadable";

/** A row that could not be read. It is reported, never dropped silently. */
export interface RowIssue {
  file: string;
  line: number;
  kind: RowIssueKind;
  message: string;
}

/** Where rows go. Readers call `columns` once per file before its rows. */
export interface RowSink {
  columns(file: string, names: readonly string[]): void;
  row(row: Row): void;
  issue(issue: RowIssue): void;
}

/** The text of field `i` (quotes removed, doubled quotes undone). */
export function fieldText(row: TextRow, i: number): string {
  const s = row.starts[i]!;
  const e = row.ends[i]!;
  if ((row.flags[i]! & FIELD_ESCAPED) === 0) return row.buf.toString("utf8", s, e);
  return unquote(row.buf, s, e);
}

/** Decodes a quoted field leniently, as Python's csv module does: `"a""b"c` is `a"bc`. */
export function unquote(buf: Buffer, s: number, e: number): string {
  const out = Buffer.allocUnsafe(e - s);
  let o = 0;
  let inQuote = false;
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (c === 0x22) {
      if (inQuote && i + 1 < e && buf[i + 1] === 0x22) {
        out[o++] = 0x22;
        i++;
      } else inQuote = !inQuote;
    } else out[o++] = c;
  }
  return out.toString("utf8", 0, o);
}

/** Copies a text row's fields out as strings (for tests and small uses). */
export function rowTexts(row: Row): unknown[] {
  if (row.kind === "values") return [...row.values];
  const out: string[] = [];
  for (let i = 0; i < row.count; i++) out.push(fieldText(row, i));
  return out;
}
