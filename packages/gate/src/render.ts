import { markdownTable } from "markdown-table";
import { codeSpan, escapeMarkdown, escapePlain } from "./escape";
import { formatNumber } from "./format-number";
import { shortRev } from "./policy-source";
import type { GateResult, GateValue, MetricResult, RuleResult, Verdict } from "./types";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "Gate passed: 5 rules, 1 warning" / "Gate failed: 2 of 5 rules". Plain text, not escaped. */
export function gateVerdictLine(result: GateResult): string {
  const { rules, failed, warned, skipped } = result.counts;
  const extras: string[] = [];
  if (warned > 0) extras.push(plural(warned, "warning"));
  if (skipped > 0) extras.push(`${skipped} skipped`);
  const tail = extras.length > 0 ? `, ${extras.join(", ")}` : "";
  if (rules === 0) {
    return result.passed
      ? "Gate passed: the policy has no rules (allow_empty)"
      : "Gate failed: the policy has no rules";
  }
  if (result.passed) return `Gate passed: ${plural(rules, "rule")}${tail}`;
  if (failed === 0) return `Gate failed: ${result.problems.join("; ")}`;
  return `Gate failed: ${failed} of ${plural(rules, "rule")}${tail}`;
}

const ICON: Record<Verdict, string> = { pass: "✅", fail: "❌", warn: "⚠️", skip: "➖" };

export function formatGateValue(v: GateValue | undefined): string {
  if (v === undefined) return "—";
  if (v === null) return "null";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v);
  if (typeof v === "boolean") return String(v);
  return v.nonFinite;
}

interface Row {
  rule: RuleResult;
  metric: MetricResult;
}

interface Selection {
  rows: Row[];
  hidden: number;
  /** Hidden rows that fail or warn (only when there are more of those than `maxRows`). */
  hiddenUrgent: number;
}

/** All rows, or, past `maxRows`, failing and warning rows first, then passing ones while room is left; in rule order. */
function selectRows(result: GateResult, maxRows: number): Selection {
  const all = result.rules.flatMap((rule) => rule.metrics.map((metric) => ({ rule, metric })));
  if (all.length <= maxRows) return { rows: all, hidden: 0, hiddenUrgent: 0 };
  const isUrgent = (r: Row) => r.metric.verdict === "fail" || r.metric.verdict === "warn";
  const urgent = all.filter(isUrgent);
  const chosen = new Set(urgent.slice(0, maxRows));
  for (const r of all) if (chosen.size < maxRows && !isUrgent(r)) chosen.add(r);
  const rows = all.filter((r) => chosen.has(r));
  return {
    rows,
    hidden: all.length - rows.length,
    hiddenUrgent: urgent.length - Math.min(urgent.length, maxRows),
  };
}

function hiddenNote(s: Selection): string {
  const urgent = s.hiddenUrgent > 0 ? ` (${s.hiddenUrgent} of them failing or warning)` : "";
  return `${plural(s.hidden, "more row")} not shown${urgent}.`;
}

function metricLabel(m: MetricResult): string {
  return m.file === undefined ? m.metric : `${m.file}:${m.metric}`;
}

function ruleLabel(r: RuleResult): string {
  return r.severity === "warn" ? `${r.id} (warn)` : r.id;
}

function cells(row: Row): string[] {
  const { rule, metric } = row;
  return [
    ruleLabel(rule),
    metricLabel(metric),
    formatGateValue(metric.head),
    formatGateValue(metric.baseline),
    rule.threshold.text,
    metric.verdict,
    metric.reason,
  ];
}

const HEADER = ["Rule", "Metric", "Value", "Baseline", "Threshold", "Verdict", "Reason"];

export interface GateMarkdownOptions {
  /** A heading line above the verdict, e.g. "### Gate"; none by default. */
  heading?: string;
  /** The most table rows; past it, passing rows are left out first. 100 by default. */
  maxRows?: number;
}

/**
 * The gate section of a report: the verdict line, where the policy and baseline came from, gate
 * problems, and the per-rule table. Every value from the repository is escaped.
 */
export function renderGateMarkdown(result: GateResult, options: GateMarkdownOptions = {}): string {
  const out: string[] = [];
  if (options.heading) out.push(options.heading, "");
  out.push(`${result.passed ? ICON.pass : ICON.fail} **${escapeMarkdown(gateVerdictLine(result))}**`);
  const about = aboutLine(result, codeSpan);
  if (about) out.push("", about);
  for (const p of result.problems) out.push("", `- ${escapeMarkdown(p)}`);
  const selection = selectRows(result, options.maxRows ?? 100);
  const { rows } = selection;
  if (rows.length > 0) {
    const body = rows.map((row) =>
      cells(row).map((c, i) => (i === 5 ? `${ICON[row.metric.verdict]} ${c}` : escapeMarkdown(c))),
    );
    out.push("", markdownTable([HEADER, ...body], { alignDelimiters: false }));
  }
  if (selection.hidden > 0) out.push("", escapeMarkdown(hiddenNote(selection)));
  return out.join("\n");
}

/** "Policy: .mlci/gates.yml at the base revision (abc1234). Baseline: base." */
function aboutLine(result: GateResult, code: (s: string) => string): string {
  const parts: string[] = [];
  const p = result.policy;
  if (p) {
    const where = p.source === "inline" ? "the inline policy" : code(p.path ?? "policy");
    const rev = p.rev === undefined ? "" : ` (${code(shortRev(p.rev))})`;
    const from =
      p.source === "base"
        ? ` from the base revision${rev}`
        : p.source === "head"
          ? ` from the head revision${rev}`
          : "";
    parts.push(`Policy: ${where}${from}${p.changed ? "; the pull request changes it" : ""}.`);
  }
  const usesBaseline = result.rules.some((r) => r.threshold.maxDrop || r.threshold.maxRise);
  if (usesBaseline) {
    parts.push(
      `Baseline: ${code(result.baseline.label)}${result.baseline.available ? "" : " (not available)"}.`,
    );
  }
  return parts.join(" ");
}

/** The same section for a terminal: the verdict, then aligned columns. */
export function renderGateText(result: GateResult, options: { maxRows?: number } = {}): string {
  const out = [gateVerdictLine(result)];
  const about = aboutLine(result, escapePlain);
  if (about) out.push(about);
  for (const p of result.problems) out.push(`  ${escapePlain(p)}`);
  const selection = selectRows(result, options.maxRows ?? Number.POSITIVE_INFINITY);
  const { rows } = selection;
  if (rows.length > 0) {
    const table = [
      HEADER.map((h) => h.toUpperCase()),
      ...rows.map((r) => cells(r).map((c, i) => (i === 5 ? c.toUpperCase() : escapePlain(c)))),
    ];
    const widths = HEADER.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length)));
    out.push("");
    for (const row of table) {
      const line = row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ");
      out.push(line.trimEnd());
    }
  }
  if (selection.hidden > 0) out.push(hiddenNote(selection));
  return out.join("\n");
}
