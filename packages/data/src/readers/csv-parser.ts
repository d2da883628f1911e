import { FIELD_ESCAPED, FIELD_QUOTED, fieldText, type RowIssue, type TextRow } from "./row";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface CsvParserOptions {
  file: string;
  /** Field delimiter byte: 0x2c (`,`) by default, 0x09 for TSV. */
  delimiter?: number;
  /** The first row names the columns (default). With `columns` given, no header is read. */
  header?: boolean;
  /** Known column names: for a byte range that starts after the header. */
  columns?: readonly string[];
  /** A row longer than this (an unterminated quote, usually) is reported and skipped. 16 MiB. */
  maxRowBytes?: number;
  /** Line number of the first byte (1). */
  startLine?: number;
  /** Byte offset of the first byte in the file (0). */
  startOffset?: number;
  /** Rows that start at or after this byte offset are left to the next range. */
  stopAt?: number;
  onColumns(names: readonly string[]): void;
  onRow(row: TextRow): void;
  onIssue(issue: RowIssue): void;
}

/**
 * A streaming RFC 4180 parser working on bytes: quoted fields with delimiters, newlines and
 * doubled quotes inside, CRLF or LF line ends, a UTF-8 byte order mark, a header row. Fields
 * are not decoded: a row is a set of byte ranges over the current buffer (see `TextRow`).
 * A row with the wrong number of fields, or an unterminated quote, is reported with its file
 * and line and parsing goes on at the next line. Memory is bounded by the chunk size plus the
 * longest row (`maxRowBytes`). Lone CR line ends (classic Mac) are not recognised.
 */
export class CsvParser {
  private readonly o: CsvParserOptions;
  private readonly delim: number;
  private readonly maxRowBytes: number;
  private readonly stopAt: number;
  private expected = -1;
  private carry: Buffer | null = null;
  private base: number;
  /** Byte offset of the current buffer's first byte. */
  private bufBase = 0;
  private line: number;
  private done = false;
  /** Skipping the rest of an over-long line: drop bytes up to the next LF. */
  private skipping = false;
  private final = false;
  private readonly row: TextRow;
  /** Rows handed to `onRow` and rows reported as issues. */
  rows = 0;
  malformed = 0;

  constructor(options: CsvParserOptions) {
    this.o = options;
    this.delim = options.delimiter ?? 0x2c;
    this.maxRowBytes = options.maxRowBytes ?? 16 * 1024 * 1024;
    this.stopAt = options.stopAt ?? Number.POSITIVE_INFINITY;
    this.base = options.startOffset ?? 0;
    this.line = options.startLine ?? 1;
    if (options.columns) this.expected = options.columns.length;
    else if (options.header === false) this.expected = -2; // fixed by the first row
    this.row = {
      kind: "text",
      file: options.file,
      line: 0,
      offset: 0,
      buf: Buffer.alloc(0),
      count: 0,
      starts: new Int32Array(64),
      ends: new Int32Array(64),
      flags: new Uint8Array(64),
    };
  }

  /** True once a row at or past `stopAt` was reached: the caller may stop reading. */
  get finished(): boolean {
    return this.done;
  }

  /** Byte offset where parsing stopped: the end of the last row parsed. */
  get offset(): number {
    return this.base;
  }

  /** The line the next row starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Parses a chunk; an incomplete last row is kept (copied) until the next chunk. */
  push(chunk: Buffer): void {
    if (this.done) return;
    let buf = chunk;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const pos = this.feed(buf);
    if (!this.done && pos < buf.length) this.carry = Buffer.from(buf.subarray(pos));
  }

  /**
   * Parses the complete rows of `buf` and returns how many bytes it used. The caller keeps the
   * rest and passes it again, followed by more data, at the start of the next buffer (so a
   * reader can reuse one buffer and copy only the partial row).
   */
  feed(buf: Buffer): number {
    if (this.done) return buf.length;
    this.bufBase = this.base;
    let pos = 0;
    if (this.skipping) {
      const lf = buf.indexOf(LF);
      if (lf < 0) {
        this.base += buf.length;
        return buf.length;
      }
      this.skipping = false;
      this.line++;
      pos = lf + 1;
    }
    pos = this.parse(buf, pos);
    while (!this.done && buf.length - pos > this.maxRowBytes) {
      this.report("row-too-long", `row longer than ${this.maxRowBytes} bytes (an unterminated quote?)`);
      pos = this.resync(buf, pos);
      pos = this.parse(buf, pos);
    }
    this.base = this.bufBase + pos;
    return pos;
  }

  /** Parses what is left (the carry, or `rest` in feed mode) as the end of the data. */
  end(rest?: Buffer): void {
    const buf = rest ?? this.carry;
    this.carry = null;
    if (this.done || !buf || buf.length === 0) {
      this.done = true;
      return;
    }
    this.final = true;
    this.bufBase = this.base;
    let pos = 0;
    if (this.skipping) {
      this.skipping = false;
      const lf = buf.indexOf(LF);
      this.line++;
      pos = lf < 0 ? buf.length : lf + 1;
    }
    this.base = this.bufBase + this.parse(buf, pos);
    this.done = true;
  }

  /** Parses complete rows from `pos`; returns where the first incomplete row starts. */
  private parse(buf: Buffer, pos: number): number {
    if (this.bufBase === 0 && pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    const n = buf.length;
    while (pos < n) {
      if (this.bufBase + pos >= this.stopAt) {
        this.done = true;
        break;
      }
      const next = this.parseRow(buf, pos);
      if (next < 0) break;
      pos = next;
    }
    return pos;
  }

  /**
   * Parses one row starting at `pos`: returns the position after it, or -1 when the buffer
   * ends inside it and more data may come.
   */
  private parseRow(buf: Buffer, pos: number): number {
    const n = buf.length;
    const delim = this.delim;
    const final = this.final;
    // Blank lines are skipped (pandas and DuckDB do the same).
    if (buf[pos] === LF) {
      this.line++;
      return pos + 1;
    }
    if (buf[pos] === CR) {
      if (pos + 1 >= n && !final) return -1;
      if (pos + 1 >= n || buf[pos + 1] === LF) {
        this.line++;
        return Math.min(pos + 2, n);
      }
    }
    const row = this.row;
    let starts = row.starts;
    let ends = row.ends;
    let flags = row.flags;
    let count = 0;
    let lines = 0;
    let i = pos;
    for (;;) {
      if (count === starts.length) {
        this.growFields();
        starts = row.starts;
        ends = row.ends;
        flags = row.flags;
      }
      if (i < n && buf[i] === QUOTE) {
        let f = FIELD_QUOTED;
        let j = i + 1;
        let close = -1;
        while (close < 0) {
          while (j < n && buf[j] !== QUOTE) {
            if (buf[j] === LF) lines++;
            j++;
          }
          if (j >= n) {
            if (!final) return -1;
            this.report("unterminated-quote", "a quoted field is not closed before the end of the file");
            return this.resync(buf, pos);
          }
          if (j + 1 < n && buf[j + 1] === QUOTE) {
            f |= FIELD_ESCAPED;
            j += 2;
          } else if (j + 1 >= n && !final) return -1;
          else close = j;
        }
        let k = close + 1;
        if (
          k < n &&
          buf[k] !== delim &&
          buf[k] !== LF &&
          !(buf[k] === CR && (k + 1 >= n || buf[k + 1] === LF))
        ) {
          // Text after the closing quote: kept, leniently, as Python's csv module does.
          f |= FIELD_ESCAPED;
          while (k < n && buf[k] !== delim && buf[k] !== LF) k++;
          if (k >= n && !final) return -1;
          let fe = k;
          if (buf[fe - 1] === CR && (k >= n || buf[k] === LF)) fe--;
          starts[count] = i;
          ends[count] = fe;
        } else if (f & FIELD_ESCAPED) {
          starts[count] = i;
          ends[count] = close + 1;
        } else {
          starts[count] = i + 1;
          ends[count] = close;
        }
        flags[count++] = f;
        if (k < n && buf[k] === CR) k++;
        if (k >= n) {
          if (!final) return -1;
          this.emit(buf, pos, count, lines);
          return n;
        }
        if (buf[k] === delim) {
          i = k + 1;
          continue;
        }
        this.emit(buf, pos, count, lines);
        return k + 1;
      }
      let j = i;
      while (j < n) {
        const c = buf[j];
        if (c === delim || c === LF) break;
        j++;
      }
      if (j >= n && !final) return -1;
      let fe = j;
      if (fe > i && buf[fe - 1] === CR && (j >= n || buf[j] === LF)) fe--;
      starts[count] = i;
      ends[count] = fe;
      flags[count++] = 0;
      if (j < n && buf[j] === delim) {
        i = j + 1;
        continue;
      }
      this.emit(buf, pos, count, lines);
      return j >= n ? n : j + 1;
    }
  }

  private emit(buf: Buffer, pos: number, count: number, lines: number): void {
    const row = this.row;
    row.buf = buf;
    row.count = count;
    row.line = this.line;
    row.offset = this.bufBase + pos;
    this.line += 1 + lines;
    if (this.expected < 0) {
      const names: string[] = [];
      for (let i = 0; i < count; i++)
        names.push(this.expected === -2 ? `column_${i + 1}` : fieldText(row, i));
      const isHeader = this.expected === -1;
      this.expected = count;
      this.o.onColumns(names);
      if (isHeader) return;
    }
    if (count !== this.expected) {
      this.malformed++;
      this.o.onIssue({
        file: this.o.file,
        line: row.line,
        kind: "field-count",
        message: `expected ${this.expected} fields, found ${count}`,
      });
      return;
    }
    this.rows++;
    this.o.onRow(row);
  }

  private report(kind: RowIssue["kind"], message: string): void {
    this.malformed++;
    this.o.onIssue({ file: this.o.file, line: this.line, kind, message });
  }

  /**
   * Skips the row starting at `pos` to the end of its first line; returns the next position.
   * When that line goes on past the buffer, the rest of it is dropped as it arrives.
   */
  private resync(buf: Buffer, pos: number): number {
    const lf = buf.indexOf(LF, pos);
    if (lf < 0) {
      if (!this.final) this.skipping = true;
      else this.line++;
      return buf.length;
    }
    this.line++;
    return lf + 1;
  }

  private growFields(): void {
    const row = this.row;
    const size = row.starts.length * 2;
    const s = new Int32Array(size);
    const e = new Int32Array(size);
    const f = new Uint8Array(size);
    s.set(row.starts);
    e.set(row.ends);
    f.set(row.flags);
    row.starts = s;
    row.ends = e;
    row.flags = f;
  }
}
