/**
 * Lays the measured parts out in report order, keeping as many rows of each kind as a plan says,
 * and fits the plan to a size budget by dropping detail in the documented order.
 *
 * The same `compose` function both measures (summing known part lengths, no table rendering) and
 * renders, so the measured length is the rendered length.
 */
import { escapeText } from "./escape";
import { formatCount } from "./format-number";
import { type GroupSlice, type Measure, renderTable, type TableSpec, tableLength } from "./measured-table";
import type { DisplayStatus, ReportParts } from "./report-parts";

/** How many of each droppable kind of row stay in when detail is dropped ("a few"). */
export const FEW = 5;

/** How many rows or blocks of each kind the report shows. */
export interface Plan {
  charts: number;
  unchangedParams: number;
  unchangedMetrics: number;
  other: number;
  improved: number;
  changedParams: number;
  extraSections: number;
  run: boolean;
  /** Regressed metrics as a compact list instead of table rows. */
  regressedAsList: boolean;
  /** Regressed metrics listed (list form only; below the total only when nothing else fits). */
  regressed: number;
}

export interface NoteContext {
  /** "GitHub's 65,536-character comment limit". */
  limitLabel: string;
  /** Where the full report is, as markdown ("the [job summary](…) and `report.md`"), or "". */
  fullReportAt: string;
}

export function fullPlan(parts: ReportParts): Plan {
  return {
    charts: parts.charts.length,
    unchangedParams: parts.unchangedParams.rows.length,
    unchangedMetrics: parts.unchangedMetrics.rows.length,
    other: parts.other.rows.length,
    improved: parts.improved.rows.length,
    changedParams: parts.changedParams.rows.length,
    extraSections: parts.extraSections.length,
    run: parts.runFacts !== "",
    regressedAsList: false,
    regressed: parts.regressed.rows.length,
  };
}

const counted = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

const OTHER_NAMES = {
  changed: ["changed non-numeric metric", "changed non-numeric metrics"],
  added: ["added metric", "added metrics"],
  removed: ["removed metric", "removed metrics"],
  unavailable: ["metric not comparable", "metrics not comparable"],
} as const;
type OtherStatus = keyof typeof OTHER_NAMES;

/** What the plan leaves out, plain text, in report order. */
export function omittedItems(parts: ReportParts, plan: Plan): string[] {
  const items: string[] = [];
  const regressedTotal = parts.regressed.rows.length;
  if (plan.regressedAsList) {
    const listed = Math.min(plan.regressed, regressedTotal);
    if (listed < regressedTotal)
      items.push(counted(regressedTotal - listed, "regressed metric", "regressed metrics"));
    items.push("the regressed metrics table (listed in short form instead)");
  }
  const dropped = (total: number, kept: number) => Math.max(0, total - kept);
  const improved = dropped(parts.improved.rows.length, plan.improved);
  if (improved > 0) items.push(counted(improved, "improved metric", "improved metrics"));
  const droppedOther: Record<OtherStatus, number> = { changed: 0, added: 0, removed: 0, unavailable: 0 };
  for (let i = plan.other; i < parts.otherStatuses.length; i++) {
    const status = parts.otherStatuses[i];
    if (status !== undefined && status in droppedOther) droppedOther[status as OtherStatus]++;
  }
  for (const status of Object.keys(OTHER_NAMES) as OtherStatus[]) {
    const [one, many] = OTHER_NAMES[status];
    if (droppedOther[status] > 0) items.push(counted(droppedOther[status], one, many));
  }
  const unchanged = dropped(parts.unchangedMetrics.rows.length, plan.unchangedMetrics);
  if (unchanged > 0) items.push(counted(unchanged, "unchanged metric", "unchanged metrics"));
  const changedParams = dropped(parts.changedParams.rows.length, plan.changedParams);
  if (changedParams > 0) items.push(counted(changedParams, "changed param", "changed params"));
  const unchangedParams = dropped(parts.unchangedParams.rows.length, plan.unchangedParams);
  if (unchangedParams > 0) items.push(counted(unchangedParams, "unchanged param", "unchanged params"));
  for (const s of parts.extraSections.slice(plan.extraSections)) items.push(`the “${s.title}” section`);
  if (!plan.run && parts.runFacts !== "") items.push("the run details");
  const charts = dropped(parts.charts.length, plan.charts);
  if (charts > 0) items.push(counted(charts, "chart", "charts"));
  return items;
}

/** The statuses whose rows the plan shows, for the legend. */
function shownStatuses(parts: ReportParts, plan: Plan): Set<DisplayStatus> {
  const shown = new Set<DisplayStatus>(parts.otherStatuses.slice(0, plan.other));
  const regressed = plan.regressedAsList ? plan.regressed : parts.regressed.rows.length;
  if (regressed > 0 && parts.regressed.rows.length > 0) shown.add("regressed");
  if (plan.improved > 0 && parts.improved.rows.length > 0) shown.add("improved");
  if (plan.unchangedMetrics > 0 && parts.unchangedMetrics.rows.length > 0) shown.add("unchanged");
  return shown;
}

interface Sink {
  text(text: string): void;
  table(spec: TableSpec, slices: readonly GroupSlice[]): void;
}

function details(sink: Sink, summary: string, spec: TableSpec, slice: GroupSlice): void {
  if (slice[1] <= 0 || slice[0].rows.length === 0) return;
  sink.text(`<details>\n<summary>${summary}</summary>\n\n`);
  sink.table(spec, [slice]);
  sink.text("\n</details>\n\n");
}

function compose(parts: ReportParts, plan: Plan, note: NoteContext, sink: Sink): void {
  sink.text(parts.top);
  sink.text(parts.keepSections);
  sink.text(parts.problems);

  const metricRows =
    parts.regressed.rows.length +
    parts.improved.rows.length +
    parts.other.rows.length +
    parts.unchangedMetrics.rows.length;
  if (metricRows > 0 || parts.policyNote !== "") {
    sink.text("### Metrics\n\n");
    if (plan.regressedAsList && plan.regressed > 0 && parts.regressedList.lines.length > 0) {
      const count = Math.min(plan.regressed, parts.regressedList.lines.length);
      sink.text(`${parts.regressedList.lines.slice(0, count).join("\n")}\n\n`);
    }
    const main: GroupSlice[] = [
      [parts.regressed, plan.regressedAsList ? 0 : parts.regressed.rows.length],
      [parts.improved, plan.improved],
      [parts.other, plan.other],
    ];
    if (main.some(([group, count]) => count > 0 && group.rows.length > 0)) {
      sink.table(parts.metricsTable, main);
      sink.text("\n");
    }
    const total = parts.unchangedMetrics.rows.length;
    const noise =
      parts.unchangedWithinNoise > 0 ? `, ${formatCount(parts.unchangedWithinNoise)} within noise` : "";
    const showing = plan.unchangedMetrics < total ? ` (showing ${formatCount(plan.unchangedMetrics)})` : "";
    const summary = `${counted(total, "unchanged metric", "unchanged metrics")}${noise}${showing}`;
    details(sink, summary, parts.metricsTable, [parts.unchangedMetrics, plan.unchangedMetrics]);
    const legend = parts.legend(shownStatuses(parts, plan));
    if (legend !== "") sink.text(`${legend}\n\n`);
    sink.text(parts.policyNote);
  }

  const paramRows = parts.changedParams.rows.length + parts.unchangedParams.rows.length;
  if (paramRows > 0) {
    sink.text("### Params\n\n");
    if (plan.changedParams > 0 && parts.changedParams.rows.length > 0) {
      sink.table(parts.paramsTable, [[parts.changedParams, plan.changedParams]]);
      sink.text("\n");
    }
    const total = parts.unchangedParams.rows.length;
    const showing = plan.unchangedParams < total ? ` (showing ${formatCount(plan.unchangedParams)})` : "";
    const summary = `${counted(total, "unchanged param", "unchanged params")}${showing}`;
    details(sink, summary, parts.unchangedParamsTable, [parts.unchangedParams, plan.unchangedParams]);
  }

  for (const s of parts.extraSections.slice(0, plan.extraSections)) sink.text(s.text);
  if (plan.run) sink.text(parts.runFacts);
  if (plan.charts > 0 && parts.charts.length > 0) {
    sink.text(`### Charts\n\n${parts.charts.slice(0, plan.charts).join("\n")}\n`);
  }

  const omitted = omittedItems(parts, plan);
  if (omitted.length > 0) {
    const where = note.fullReportAt === "" ? "" : ` The full report is in ${note.fullReportAt}.`;
    const list = omitted.map((item) => escapeText(item, { maxLength: 200 })).join(", ");
    sink.text(`> [!NOTE]\n> Left out to fit ${note.limitLabel}: ${list}.${where}\n\n`);
  }
  sink.text(parts.footer);
}

/** The length `render` would produce, without rendering any table. */
export function measurePlan(parts: ReportParts, plan: Plan, note: NoteContext, measure: Measure): number {
  let length = 0;
  compose(parts, plan, note, {
    text: (text) => {
      length += measure(text);
    },
    table: (spec, slices) => {
      length += tableLength(spec, slices);
    },
  });
  return length;
}

export function renderPlan(parts: ReportParts, plan: Plan, note: NoteContext): string {
  const out: string[] = [];
  compose(parts, plan, note, {
    text: (text) => out.push(text),
    table: (spec, slices) => out.push(renderTable(spec, slices)),
  });
  return out.join("");
}

type CountField = "charts" | "unchangedParams" | "unchangedMetrics" | "other" | "improved" | "changedParams";

/**
 * The drop order. Each step lowers one count towards its floor, keeping as many rows as fit;
 * the next step starts only when the floor is reached and the report is still too long.
 */
const DROP_ORDER: Array<{ field: CountField | "extraSections"; floor: (parts: ReportParts) => number }> = [
  { field: "charts", floor: () => 0 },
  { field: "unchangedParams", floor: () => 0 },
  { field: "unchangedMetrics", floor: () => 0 },
  { field: "other", floor: (parts) => Math.min(FEW, parts.other.rows.length) },
  { field: "improved", floor: (parts) => Math.min(FEW, parts.improved.rows.length) },
  { field: "changedParams", floor: (parts) => Math.min(FEW, parts.changedParams.rows.length) },
  { field: "extraSections", floor: () => 0 },
];

/** Lowers `plan[field]` to the largest value in [floor, current] that fits (or to floor). */
function shrink(
  plan: Plan,
  field: CountField | "extraSections" | "regressed",
  floor: number,
  fits: () => boolean,
) {
  const current = plan[field];
  if (current <= floor) return;
  plan[field] = floor;
  if (!fits()) return;
  let lo = floor;
  let hi = current;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    plan[field] = mid;
    if (fits()) lo = mid;
    else hi = mid - 1;
  }
  plan[field] = lo;
}

/** The fullest plan that fits `budget`, found by dropping detail in the documented order. */
export function fitPlan(parts: ReportParts, note: NoteContext, budget: number, measure: Measure): Plan {
  const plan = fullPlan(parts);
  const fits = () => measurePlan(parts, plan, note, measure) <= budget;
  if (fits()) return plan;
  for (const step of DROP_ORDER) {
    shrink(plan, step.field, step.floor(parts), fits);
    if (fits()) return plan;
  }
  plan.run = false;
  if (fits()) return plan;
  // What is left beyond the never-dropped parts: the few rows kept of each droppable kind.
  for (const field of ["other", "improved", "changedParams"] as const) {
    shrink(plan, field, 0, fits);
    if (fits()) return plan;
  }
  // The never-dropped parts alone are too long: every regressed metric as one short line, and
  // only when even that does not fit, fewer of them (the verdict still counts them all).
  plan.regressedAsList = true;
  if (fits()) return plan;
  shrink(plan, "regressed", 0, fits);
  return plan;
}

/** Cuts a report that still does not fit at a line boundary and says so. The last resort. */
export function hardCut(markdown: string, budget: number, measure: Measure, fullReportAt: string): string {
  const where = fullReportAt === "" ? "" : ` The full report is in ${fullReportAt}.`;
  const tail = `\n\n> [!WARNING]\n> This report was cut short to fit the size limit.${where}\n`;
  const room = budget - measure(tail);
  const lines = markdown.split("\n");
  let length = 0;
  let kept = 0;
  for (const line of lines) {
    const next = length + measure(line) + (kept > 0 ? 1 : 0);
    if (next > room) break;
    length = next;
    kept++;
  }
  const cut = lines.slice(0, kept).join("\n") + tail;
  return measure(cut) <= budget ? cut : tail.trim().slice(0, Math.max(0, budget));
}
