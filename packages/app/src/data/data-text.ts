import type { ColumnDrift, DriftReport, Profile, RuleResult } from "@mlci/data";
import { formatCount, formatNumber, plainNumber } from "@mlci/report";
import type { DataResult } from "./data-result";

/**
 * Plain-text renderings for the terminal (`mlci validate`, `mlci drift`, `mlci profile`). Text
 * from the data has control characters replaced, so a file cannot move the cursor or recolour
 * the terminal.
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function clean(text: string, max = 80): string {
  const one = text.replace(CONTROL, "?");
  const points = Array.from(one);
  return points.length > max ? `${points.slice(0, max - 1).join("")}…` : one;
}

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;
const pct = (x: number): string => `${plainNumber(x * 100, 3)}%`;

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Array.from(c).length);
    });
  }
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - Array.from(c).length)))
      .join("  ")
      .trimEnd(),
  );
}

function ruleLines(r: RuleResult, examples: number): string[] {
  const out = r.examples.slice(0, examples).map((e) => {
    const value = e.value === undefined ? "" : `  value ${JSON.stringify(clean(e.value))}`;
    const msg = e.message === undefined ? "" : `  ${clean(e.message.replace(/`/g, ""), 120)}`;
    return `      ${clean(e.file, 200)}:${e.line}${value}${msg}`;
  });
  const more = r.failing - out.length;
  if (more > 0 && examples > 0) out.push(`      … ${plural(more, "more row")}`);
  return out;
}

/** The check verdict and the failing rules with a few example rows each. */
export function renderCheckText(r: DataResult, examples = 5): string {
  const { errors, warnings } = r.check;
  const facts = `${plural(r.data.rows, "row")}, ${plural(r.data.columns, "column")}, ${plural(r.data.files.length, "file")}`;
  const schema = r.schema
    ? `${plural(r.check.results.length, "rule")} of ${clean(r.schema.path, 200)}`
    : "no schema: only malformed rows checked";
  const verdict =
    errors > 0
      ? `Data check failed: ${plural(errors, "error")}${warnings ? `, ${plural(warnings, "warning")}` : ""}`
      : warnings > 0
        ? `Data check passed with ${plural(warnings, "warning")}`
        : "Data check passed";
  const lines = [`${verdict} (${schema}; ${facts})`];
  const failed = r.check.results
    .filter((x) => !x.passed)
    .sort((a, b) => Number(a.severity === "warn") - Number(b.severity === "warn"));
  for (const f of failed) {
    lines.push(
      `  ${f.severity === "error" ? "error" : "warn "} ${f.rule}: ${clean(f.message.replace(/`/g, ""), 200)}`,
      ...ruleLines(f, examples),
    );
  }
  return lines.join("\n");
}

const isTest = (c: ColumnDrift): boolean => c.method === "ks" || c.method === "chisquare" || c.method === "z";

/** The drift verdict and one line per column. */
export function renderDriftText(d: DriftReport, reference?: string): string {
  const n = d.columns.filter((c) => c.drifted).length;
  const against = reference ? ` against ${clean(reference, 200)}` : "";
  const head = d.drifted
    ? `Data drift: ${n} of ${plural(d.columns.length, "column")} drifted (${pct(d.driftShare)}, at least ${pct(d.driftShareThreshold)})${against}`
    : `No data set drift: ${n} of ${plural(d.columns.length, "column")} drifted (${pct(d.driftShare)}, under ${pct(d.driftShareThreshold)})${against}`;
  const rows = [...d.columns]
    .sort((a, b) => Number(b.drifted) - Number(a.drifted))
    .map((c) => [
      c.drifted ? "drift" : "ok",
      clean(c.column, 60),
      c.method,
      `${c.exact ? "" : "~"}${isTest(c) ? `p=${plainNumber(c.score, 3)}` : plainNumber(c.score, 3)}`,
      isTest(c) ? `(p < ${c.threshold})` : `(>= ${c.threshold})`,
      `psi ${plainNumber(c.psi, 3)}`,
    ]);
  const skipped = d.skipped.map((s) => `  skip  ${clean(s.column, 60)}: ${clean(s.reason, 120)}`);
  return [head, ...table(rows).map((l) => `  ${l}`), ...skipped].join("\n");
}

/** One line per column of a profile. */
export function renderProfileText(p: Profile): string {
  const ds = p.dataset;
  const head = `${plural(ds.rows, "row")}, ${plural(ds.columns, "column")}, ${plural(ds.files.length, "file")}${ds.malformedRows ? `, ${plural(ds.malformedRows, "malformed row")}` : ""}`;
  const value = (v: number | string | null): string =>
    v === null ? "-" : typeof v === "number" ? formatNumber(v) : clean(v, 24);
  const rows = [
    ["column", "type", "nulls", "distinct", "min", "max", "mean", "std"],
    ...p.columns.map((c) => [
      clean(c.name, 40),
      c.type,
      pct(c.nullFraction),
      `${c.distinctExact ? "" : "~"}${formatCount(c.distinct)}`,
      value(c.min),
      value(c.max),
      value(c.mean),
      value(c.std),
    ]),
  ];
  return [head, ...table(rows).map((l) => `  ${l}`)].join("\n");
}
