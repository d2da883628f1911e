import { escapeHtml } from "./inline";

/**
 * Mermaid `xychart-beta` charts (as mlci's reports write them) drawn as inline SVG, so a preview
 * shows real charts offline, without mermaid's script: x labels or a numeric x range, a y range,
 * and line and bar series.
 */

export interface XyChart {
  title?: string;
  xTitle?: string;
  /** Category labels, or a numeric range. */
  x: { labels: string[] } | { min: number; max: number };
  yTitle?: string;
  y?: { min: number; max: number };
  series: Array<{ kind: "line" | "bar"; values: number[] }>;
}

const QUOTED = /^"([^"]*)"\s*/;
const RANGE = /^([+-]?\d+(?:\.\d+)?)\s*-->\s*([+-]?\d+(?:\.\d+)?)$/;

function numbers(list: string): number[] | undefined {
  const values = list.split(",").map((v) => Number(v.trim()));
  return values.every((v) => Number.isFinite(v)) ? values : undefined;
}

/** Parses the chart; undefined when the text is not an xychart this renderer can draw. */
export function parseXyChart(text: string): XyChart | undefined {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("%%"));
  if (!/^xychart-beta\b/.test(lines[0] ?? "") || /horizontal/.test(lines[0] ?? "")) return undefined;
  const chart: XyChart = { x: { labels: [] }, series: [] };
  for (const line of lines.slice(1)) {
    const [, keyword = "", restRaw = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    let rest = restRaw.trim();
    const title = QUOTED.exec(rest);
    if (keyword === "title") {
      chart.title = title ? title[1] : rest;
    } else if (keyword === "x-axis" || keyword === "y-axis") {
      let axisTitle: string | undefined;
      if (title) {
        axisTitle = title[1];
        rest = rest.slice(title[0].length).trim();
      } else if (rest !== "" && !rest.startsWith("[") && !RANGE.test(rest)) {
        const space = rest.search(/\s/);
        axisTitle = space < 0 ? rest : rest.slice(0, space);
        rest = space < 0 ? "" : rest.slice(space).trim();
      }
      const range = RANGE.exec(rest);
      if (keyword === "x-axis") {
        if (axisTitle !== undefined) chart.xTitle = axisTitle;
        const labels = /^\[(.*)\]$/.exec(rest);
        if (labels)
          chart.x = {
            labels: (labels[1] as string).split(",").map((s) => s.trim().replace(/^"(.*)"$/, "$1")),
          };
        else if (range) chart.x = { min: Number(range[1]), max: Number(range[2]) };
      } else {
        if (axisTitle !== undefined) chart.yTitle = axisTitle;
        if (range) chart.y = { min: Number(range[1]), max: Number(range[2]) };
      }
    } else if (keyword === "line" || keyword === "bar") {
      const list = /\[(.*)\]\s*$/.exec(rest);
      const values = list ? numbers(list[1] as string) : undefined;
      if (!values) return undefined;
      chart.series.push({ kind: keyword, values });
    }
  }
  return chart.series.length > 0 ? chart : undefined;
}

const W = 720;
const H = 380;
const M = { top: 40, right: 20, bottom: 60, left: 70 };
const COLORS = ["#8250df", "#1f883d", "#cf222e", "#0969da", "#bf8700", "#57606a"];

function fmt(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** The chart as an `<svg>` element (lines as `<polyline>`, bars as `<rect>`). */
export function renderXyChartSvg(chart: XyChart, id = "chart"): string {
  const n = Math.max(...chart.series.map((s) => s.values.length));
  const all = chart.series.flatMap((s) => s.values);
  let lo = chart.y?.min ?? Math.min(...all, chart.series.some((s) => s.kind === "bar") ? 0 : Infinity);
  let hi = chart.y?.max ?? Math.max(...all);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const slot = pw / Math.max(n, 1);
  const xAt = (i: number) => M.left + slot * (i + 0.5);
  const yAt = (v: number) => M.top + ph - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * ph;
  const parts: string[] = [];
  const title = chart.title ?? "Chart";
  parts.push(`<title id="${id}-title">${escapeHtml(title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${W / 2}" y="24" text-anchor="middle" class="chart-title">${escapeHtml(title)}</text>`,
  );
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    const y = yAt(v).toFixed(1);
    parts.push(`<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" class="grid"/>`);
    parts.push(
      `<text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" class="tick">${fmt(v)}</text>`,
    );
  }
  const labels = "labels" in chart.x ? chart.x.labels : undefined;
  const range = "min" in chart.x ? chart.x : undefined;
  const every = Math.max(1, Math.ceil(n / 10));
  for (let i = 0; i < n; i += every) {
    const label =
      labels?.[i] ??
      (range ? fmt(range.min + ((range.max - range.min) * i) / Math.max(n - 1, 1)) : String(i + 1));
    parts.push(
      `<text x="${xAt(i).toFixed(1)}" y="${H - M.bottom + 18}" text-anchor="middle" class="tick">${escapeHtml(label)}</text>`,
    );
  }
  parts.push(`<line x1="${M.left}" y1="${M.top + ph}" x2="${W - M.right}" y2="${M.top + ph}" class="axis"/>`);
  parts.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" class="axis"/>`);
  if (chart.xTitle)
    parts.push(
      `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle" class="axis-title">${escapeHtml(chart.xTitle)}</text>`,
    );
  if (chart.yTitle) {
    parts.push(
      `<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" class="axis-title">${escapeHtml(chart.yTitle)}</text>`,
    );
  }
  const bars = chart.series.filter((s) => s.kind === "bar");
  chart.series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length] as string;
    if (s.kind === "line") {
      const points = s.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(" ");
      parts.push(
        `<polyline class="series line-${k + 1}" fill="none" stroke="${color}" stroke-width="2" points="${points}"><title>line ${k + 1}</title></polyline>`,
      );
    } else {
      const b = bars.indexOf(s);
      const bw = (slot * 0.8) / bars.length;
      s.values.forEach((v, i) => {
        const x = xAt(i) - slot * 0.4 + b * bw;
        const y = yAt(Math.max(v, lo));
        const base = yAt(Math.max(lo, Math.min(0, hi)));
        parts.push(
          `<rect class="series bar-${k + 1}" x="${x.toFixed(1)}" y="${Math.min(y, base).toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.abs(base - y).toFixed(1)}" fill="${color}"/>`,
        );
      });
    }
  });
  const legend = chart.series
    .map((s, k) => `<tspan fill="${COLORS[k % COLORS.length]}">■ ${s.kind} ${k + 1}</tspan>`)
    .join("  ");
  parts.push(`<text x="${W - M.right}" y="${M.top - 8}" text-anchor="end" class="legend">${legend}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="xychart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title">${parts.join("")}</svg>`;
}
