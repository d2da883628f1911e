import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateGate, parsePolicy, serializeGateResult } from "@mlci/gate";
import { describe, expect, it } from "vitest";
import { gateReportSection } from "./report-section";

const dir = mkdtempSync(join(tmpdir(), "mlci-gate-section-"));
const policy = parsePolicy("version: 1\nrules:\n  - metric: eval.acc\n    min: 0.9\n", ".mlci/gates.yml");

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("gateReportSection", () => {
  it("renders a gate result as a kept section", async () => {
    const result = evaluateGate(policy, {
      head: { "eval.acc": 0.8 },
      directionOf: () => "higher",
      policySource: { source: "base", path: ".mlci/gates.yml", rev: "a".repeat(40), changed: true },
    });
    const { section, error } = await gateReportSection(file("fail.json", serializeGateResult(result)));
    expect(error).toBeUndefined();
    expect(section).toMatchObject({ id: "gate", title: "Gate", keep: true });
    expect(section.markdown).toContain("❌ **Gate failed: 1 of 1 rule**");
    expect(section.markdown).toContain("from the base revision (`aaaaaaa`); the pull request changes it");
  });

  it("fails closed on a missing, malformed or inconsistent result", async () => {
    const missing = await gateReportSection(join(dir, "nope.json"));
    expect(missing.section.markdown).toMatch(
      /^❌ \*\*The gate result is unavailable\*\*: .*nope\.json does not exist/,
    );
    expect(missing.error).toMatchObject({ code: "NOT_FOUND" });

    const malformed = await gateReportSection(file("bad.json", "{not json"));
    expect(malformed.section.markdown).toContain("The gate result is unavailable");
    expect(malformed.error).toMatchObject({ code: "INPUT" });

    const result = evaluateGate(policy, { head: { "eval.acc": 0.8 }, directionOf: () => "higher" });
    const forged = await gateReportSection(file("forged.json", JSON.stringify({ ...result, passed: true })));
    expect(forged.error?.message).toMatch(/inconsistent: passed is true but 1 rules fail/);
    expect(forged.section.markdown).not.toContain("Gate passed");
  });
});
