/**
 * The report cut into measured parts: fixed text blocks and row groups. The layout decides how
 * many rows of each group to keep; everything here is computed once per render.
 */
import type { MetricDiffRow, MetricStatus, MetricValue, ParamDiffRow } from "@mlci/metrics";
import { codeSpan, escapeText, link, safeUrl } from "./escape";
import { formatChange, formatNumber, formatPercent, formatTimestamp, NOT_APPLICABLE } from "./format-number";
import {
  type Alignment,
  lineGroup,
  type Measure,
  type RowGroup,
  rowGroup,
  type TableSpec,
  tableSpec,
} from "./measured-table";
import { renderPlotCharts } from "./mermaid-chart";
import type { ExtraSection, ReportModel } from "./model";
import { reportMarker } from "./report-marker";
import { runFactLines } from "./run-facts";

/**
 * How a row is shown: its status, except that a row whose file could not be read on one side is
 * "unavailable" (the metrics package keeps such rows as added/removed but does not count them so).
 */
export type DisplayStatus = MetricStatus | "unavailable";

export function displayStatus(row: { status: string; unavailable?: "base" | "head" }): DisplayStatus {
  return row.unavailable ? "unavailable" : (row.status as MetricStatus);
}

export const STATUS_MARKER: Record<DisplayStatus, string> = {
  improved: "🟢",
  regressed: "🔴",
  unchanged: "⚪",
  added: "🆕",
  removed: "➖",
  changed: "🔁",
  unavailable: "❔",
};

const LEGEND: Record<DisplayStatus, string> = {
  improved: "better",
  regressed: "worse",
  unchanged: "unchanged",
  added: "added",
  removed: "removed",
  changed: "changed, not numeric",
  unavailable: "not comparable, file unavailable on one side",
};

/** Shown in place of a value whose file could not be read. */
const UNAVAILABLE = "(unavailable)";

const PROBLEM_KIND: Record<string, string> = {
  missing: "not found",
  unreadable: "could not be read",
  "not-in-cache": "not available",
  "parse-error": "could not be parsed",
};

const MAX_PROBLEM_MESSAGE = 300;
const MAX_POLICY_NOTE = 500;

export interface ReportParts {
  /** Marker, heading, verdict and compared refs. */
  top: string;
  keepSections: string;
  problems: string;
  metricsTable: TableSpec;
  regressed: RowGroup;
  /** The regressed metrics as one short line each, for when even the table does not fit. */
  regressedList: { lines: string[]; prefix: number[] };
  improved: RowGroup;
  /** Changed (not numeric), added and removed metrics, in that order. */
  other: RowGroup;
  otherStatuses: DisplayStatus[];
  unchangedMetrics: RowGroup;
  unchangedWithinNoise: number;
  /** `<sub>🟢 better · 🔴 worse</sub>` for the statuses shown; "" when only ⚪ would be in it. */
  legend: (shown: ReadonlySet<DisplayStatus>) => string;
  policyNote: string;
  paramsTable: TableSpec;
  changedParams: RowGroup;
  unchangedParamsTable: TableSpec;
  unchangedParams: RowGroup;
  extraSections: Array<{ title: string; text: string }>;
  runFacts: string;
  charts: string[];
  footer: string;
}

function metricLegend(shown: ReadonlySet<DisplayStatus>): string {
  const present = (Object.keys(STATUS_MARKER) as DisplayStatus[]).filter((s) => shown.has(s));
  // A legend of only ⚪ says nothing.
  if (!present.some((s) => s !== "unchanged")) return "";
  return `<sub>${present.map((s) => `${STATUS_MARKER[s]} ${LEGEND[s]}`).join(" · ")}</sub>`;
}

/** Shown for a metric value: numbers with 5 significant digits, strings escaped. */
export function formatMetricValue(value: MetricValue | undefined): string {
  if (value === undefined) return NOT_APPLICABLE;
  if (typeof value === "number") return formatNumber(value);
  return formatOtherValue(value);
}

/** Shown for a param value: numbers exactly as read, since a rounded lr could hide a change. */
export function formatParamValue(value: MetricValue | undefined): string {
  if (value === undefined) return NOT_APPLICABLE;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : formatNumber(value);
  return formatOtherValue(value);
}

function formatOtherValue(value: string | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  return value === "" ? '""' : escapeText(value);
}

function shortSha(sha: string | undefined): string {
  return sha ? ` (${codeSpan(sha.slice(0, 7), { context: "prose" })})` : "";
}

function metricCells(row: MetricDiffRow, withPath: boolean): string[] {
  const cells = [
    codeSpan(row.key),
    row.unavailable === "base" ? UNAVAILABLE : formatMetricValue(row.old),
    row.unavailable === "head" ? UNAVAILABLE : formatMetricValue(row.new),
    formatChange(row.abs),
    formatPercent(row.rel),
    STATUS_MARKER[displayStatus(row)],
  ];
  return withPath ? [codeSpan(row.path), ...cells] : cells;
}

function regressedLine(row: MetricDiffRow, withPath: boolean): string {
  const where = withPath ? `${codeSpan(row.path, { context: "prose" })} ` : "";
  const old = formatMetricValue(row.old);
  const now = formatMetricValue(row.new);
  const change = row.rel !== undefined ? formatPercent(row.rel) : formatChange(row.abs);
  return `- ${STATUS_MARKER.regressed} ${where}${codeSpan(row.key, { context: "prose" })}: ${old} → ${now} (${change})`;
}

function problemLine(p: ReportModel["diff"]["problems"][number]): string {
  const kind = PROBLEM_KIND[p.kind] ?? "not usable";
  const message = p.message ? `: ${escapeText(p.message, { maxLength: MAX_PROBLEM_MESSAGE })}` : "";
  return `- ⚠️ ${codeSpan(p.path, { context: "prose" })} at ${p.side}: ${kind}${message}`;
}

function section(s: ExtraSection): string {
  return `### ${escapeText(s.title)}\n\n${s.markdown.trim()}\n\n`;
}

function topBlock(model: ReportModel, verdictLine: string): string {
  const title = escapeText(model.title ?? "mlci report");
  const head = `${codeSpan(model.head.ref, { context: "prose" })}${shortSha(model.head.sha)}`;
  const base = `${codeSpan(model.base.ref, { context: "prose" })}${shortSha(model.base.sha)}`;
  return [
    reportMarker(model.reportId),
    `## ${title}`,
    "",
    verdictLine,
    "",
    `<sub>Head ${head} compared with base ${base}.</sub>`,
    "",
    "",
  ].join("\n");
}

function footerBlock(model: ReportModel, summaryLink: (text: string) => string | undefined): string {
  const bits = ["Generated by mlci"];
  const when = model.generatedAt ? formatTimestampOrRaw(model.generatedAt) : undefined;
  if (when) bits[0] += ` at ${when}`;
  const runUrl = model.links?.runUrl ?? model.run?.runUrl;
  const runLink = runUrl ? linkOrUndefined("workflow run", runUrl) : undefined;
  if (runLink) bits.push(runLink);
  const summary = summaryLink("job summary");
  if (summary) bits.push(summary);
  return `<sub>${bits.join(" · ")}</sub>\n`;
}

function formatTimestampOrRaw(iso: string): string {
  return formatTimestamp(iso) ?? escapeText(iso);
}

function linkOrUndefined(text: string, url: string): string | undefined {
  return safeUrl(url) === undefined ? undefined : link(text, url);
}

/** Everything the layout needs, measured with `measure`. */
export function prepareParts(
  model: ReportModel,
  verdictLine: string,
  measure: Measure,
  options: { summaryLinkInFooter: boolean },
): ReportParts {
  const { diff } = model;
  const metricPaths = new Set(diff.metrics.map((r) => r.path));
  const paramPaths = new Set(diff.params.map((r) => r.path));
  const withMetricPath = metricPaths.size > 1;
  const withParamPath = paramPaths.size > 1;

  const regressed: MetricDiffRow[] = [];
  const improved: MetricDiffRow[] = [];
  const other: MetricDiffRow[] = [];
  const unchanged: MetricDiffRow[] = [];
  const byStatus: Record<DisplayStatus, MetricDiffRow[]> = {
    regressed,
    improved,
    changed: [],
    added: [],
    removed: [],
    unavailable: [],
    unchanged,
  };
  for (const row of diff.metrics) byStatus[displayStatus(row)].push(row);
  other.push(...byStatus.changed, ...byStatus.added, ...byStatus.removed, ...byStatus.unavailable);

  const metricHeader = ["Metric", "Base", "Head", "Change", "%", ""];
  const metricAlign: Alignment[] = ["l", "r", "r", "r", "r", "c"];
  const toRows = (rows: MetricDiffRow[]) =>
    rowGroup(
      rows.map((r) => metricCells(r, withMetricPath)),
      measure,
    );

  const paramHeader = withParamPath ? ["Path", "Param", "Base", "Head"] : ["Param", "Base", "Head"];
  const unchangedParamHeader = withParamPath ? ["Path", "Param", "Value"] : ["Param", "Value"];
  const paramKey = (r: ParamDiffRow) =>
    withParamPath ? [codeSpan(r.path), codeSpan(r.key)] : [codeSpan(r.key)];
  const changedParams = diff.params.filter((r) => r.status !== "unchanged");
  const unchangedParams = diff.params.filter((r) => r.status === "unchanged");

  const sides = { base: model.base.ref, head: model.head.ref };
  const summaryUrl = model.links?.summaryUrl;
  const summaryLink = (text: string) =>
    options.summaryLinkInFooter && summaryUrl ? linkOrUndefined(text, summaryUrl) : undefined;
  const run = model.run;

  return {
    top: topBlock(model, verdictLine),
    keepSections: (model.sections ?? [])
      .filter((s) => s.keep)
      .map(section)
      .join(""),
    problems: diff.problems.length > 0 ? `${diff.problems.map(problemLine).join("\n")}\n\n` : "",
    metricsTable: tableSpec(
      withMetricPath ? ["Path", ...metricHeader] : metricHeader,
      withMetricPath ? ["l", ...metricAlign] : metricAlign,
      measure,
    ),
    regressed: toRows(regressed),
    regressedList: lineGroup(
      regressed.map((r) => regressedLine(r, withMetricPath)),
      measure,
    ),
    improved: toRows(improved),
    other: toRows(other),
    otherStatuses: other.map(displayStatus),
    unchangedMetrics: toRows(unchanged),
    unchangedWithinNoise: unchanged.filter((r) => r.withinNoise).length,
    legend: metricLegend,
    policyNote: model.policyNote
      ? `<sub>${escapeText(model.policyNote, { maxLength: MAX_POLICY_NOTE })}</sub>\n\n`
      : "",
    paramsTable: tableSpec(
      paramHeader,
      paramHeader.map(() => "l" as const),
      measure,
    ),
    changedParams: rowGroup(
      changedParams.map((r) => [
        ...paramKey(r),
        r.unavailable === "base" ? UNAVAILABLE : formatParamValue(r.old),
        r.unavailable === "head" ? UNAVAILABLE : formatParamValue(r.new),
      ]),
      measure,
    ),
    unchangedParamsTable: tableSpec(
      unchangedParamHeader,
      unchangedParamHeader.map(() => "l" as const),
      measure,
    ),
    unchangedParams: rowGroup(
      unchangedParams.map((r) => [...paramKey(r), formatParamValue(r.new)]),
      measure,
    ),
    extraSections: (model.sections ?? [])
      .filter((s) => !s.keep)
      .map((s) => ({ title: s.title, text: section(s) })),
    runFacts: run ? `### Run\n\n${runFactLines(run, model.head.sha).join("\n")}\n\n` : "",
    charts: (model.plots ?? []).flatMap((plot) => renderPlotCharts(plot, sides)),
    footer: footerBlock(model, summaryLink),
  };
}
