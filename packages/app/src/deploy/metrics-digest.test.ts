import { evaluateGate, parsePolicy } from "@mlci/gate";
import { describe, expect, it } from "vitest";
import { metricsDigest } from "./metrics-digest";

const policy = (rules: string) => parsePolicy(`version: 1\nrules:\n${rules}`, "gates.yml");
const A = "  - metric: eval.acc\n    min: 0.5\n";
const B = "  - metric: eval.f1\n    min: 0.5\n";
const judge = (rules: string, values: Record<string, number>) =>
  evaluateGate(policy(rules), { head: values, directionOf: () => "higher" });

describe("metricsDigest", () => {
  it("depends on the judged values, not on the rule order", () => {
    const one = metricsDigest(judge(A + B, { "eval.acc": 0.9, "eval.f1": 0.8 }));
    expect(one).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(metricsDigest(judge(B + A, { "eval.acc": 0.9, "eval.f1": 0.8 }))).toBe(one);
    expect(metricsDigest(judge(A + B, { "eval.acc": 0.91, "eval.f1": 0.8 }))).not.toBe(one);
  });
});
