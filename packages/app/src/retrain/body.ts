import { codeSpan, escapeText, formatNumber } from "@mlci/report";
import type { RetrainDecision } from "./decide";

/** The retraining pull request's title. */
export function retrainTitle(decision: RetrainDecision | undefined, date: string): string {
  if (!decision) return `Retrain the model (${date})`;
  return decision.drifted ? `Retrain the model: data drift (${date})` : `Retrain the model (${date})`;
}

/**
 * The pull request's description: why it was opened and the per-column drift table. Every
 * column name comes from data, so it is escaped.
 */
export function renderRetrainBody(decision: RetrainDecision | undefined, files: readonly string[]): string {
  const lines = ["## Scheduled retraining", ""];
  if (decision) {
    const ref = decision.reference;
    const from = ref.version
      ? `${codeSpan(ref.spec, { context: "prose" })} (${escapeText(ref.version)})`
      : codeSpan(ref.spec, { context: "prose" });
    lines.push(`${escapeText(decision.reason, { maxLength: 400 })}.`, "");
    lines.push(`Fresh data: ${decision.current.rows} rows; reference ${from}: ${ref.rows} rows.`, "");
    const shown = [...decision.columns].sort((a, b) => Number(b.drifted) - Number(a.drifted));
    if (shown.length) {
      lines.push("| Column | Test | Score | Threshold | PSI | Drift |", "| :- | :- | -: | -: | -: | :-: |");
      for (const c of shown.slice(0, 50)) {
        lines.push(
          `| ${codeSpan(c.column)} | ${c.method} | ${formatNumber(c.score)} | ${formatNumber(c.threshold)} | ${formatNumber(c.psi)} | ${c.drifted ? "🔴" : "⚪"} |`,
        );
      }
      if (shown.length > 50) lines.push("", `<sub>${shown.length - 50} more columns not shown.</sub>`);
      lines.push("");
    }
  }
  lines.push(
    "Files updated by the retraining run:",
    "",
    ...files.map((f) => `- ${codeSpan(f, { context: "prose" })}`),
    "",
    "<sub>Opened by `mlci retrain open-pr`. The pull request workflow trains, reports and gates it like any other change.</sub>",
  );
  return `${lines.join("\n")}\n`;
}
