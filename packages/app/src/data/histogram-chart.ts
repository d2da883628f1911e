import type { ColumnDrift } from "@mlci/data";
import { codeSpan, plainNumber } from "@mlci/report";

/**
 * A drifted numeric column's histogram as a mermaid `xychart-beta` chart: bars for the
 * reference, a line for the current data, both as percent of values per bin. The chart form has
 * no legend, so the caption says which is which. Mermaid's grammar takes plain decimals only and
 * quoted strings without quotes, so labels keep a few safe characters and numbers go through
 * `plainNumber`.
 */

const MAX_TITLE = 40;

/** Text safe inside a quoted mermaid string (no quotes, `%`, `#`, `;`, `<`, `>`, backticks, newlines). */
export function mermaidText(text: string, maxLength = MAX_TITLE): string {
  const kept = text
    .normalize("NFC")
    .replace(/[^\p{L}\p{N} ._+\-/()=:,]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const points = Array.from(kept);
  return points.length > maxLength ? `${points.slice(0, maxLength - 1).join("")}…` : kept;
}

/** The left edge of a bin label `a..b`, as a plain decimal when it reads as a number. */
function binStart(label: string): string {
  const left = label.split("..")[0] ?? label;
  const n = Number(left);
  return Number.isFinite(n) ? plainNumber(n, 4) : mermaidText(left, 12) || "?";
}

export function renderDriftHistogram(c: ColumnDrift): string {
  const { labels, reference, current } = c.bins;
  const pct = (xs: number[]) => xs.map((x) => plainNumber(Math.max(0, x) * 100, 4));
  const top = Math.max(0, ...reference, ...current) * 100;
  const hi = top <= 0 ? 1 : Number((top * 1.1).toPrecision(2));
  const title = mermaidText(c.column) || "column";
  const mermaid = [
    "```mermaid",
    "xychart-beta",
    `    title "${title}"`,
    `    x-axis "bin start" [${labels.map((l) => `"${binStart(l)}"`).join(", ")}]`,
    `    y-axis "% of values" 0 --> ${plainNumber(hi, 4)}`,
    `    bar [${pct(reference).join(", ")}]`,
    `    line [${pct(current).join(", ")}]`,
    "```",
  ].join("\n");
  const caption = `<sub>${codeSpan(c.column, { context: "prose", maxLength: 60 })}: bars = reference, line = current data (share of values per bin${c.exact ? "" : ", estimated from the sketches"}).</sub>`;
  return `${mermaid}\n\n${caption}\n`;
}
