import type { RowIssue } from "../readers/row";
import type { SpillRun } from "./unique";

/** A row that broke a rule. */
export interface Example {
  file: string;
  line: number;
  /** The cell's text (cut to 80 characters), when the rule is about a value. */
  value?: string;
  message?: string;
}

export const VALUE_RULES = ["type", "min", "max", "allowed", "regex"] as const;
export type ValueRule = (typeof VALUE_RULES)[number];

export const MAX_EXAMPLES = 20;

/** What one column's checks found in part of a data set: mergeable. */
export interface ColumnCheckState {
  cells: number;
  nulls: number;
  /** Null rows, when the column is not nullable. */
  nullExamples: Example[];
  failing: Record<ValueRule, number>;
  examples: Record<ValueRule, Example[]>;
  /** Sorted fingerprint runs for `unique` columns. */
  uniqueRuns: SpillRun[];
}

/** What the checks found in part of a data set. Parts merge in data-set order. */
export interface CheckState {
  rows: number;
  malformed: number;
  malformedExamples: Example[];
  /** Column names seen per file, in order of appearance. */
  fileColumns: Array<{ file: string; columns: string[] }>;
  columns: Record<string, ColumnCheckState>;
  /** Temporary directories holding unique runs, removed after the final merge. */
  spillDirs: string[];
}

export function emptyColumnState(): ColumnCheckState {
  return {
    cells: 0,
    nulls: 0,
    nullExamples: [],
    failing: { type: 0, min: 0, max: 0, allowed: 0, regex: 0 },
    examples: { type: [], min: [], max: [], allowed: [], regex: [] },
    uniqueRuns: [],
  };
}

export function issueExample(issue: RowIssue): Example {
  return { file: issue.file, line: issue.line, message: issue.message };
}

function firstExamples(a: Example[], b: Example[]): Example[] {
  return a.length >= MAX_EXAMPLES ? a : [...a, ...b].slice(0, MAX_EXAMPLES);
}

/** Merges the states of two consecutive parts (`a` comes first in the data set). */
export function mergeCheckStates(a: CheckState, b: CheckState): CheckState {
  const columns: Record<string, ColumnCheckState> = { ...a.columns };
  for (const [name, cb] of Object.entries(b.columns)) {
    const ca = columns[name];
    if (!ca) {
      columns[name] = cb;
      continue;
    }
    const failing = { ...ca.failing };
    const examples = { ...ca.examples };
    for (const r of Object.keys(failing) as ValueRule[]) {
      failing[r] += cb.failing[r];
      examples[r] = firstExamples(ca.examples[r], cb.examples[r]);
    }
    columns[name] = {
      cells: ca.cells + cb.cells,
      nulls: ca.nulls + cb.nulls,
      nullExamples: firstExamples(ca.nullExamples, cb.nullExamples),
      failing,
      examples,
      uniqueRuns: [...ca.uniqueRuns, ...cb.uniqueRuns],
    };
  }
  const fileColumns = [...a.fileColumns];
  for (const fc of b.fileColumns) {
    const known = fileColumns.find((x) => x.file === fc.file);
    if (known) known.columns = [...new Set([...known.columns, ...fc.columns])];
    else fileColumns.push({ file: fc.file, columns: [...fc.columns] });
  }
  return {
    rows: a.rows + b.rows,
    malformed: a.malformed + b.malformed,
    malformedExamples: firstExamples(a.malformedExamples, b.malformedExamples),
    fileColumns,
    columns,
    spillDirs: [...a.spillDirs, ...b.spillDirs],
  };
}

/** Turns a byte range's relative lines into file lines (`firstLine` is the range's first line). */
export function shiftCheckLines(state: CheckState, firstLine: number): CheckState {
  if (firstLine === 1) return state;
  const d = firstLine - 1;
  const shift = (e: Example): Example => ({ ...e, line: e.line + d });
  const columns: Record<string, ColumnCheckState> = {};
  for (const [name, c] of Object.entries(state.columns)) {
    const examples = { ...c.examples };
    for (const r of Object.keys(examples) as ValueRule[]) examples[r] = examples[r].map(shift);
    columns[name] = {
      ...c,
      nullExamples: c.nullExamples.map(shift),
      examples,
      uniqueRuns: c.uniqueRuns.map((run) => ({ ...run, lineShift: run.lineShift + d })),
    };
  }
  return { ...state, malformedExamples: state.malformedExamples.map(shift), columns };
}
