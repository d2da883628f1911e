/** The doctor's table for a terminal: one line per check, ✓ ! ✗ or -, hints under their line. */
import type { CheckStatus, DoctorReport } from "./types";

export const STATUS_MARK: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };

export function renderDoctor(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.label.length), 5) + 2;
  const pad = " ".repeat(width + 5);
  const lines = ["mlci doctor", ""];
  for (const c of report.checks) {
    const [first = "", ...rest] = c.detail.split("\n");
    lines.push(`  ${STATUS_MARK[c.status]}  ${c.label.padEnd(width)}${first}`);
    for (const more of rest) lines.push(`${pad}${more.trim()}`);
    if (c.hint && c.status !== "ok") lines.push(`${pad}hint: ${c.hint}`);
  }
  const failed = report.checks.filter((c) => c.status === "fail").length;
  const warned = report.checks.filter((c) => c.status === "warn").length;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  lines.push("");
  if (failed)
    lines.push(
      `${count(failed, "problem", "problems")} and ${count(warned, "warning", "warnings")}: see ✗ above.`,
    );
  else if (warned) lines.push(`Ready, with ${count(warned, "warning", "warnings")}.`);
  else lines.push("Ready.");
  lines.push("✓ ok   ! warning   ✗ problem (exit 1)   - not checked or not there");
  return lines.join("\n");
}
