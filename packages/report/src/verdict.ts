/** The one-line verdict: counts of what changed, and one emoji for the whole comparison. */
import type { DiffCounts, MetricsDiff } from "@mlci/metrics";
import { formatCount } from "./format-number";

export const OVERALL_MARKER = {
  regressed: "🔴",
  improved: "🟢",
  changed: "🟡",
  unchanged: "⚪",
} as const;

const plural = (count: number, one: string, many: string) =>
  `${formatCount(count)} ${count === 1 ? one : many}`;

function changedParams(diff: MetricsDiff): number {
  let n = 0;
  for (const row of diff.params) if (row.status !== "unchanged" && !row.unavailable) n++;
  return n;
}

const COUNT_ORDER = [
  "improved",
  "regressed",
  "unchanged",
  "added",
  "removed",
  "changed",
  "unavailable",
] as const;

const COUNT_WORDS: Record<(typeof COUNT_ORDER)[number], string> = {
  improved: "improved",
  regressed: "regressed",
  unchanged: "unchanged",
  added: "added",
  removed: "removed",
  changed: "changed (not numeric)",
  unavailable: "not comparable (file unavailable)",
};

/** The counts as phrases, in verdict order; only the nonzero ones. */
function countParts(counts: DiffCounts): Array<{ text: string; status: keyof DiffCounts }> {
  return COUNT_ORDER.map((status) => ({ status, count: counts[status] ?? 0 }))
    .filter((p) => p.count > 0)
    .map((p) => ({ status: p.status, text: `${formatCount(p.count)} ${COUNT_WORDS[p.status]}` }));
}

function metricsMoved(counts: DiffCounts): boolean {
  const moved = counts.improved + counts.regressed + counts.added + counts.removed + counts.changed;
  return moved + (counts.unavailable ?? 0) > 0;
}

/** The emoji for the whole comparison: any regression is red, then green, yellow, white. */
export function overallMarker(diff: MetricsDiff): string {
  const c = diff.counts;
  if (c.regressed > 0) return OVERALL_MARKER.regressed;
  if (c.improved > 0) return OVERALL_MARKER.improved;
  const other = c.added + c.removed + c.changed + (c.unavailable ?? 0);
  if (other > 0 || changedParams(diff) > 0) return OVERALL_MARKER.changed;
  return OVERALL_MARKER.unchanged;
}

/**
 * The verdict with `emphasis` applied to the regressed part (bold in markdown, nothing in plain
 * text): "2 improved, 1 regressed, 14 unchanged; 1 param changed".
 */
function verdict(diff: MetricsDiff, emphasis: (text: string) => string): string {
  const counts = diff.counts;
  let text: string;
  if (!metricsMoved(counts) && counts.unchanged === 0) {
    text = "No metrics found";
  } else if (!metricsMoved(counts)) {
    text = `No metric changed (${formatCount(counts.unchanged)} unchanged)`;
  } else {
    text = countParts(counts)
      .map((p) => (p.status === "regressed" ? emphasis(p.text) : p.text))
      .join(", ");
  }
  const params = changedParams(diff);
  if (params > 0) text += `; ${plural(params, "param", "params")} changed`;
  return text;
}

/** One plain-text line, for logs, outputs and check-run titles. */
export function renderPlainVerdict(diff: MetricsDiff): string {
  return verdict(diff, (t) => t);
}

/** The verdict line of the report: marker, then the counts with regressions in bold. */
export function renderVerdictLine(diff: MetricsDiff): string {
  return `${overallMarker(diff)} ${verdict(diff, (t) => `**${t}**`)}`;
}
