/**
 * Tables whose rendered length is known from per-row lengths, so the size budget can be checked
 * without rendering the report again for every candidate (5,000 rows stay linear).
 */
import { markdownTable } from "markdown-table";

/** How a budget counts text: UTF-16 code units (GitHub's comment limit) or UTF-8 bytes (the job summary). */
export type Measure = (text: string) => number;

export const utf16Length: Measure = (text) => text.length;

export const utf8Length: Measure = (text) => {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    // Each half of a surrogate pair counts 2: a pair is one 4-byte character.
    else if (code >= 0xd800 && code <= 0xdfff) bytes += 2;
    else bytes += 3;
  }
  return bytes;
};

// Staggered delimiters: no padding to the widest cell, so each row's length depends on that row
// alone (and the comment is smaller).
const TABLE_OPTIONS = { alignDelimiters: false } as const;

export type Alignment = "l" | "r" | "c";

export interface TableSpec {
  header: string[];
  align: Alignment[];
  /** Length of the header and delimiter rows, each with its newline. */
  headerLength: number;
}

/** Rows of one kind (e.g. the improved metrics) with the lengths of their first k rows. */
export interface RowGroup {
  rows: string[][];
  /** prefix[k] = length of the first k rows, newlines included. */
  prefix: number[];
}

export function tableSpec(header: string[], align: Alignment[], measure: Measure): TableSpec {
  return { header, align, headerLength: measure(markdownTable([header], { ...TABLE_OPTIONS, align })) + 1 };
}

/** The length markdown-table gives a row without aligned delimiters: `| a | b |` (an empty cell is `| |`). */
export function rowLength(cells: string[], measure: Measure): number {
  let length = 1 + 1; // leading pipe, trailing newline
  for (const cell of cells) length += measure(cell) + (cell === "" ? 1 : 2) + 1;
  return length;
}

export function rowGroup(rows: string[][], measure: Measure): RowGroup {
  const prefix = [0];
  let sum = 0;
  for (const row of rows) {
    sum += rowLength(row, measure);
    prefix.push(sum);
  }
  return { rows, prefix };
}

export type GroupSlice = readonly [RowGroup, number];

function keptRows(slices: readonly GroupSlice[]): number {
  return slices.reduce((n, [group, count]) => n + Math.min(count, group.rows.length), 0);
}

/** Length of the table holding the first `count` rows of each group; 0 when it has no rows. */
export function tableLength(spec: TableSpec, slices: readonly GroupSlice[]): number {
  if (keptRows(slices) === 0) return 0;
  let length = spec.headerLength;
  for (const [group, count] of slices) length += group.prefix[Math.min(count, group.rows.length)] ?? 0;
  return length;
}

/** The table (ending with a newline) holding the first `count` rows of each group; "" when empty. */
export function renderTable(spec: TableSpec, slices: readonly GroupSlice[]): string {
  if (keptRows(slices) === 0) return "";
  const rows: string[][] = [spec.header];
  for (const [group, count] of slices) {
    for (let i = 0; i < Math.min(count, group.rows.length); i++) rows.push(group.rows[i]!);
  }
  return `${markdownTable(rows, { ...TABLE_OPTIONS, align: spec.align })}\n`;
}

/** Plain lines (a list) measured the same way: prefix[k] = length of the first k lines with newlines. */
export function lineGroup(lines: string[], measure: Measure): { lines: string[]; prefix: number[] } {
  const prefix = [0];
  let sum = 0;
  for (const line of lines) {
    sum += measure(line) + 1;
    prefix.push(sum);
  }
  return { lines, prefix };
}
