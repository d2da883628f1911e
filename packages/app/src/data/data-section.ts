import type { ColumnDrift, DriftReport, RuleResult } from "@mlci/data";
import { codeSpan, escapeText, formatCount, plainNumber } from "@mlci/report";
import type { DataResult } from "./data-result";
import { renderDriftHistogram } from "./histogram-chart";

/**
 * The data section of the sticky report and the job summary: the verdict, the failing rules
 * with counts and up to 20 example rows (file and line), the drift table per column, and
 * histograms of the drifted numeric columns. Pure; every string from the data (file, column
 * and value) is escaped. Rendered at decreasing detail until it fits `maxChars`.
 */

export interface DataSectionOptions {
  /** Budget in UTF-16 code units (default 20,000: a fair share of a 65,536-character comment). */
  maxChars?: number;
}

interface Detail {
  examplesPerRule: number;
  rulesWithExamples: number;
  charts: number;
  failureRows: number;
  driftRows: number;
}

const LEVELS: Detail[] = [
  { examplesPerRule: 20, rulesWithExamples: 20, charts: 5, failureRows: 100, driftRows: 200 },
  { examplesPerRule: 5, rulesWithExamples: 10, charts: 3, failureRows: 50, driftRows: 60 },
  { examplesPerRule: 1, rulesWithExamples: 10, charts: 1, failureRows: 30, driftRows: 30 },
  { examplesPerRule: 0, rulesWithExamples: 0, charts: 0, failureRows: 20, driftRows: 20 },
];

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;
const pct = (x: number): string => `${plainNumber(x * 100, 3)}%`;
/** Messages quote names in backticks; escaped, those would show, so they go. */
const plain = (message: string): string => escapeText(message.replace(/`/g, ""), { maxLength: 200 });

/** The one-line verdict of the checks. */
export function checkHeadline(r: DataResult): string {
  const { errors, warnings } = r.check;
  const facts = `${plural(r.data.rows, "row")}, ${plural(r.data.columns, "column")}, ${plural(r.data.files.length, "file")}`;
  const rules = r.check.results.length;
  const schema = r.schema
    ? `${plural(rules, "rule")} of ${codeSpan(r.schema.path, { context: "prose" })}`
    : "no schema: only malformed rows checked";
  if (errors > 0) {
    const w = warnings > 0 ? `, ${plural(warnings, "warning")}` : "";
    return `❌ **Data check failed: ${plural(errors, "error")}${w}** (${schema}; ${facts})`;
  }
  if (warnings > 0)
    return `⚠️ **Data check passed with ${plural(warnings, "warning")}** (${schema}; ${facts})`;
  return `✅ **Data check passed** (${schema}; ${facts})`;
}

/** The one-line drift verdict, or undefined without a reference. */
export function driftHeadline(r: DataResult): string | undefined {
  const d = r.drift;
  if (!d || !r.reference) return undefined;
  const ref = r.reference;
  const where = ref.version
    ? `${codeSpan(ref.spec, { context: "prose" })} (${escapeText(ref.version)}, ${formatCount(ref.rows)} rows)`
    : `${codeSpan(ref.path, { context: "prose" })} (${formatCount(ref.rows)} rows)`;
  const n = d.columns.filter((c) => c.drifted).length;
  const share = `${formatCount(n)} of ${plural(d.columns.length, "column")} drifted (${pct(d.driftShare)})`;
  if (d.drifted) {
    return `🔴 **Data drift: ${share}**, at least ${pct(d.driftShareThreshold)}; against ${where}`;
  }
  return `🟢 **No data set drift**: ${share}, under ${pct(d.driftShareThreshold)}; against ${where}`;
}

function failureTable(failed: RuleResult[], rows: number): string[] {
  if (failed.length === 0) return [];
  const out = [
    "| | Rule | Column | Failing | Checked | What |",
    "| --- | --- | --- | ---: | ---: | --- |",
    ...failed
      .slice(0, rows)
      .map(
        (r) =>
          `| ${r.severity === "error" ? "❌" : "⚠️"} | ${r.rule} | ${r.column === undefined ? "" : codeSpan(r.column, { maxLength: 60 })} | ${formatCount(r.failing)} | ${formatCount(r.checked)} | ${plain(r.message)} |`,
      ),
  ];
  if (failed.length > rows)
    out.push("", `<sub>${formatCount(failed.length - rows)} more failing rules in the result file.</sub>`);
  return out;
}

function exampleLines(r: RuleResult, max: number): string[] {
  const shown = r.examples.slice(0, max).map((e) => {
    const where = codeSpan(`${e.file}:${e.line}`, { context: "prose" });
    const value =
      e.value === undefined ? "" : ` value ${codeSpan(e.value, { context: "prose", maxLength: 80 })}`;
    const msg = e.message === undefined ? "" : ` ${plain(e.message)}`;
    return `- ${where}${value}${msg}`;
  });
  const more = r.failing - shown.length;
  if (more > 0) shown.push(`- … ${plural(more, "more row")}`);
  return shown;
}

function examplesBlock(failed: RuleResult[], d: Detail): string[] {
  const withExamples = failed.filter((r) => r.examples.length > 0).slice(0, d.rulesWithExamples);
  if (withExamples.length === 0 || d.examplesPerRule === 0) return [];
  const out = ["<details>", "<summary>Example rows (file:line)</summary>", ""];
  for (const r of withExamples) {
    const column =
      r.column === undefined ? "" : ` ${codeSpan(r.column, { context: "prose", maxLength: 60 })}`;
    out.push(`**${r.rule}**${column}:`, "", ...exampleLines(r, d.examplesPerRule), "");
  }
  out.push("</details>");
  return out;
}

const METHOD: Record<ColumnDrift["method"], string> = {
  ks: "KS test",
  chisquare: "chi-square",
  z: "Z-test",
  wasserstein: "Wasserstein (norm.)",
  jensenshannon: "Jensen-Shannon",
};
const STATISTIC: Partial<Record<ColumnDrift["method"], string>> = { ks: "D", chisquare: "χ²", z: "z" };
const isTest = (c: ColumnDrift): boolean => c.method === "ks" || c.method === "chisquare" || c.method === "z";

function scoreCell(c: ColumnDrift): string {
  const approx = c.exact ? "" : "≈ ";
  const stat =
    c.statistic === undefined ? "" : ` (${STATISTIC[c.method] ?? "stat"} = ${plainNumber(c.statistic, 4)})`;
  if (isTest(c))
    return `${approx}p = ${c.score < 1e-4 ? c.score.toExponential(1) : plainNumber(c.score, 3)}${stat}`;
  return `${approx}${plainNumber(c.score, 3)}`;
}

function driftTable(d: DriftReport, rows: number): string[] {
  const ordered = [...d.columns].sort((a, b) => Number(b.drifted) - Number(a.drifted));
  const line = (c: ColumnDrift): string =>
    `| ${c.drifted ? "🔴 drift" : "🟢 ok"} | ${codeSpan(c.column, { maxLength: 60 })} | ${c.kind} | ${METHOD[c.method]} | ${scoreCell(c)} | ${isTest(c) ? `p < ${c.threshold}` : `≥ ${c.threshold}`} | ${plainNumber(c.psi, 3)} |`;
  const head = [
    "| | Column | Kind | Method | Score | Drift when | PSI |",
    "| --- | --- | --- | --- | --- | --- | ---: |",
  ];
  const out: string[] = [];
  const drifted = ordered.filter((c) => c.drifted);
  const shown = ordered.slice(0, rows);
  if (ordered.length > 10 && drifted.length < shown.length) {
    // Drifted columns in view, the others folded.
    const open = shown.filter((c) => c.drifted);
    if (open.length > 0) out.push(...head, ...open.map(line), "");
    out.push(
      "<details>",
      `<summary>${plural(shown.length - open.length, "column")} without drift</summary>`,
      "",
      ...head,
      ...shown.filter((c) => !c.drifted).map(line),
      "",
      "</details>",
    );
  } else out.push(...head, ...shown.map(line));
  if (ordered.length > rows)
    out.push("", `<sub>${formatCount(ordered.length - rows)} more columns in the result file.</sub>`);
  if (d.columns.some((c) => !c.exact))
    out.push("", "<sub>≈ estimated from sketches or samples (see docs/data.md for the accuracy).</sub>");
  if (d.skipped.length > 0) {
    const names = d.skipped
      .slice(0, 20)
      .map((s) => `${codeSpan(s.column, { context: "prose", maxLength: 60 })} (${plain(s.reason)})`);
    const more = d.skipped.length > 20 ? `, and ${formatCount(d.skipped.length - 20)} more` : "";
    out.push("", `Not compared: ${names.join(", ")}${more}.`);
  }
  return out;
}

function render(r: DataResult, d: Detail): string {
  const failed = r.check.results.filter((x) => !x.passed);
  failed.sort((a, b) => Number(a.severity === "warn") - Number(b.severity === "warn"));
  const out: string[] = [checkHeadline(r)];
  const drift = driftHeadline(r);
  if (drift) out.push("", drift);
  const failures = failureTable(failed, d.failureRows);
  if (failures.length > 0) out.push("", ...failures);
  const examples = examplesBlock(failed, d);
  if (examples.length > 0) out.push("", ...examples);
  if (r.drift && r.drift.columns.length + r.drift.skipped.length > 0) {
    out.push("", "**Drift per column**", "", ...driftTable(r.drift, d.driftRows));
    const charts = r.drift.columns.filter(
      (c) => c.drifted && c.kind === "numeric" && c.bins.labels.length > 1,
    );
    for (const c of charts.slice(0, d.charts)) out.push("", renderDriftHistogram(c).trimEnd());
    if (charts.length > d.charts && d.charts > 0) {
      out.push("", `<sub>${formatCount(charts.length - d.charts)} more drifted columns not charted.</sub>`);
    }
  }
  return out.join("\n");
}

/** The section's markdown, at the most detail that fits `maxChars`. */
export function renderDataSection(r: DataResult, options: DataSectionOptions = {}): string {
  const max = options.maxChars ?? 20_000;
  let text = "";
  for (const level of LEVELS) {
    text = render(r, level);
    if (text.length <= max) return text;
  }
  return text;
}
