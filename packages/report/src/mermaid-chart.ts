/**
 * Plots as mermaid `xychart-beta` line charts: one chart per y field, line 1 the base series and
 * line 2 the head series. Mermaid's xychart grammar takes plain decimals only (`[+-]?\d+(\.\d+)?`)
 * and has no legend, so numbers go through `plainNumber` and a caption says which line is which.
 */
import type { PlotDiff } from "@mlci/metrics";
import { codeSpan, escapeText } from "./escape";
import { formatCount, plainNumber } from "./format-number";

/** More points than this are thinned by even sampling (first and last always kept). */
export const MAX_CHART_POINTS = 50;

const MAX_LABEL_LENGTH = 60;
const MAX_CATEGORY_LENGTH = 20;

type Row = Record<string, number | string>;

/**
 * Text that is safe inside a quoted mermaid string: letters, digits, marks, spaces and a few
 * punctuation marks. Quotes, backticks (fences and markdown strings), `%` (comments and `%%{init}`
 * directives), `#` and `&` (entities), `;` (statement end), `<`/`>` (`-->`, HTML) and newlines go.
 */
export function mermaidLabel(text: string, maxLength = MAX_LABEL_LENGTH): string {
  const kept = text
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}\p{M} ._+\-/()=:,]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const points = Array.from(kept);
  return points.length > maxLength
    ? `${points
        .slice(0, maxLength - 1)
        .join("")
        .trimEnd()}…`
    : kept;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** The x value of a row: a number when it reads as one, the row index when the field is absent. */
function xOf(row: Row, field: string, index: number): number | string {
  const raw = row[field];
  if (raw === undefined) return index;
  return toNumber(raw) ?? String(raw);
}

const keyOf = (x: number | string): string => (typeof x === "number" ? `n${x}` : `s${x}`);

/** y fields to draw: the declared ones, else every numeric field of the first row except x. */
function yFields(plot: PlotDiff): string[] {
  if (plot.y.length > 0) return plot.y;
  const first = plot.head?.[0] ?? plot.base?.[0];
  if (!first) return [];
  return Object.keys(first).filter((k) => k !== plot.x && toNumber(first[k]) !== undefined);
}

interface Aligned {
  /** One value per x of the union (empty when the side has no numeric point). */
  values: number[];
  /** Index of the first and last x this side really has. */
  first: number;
  last: number;
  /** Whether holes between real points were interpolated. */
  interpolated: boolean;
}

/**
 * Values at each x of the union. xychart-beta draws every line over the whole x axis and has no
 * "no value" marker, so holes between real points are interpolated and the ends are held flat;
 * the caption says where a side starts or ends.
 */
function align(rows: Row[] | null, x: string, y: string, index: Map<string, number>, n: number): Aligned {
  const values: Array<number | undefined> = new Array(n).fill(undefined);
  (rows ?? []).forEach((row, i) => {
    const value = toNumber(row[y]);
    const at = index.get(keyOf(xOf(row, x, i)));
    if (value !== undefined && at !== undefined) values[at] = value;
  });
  const first = values.findIndex((v) => v !== undefined);
  if (first < 0) return { values: [], first: -1, last: -1, interpolated: false };
  let last = first;
  let interpolated = false;
  for (let i = first + 1; i < n; i++) {
    if (values[i] === undefined) continue;
    if (i > last + 1) interpolated = true;
    const left = values[last]!;
    const right = values[i]!;
    for (let j = last + 1; j < i; j++) values[j] = left + ((right - left) * (j - last)) / (i - last);
    last = i;
  }
  const firstValue = values[first]!;
  const lastValue = values[last]!;
  for (let j = 0; j < first; j++) values[j] = firstValue;
  for (let j = last + 1; j < n; j++) values[j] = lastValue;
  return { values: values as number[], first, last, interpolated };
}

/** Indices to keep: all of them up to `max`, else `max` evenly spread, first and last included. */
export function sampleIndices(length: number, max = MAX_CHART_POINTS): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (length - 1)) / (max - 1)));
}

/** A y-axis range from the data with a little headroom, on round numbers. */
export function axisRange(min: number, max: number): [number, number] {
  if (min === max) {
    const delta = Math.abs(min) * 0.1 || 1;
    return [min - delta, max + delta];
  }
  const pad = (max - min) * 0.05;
  let lo = min - pad;
  let hi = max + pad;
  if (min >= 0 && lo < 0) lo = 0;
  const step = 10 ** (Math.floor(Math.log10(hi - lo)) - 1);
  // toPrecision drops float noise such as 1.9000000000000001.
  lo = Number((Math.floor(lo / step) * step).toPrecision(12));
  hi = Number((Math.ceil(hi / step) * step).toPrecision(12));
  return [lo, hi];
}

export interface SideLabels {
  base: string;
  head: string;
}

/** The union of x values from both sides: sorted when all numeric, else in order of appearance. */
function unionX(plot: PlotDiff): Array<number | string> {
  const seen = new Map<string, number | string>();
  for (const rows of [plot.base, plot.head]) {
    (rows ?? []).forEach((row, i) => {
      const x = xOf(row, plot.x, i);
      if (!seen.has(keyOf(x))) seen.set(keyOf(x), x);
    });
  }
  const xs = [...seen.values()];
  if (xs.every((x) => typeof x === "number")) (xs as number[]).sort((a, b) => a - b);
  return xs;
}

// DVC templates whose data is not a series along x (confusion matrices, scatter clouds, bars by
// category): drawing them as lines would mislead, so the report only names them.
const NOT_A_LINE = /^(confusion|scatter|bar_horizontal)/;

/** One markdown block (mermaid fence and caption) per y field of the plot; empty if nothing to draw. */
export function renderPlotCharts(plot: PlotDiff, sides: SideLabels): string[] {
  if (plot.template !== undefined && NOT_A_LINE.test(plot.template)) {
    const what = codeSpan(plot.path, { context: "prose" });
    const template = codeSpan(plot.template, { context: "prose", maxLength: 40 });
    return [
      `<sub>${what} uses the ${template} template, which has no line-chart form; see \`dvc plots diff\`.</sub>\n`,
    ];
  }
  const xs = unionX(plot);
  if (xs.length === 0) return [];
  const index = new Map(xs.map((x, i) => [keyOf(x), i]));
  const picked = sampleIndices(xs.length);
  const hasXField = [plot.base, plot.head].some((rows) => rows?.some((r) => r[plot.x] !== undefined));
  const xTitle = hasXField ? mermaidLabel(plot.x) || "x" : "index";
  const xLabel = (i: number) => {
    const x = xs[i] ?? i;
    return (typeof x === "number" ? plainNumber(x, 8) : mermaidLabel(x, MAX_CATEGORY_LENGTH)) || String(i);
  };
  const categories = picked.map((i) => `"${xLabel(i)}"`);
  const title = plot.title ?? plot.id;
  const blocks: string[] = [];
  for (const y of yFields(plot)) {
    const base = align(plot.base, plot.x, y, index, xs.length);
    const head = align(plot.head, plot.x, y, index, xs.length);
    const lines = [
      { name: "base", ref: sides.base, series: base },
      { name: "head", ref: sides.head, series: head },
    ].filter((l) => l.series.values.length > 0);
    if (lines.length === 0) continue;
    const sampled = lines.map((l) => picked.map((i) => l.series.values[i] ?? 0));
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const values of sampled) {
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const [lo, hi] = axisRange(min, max);
    const yTitle = mermaidLabel(y) || "y";
    const plotTitle = mermaidLabel(title);
    const chartTitle = plotTitle === yTitle ? plotTitle : mermaidLabel(`${plotTitle}: ${yTitle}`);
    const mermaid = [
      "```mermaid",
      "xychart-beta",
      `    title "${chartTitle}"`,
      `    x-axis "${xTitle}" [${categories.join(", ")}]`,
      `    y-axis "${yTitle}" ${plainNumber(lo)} --> ${plainNumber(hi)}`,
      ...sampled.map((values) => `    line [${values.map((v) => plainNumber(v)).join(", ")}]`),
      "```",
    ].join("\n");
    const key = lines
      .map((l, i) => `line ${i + 1} = ${l.name} ${codeSpan(l.ref, { context: "prose", maxLength: 40 })}`)
      .join(", ");
    const notes: string[] = [];
    const missing = ["base", "head"].filter((side) => !lines.some((l) => l.name === side));
    if (missing.length > 0) notes.push(`no ${missing.join(" or ")} data`);
    if (xs.length > picked.length) {
      notes.push(`${picked.length} of ${formatCount(xs.length)} points shown`);
    }
    for (const l of lines) {
      const { first, last, interpolated } = l.series;
      if (first > 0)
        notes.push(`${l.name} starts at ${escapeText(xTitle)} ${xLabel(first)} (drawn flat before)`);
      if (last < xs.length - 1) {
        notes.push(`${l.name} ends at ${escapeText(xTitle)} ${xLabel(last)} (drawn flat after)`);
      }
      if (interpolated) notes.push(`gaps in ${l.name} are interpolated`);
    }
    const what = `${codeSpan(plot.path, { context: "prose" })}, ${escapeText(y)} by ${escapeText(xTitle)}`;
    const caption = `<sub>${what}: ${key}${notes.length > 0 ? `; ${notes.join("; ")}` : ""}.</sub>`;
    blocks.push(`${mermaid}\n\n${caption}\n`);
  }
  return blocks;
}
