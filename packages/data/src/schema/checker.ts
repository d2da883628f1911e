import { nullMatcher } from "../profile/null-values";
import { CellType, cellValue, classifyBytes, classifyValue, valueText } from "../readers/cell";
import { FIELD_ESCAPED, type Row, type RowIssue, type RowSink, unquote } from "../readers/row";
import { hashBytes, hashNumber, hashString } from "../sketch/hash";
import {
  type CheckState,
  type ColumnCheckState,
  type Example,
  emptyColumnState,
  issueExample,
  MAX_EXAMPLES,
  type ValueRule,
} from "./check-state";
import type { ColumnRules, DataSchema } from "./schema-file";
import { UniqueTracker } from "./unique";

const H = new Uint32Array(2);

/**
 * The cell being checked, reused for every cell (no allocation per cell): bytes of a text row,
 * or a typed value. Text is decoded only when a rule or an example needs it.
 */
class Cell {
  buf: Buffer | null = null;
  s = 0;
  e = 0;
  escaped = false;
  value: unknown = null;
  type: CellType = CellType.Null;
  num = 0;

  text(): string {
    if (this.buf)
      return this.escaped ? unquote(this.buf, this.s, this.e) : this.buf.toString("utf8", this.s, this.e);
    return displayValue(this.value);
  }

  /** The value's fingerprint: numbers and timestamps by value, the rest by text. */
  hash(): void {
    const t = this.type;
    if (t === CellType.Integer || t === CellType.Number || t === CellType.Timestamp) hashNumber(this.num, H);
    else if (this.buf && !this.escaped && t !== CellType.Boolean) hashBytes(this.buf, this.s, this.e, H);
    else hashString(t === CellType.Boolean ? (this.num === 1 ? "true" : "false") : this.text(), H);
  }
}

/** Checks one column's cells against its rules. */
class ColumnChecker {
  readonly state: ColumnCheckState = emptyColumnState();
  private readonly regex: RegExp | undefined;
  private readonly allowedText: Set<string> | undefined;
  private readonly allowedNumbers: Set<number> | undefined;
  private readonly needsText: boolean;
  readonly unique: UniqueTracker | undefined;

  constructor(
    readonly rules: ColumnRules,
    tempDir: string | undefined,
  ) {
    if (rules.regex !== undefined) this.regex = new RegExp(rules.regex, "u");
    if (rules.allowed) {
      this.allowedText = new Set(rules.allowed.map(String));
      this.allowedNumbers = new Set(rules.allowed.filter((v): v is number => typeof v === "number"));
    }
    this.needsText = this.regex !== undefined || this.allowedText !== undefined;
    if (rules.unique) this.unique = new UniqueTracker(tempDir === undefined ? {} : { tempDir });
  }

  null(file: string, line: number): void {
    this.state.cells++;
    this.state.nulls++;
    if (!this.rules.nullable && this.state.nullExamples.length < MAX_EXAMPLES)
      this.state.nullExamples.push({ file, line });
  }

  /** A non-null cell. */
  value(c: Cell, file: string, line: number): void {
    const s = this.state;
    s.cells++;
    const r = this.rules;
    const t = c.type;
    const num = c.num;
    if (!typeOk(r.type, t, num)) {
      this.fail("type", file, line, c, `not ${article(r.type!)}`);
      return;
    }
    const ordered = t === CellType.Integer || t === CellType.Number || t === CellType.Timestamp;
    if (ordered && r.min !== undefined && num < r.min) this.fail("min", file, line, c);
    if (ordered && r.max !== undefined && num > r.max) this.fail("max", file, line, c);
    if (this.needsText) {
      const numeric = t === CellType.Integer || t === CellType.Number;
      const allowedByNumber = numeric && this.allowedNumbers?.has(num) === true;
      const v = allowedByNumber && !this.regex ? "" : c.text();
      if (this.allowedText && !allowedByNumber) {
        const canonical = t === CellType.Boolean ? (num === 1 ? "true" : "false") : v;
        if (!this.allowedText.has(canonical)) this.fail("allowed", file, line, c);
      }
      if (this.regex && !this.regex.test(v)) this.fail("regex", file, line, c);
    }
    if (this.unique) {
      c.hash();
      this.unique.add(H, file, line);
      if (this.unique.full) this.unique.spill();
    }
  }

  private fail(rule: ValueRule, file: string, line: number, c: Cell, message?: string): void {
    this.state.failing[rule]++;
    const ex = this.state.examples[rule];
    if (ex.length >= MAX_EXAMPLES) return;
    const v = c.text();
    const e: Example = { file, line, value: v.length > 80 ? `${v.slice(0, 77)}...` : v };
    if (message) e.message = message;
    ex.push(e);
  }
}

function displayValue(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return valueText(v);
}

function typeOk(type: ColumnRules["type"], t: CellType, num: number): boolean {
  switch (type) {
    case undefined:
    case "string":
    case "category":
      return true;
    case "integer":
      return t === CellType.Integer || (t === CellType.Number && Number.isInteger(num));
    case "number":
      return t === CellType.Integer || t === CellType.Number;
    case "boolean":
      return t === CellType.Boolean;
    case "timestamp":
      return t === CellType.Timestamp;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * Checks rows against a data schema as they stream by: a `RowSink`. Only columns the schema
 * names cost anything. `toState()` gives a mergeable state; `finishCheck` turns the merged
 * state into a result.
 */
export class SchemaChecker implements RowSink {
  private readonly checkers = new Map<string, ColumnChecker>();
  private current: Array<ColumnChecker | undefined> = [];
  private readonly isNull: ReturnType<typeof nullMatcher>;
  private rows = 0;
  private malformed = 0;
  private readonly malformedExamples: Example[] = [];
  private readonly fileColumns = new Map<string, string[]>();
  private readonly cell = new Cell();

  constructor(schema: DataSchema, options: { nullValues?: readonly string[]; tempDir?: string } = {}) {
    this.isNull = nullMatcher(options.nullValues);
    for (const c of schema.columns) this.checkers.set(c.name, new ColumnChecker(c, options.tempDir));
  }

  columns(file: string, names: readonly string[]): void {
    this.current = names.map((n) => this.checkers.get(n));
    const seen = this.fileColumns.get(file) ?? [];
    for (const n of names) if (!seen.includes(n)) seen.push(n);
    this.fileColumns.set(file, seen);
  }

  row(row: Row): void {
    this.rows++;
    const cols = this.current;
    const { file, line } = row;
    const cell = this.cell;
    if (row.kind === "text") {
      const { buf, starts, ends, flags } = row;
      cell.buf = buf;
      for (let i = 0; i < cols.length && i < row.count; i++) {
        const c = cols[i];
        if (!c) continue;
        const s = starts[i]!;
        const e = ends[i]!;
        const f = flags[i]!;
        cell.s = s;
        cell.e = e;
        cell.escaped = (f & FIELD_ESCAPED) !== 0;
        if (cell.escaped) {
          cell.type = classifyValue(unquote(buf, s, e)); // a string: timestamp or string
        } else if (f === 0 && this.isNull(buf, s, e)) {
          c.null(file, line);
          continue;
        } else cell.type = classifyBytes(buf, s, e);
        cell.num = cellValue.num;
        c.value(cell, file, line);
      }
      return;
    }
    cell.buf = null;
    cell.escaped = false;
    const values = row.values;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      if (!c) continue;
      const v = values[i];
      const t = classifyValue(v);
      if (t === CellType.Null) {
        c.null(file, line);
        continue;
      }
      cell.value = v;
      cell.type = t;
      cell.num = cellValue.num;
      c.value(cell, file, line);
    }
  }

  issue(issue: RowIssue): void {
    this.malformed++;
    if (this.malformedExamples.length < MAX_EXAMPLES) this.malformedExamples.push(issueExample(issue));
  }

  /** The mergeable state; with `spill`, unique fingerprints go to disk so they can cross threads. */
  toState(spill = false): CheckState {
    const columns: Record<string, ColumnCheckState> = {};
    const spillDirs: string[] = [];
    for (const [name, c] of this.checkers) {
      const runs = c.unique ? (spill ? c.unique.runsOnDisk() : c.unique.runs()) : [];
      if (c.unique?.directory) spillDirs.push(c.unique.directory);
      columns[name] = { ...c.state, uniqueRuns: runs };
    }
    return {
      rows: this.rows,
      malformed: this.malformed,
      malformedExamples: [...this.malformedExamples],
      fileColumns: [...this.fileColumns].map(([file, cols]) => ({ file, columns: cols })),
      columns,
      spillDirs,
    };
  }
}
