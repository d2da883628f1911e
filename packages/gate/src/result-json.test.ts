import { MlciError } from "@mlci/common";
import { describe, expect, it } from "vitest";
import { evaluateGate } from "./evaluate";
import { parsePolicy } from "./policy";
import { parseGateResult, requirePassingGate, serializeGateResult } from "./result-json";
import type { GateResult } from "./types";

const SHA = "2222222222222222222222222222222222222222";

function result(head: Record<string, number>): GateResult {
  const policy = parsePolicy(
    "version: 1\nrules:\n  - {metric: acc, min: 0.8}\n  - {metric: f1, max_drop: 0.01, severity: warn}\n",
    ".mlci/gates.yml",
  );
  return evaluateGate(policy, {
    head,
    baseline: { acc: 0.9, f1: Number.NaN },
    directionOf: () => "higher",
    sha: SHA,
    policySource: { source: "base", path: ".mlci/gates.yml", rev: "1".repeat(40), changed: false },
  });
}

function inputError(fn: () => unknown): MlciError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MlciError);
    return e as MlciError;
  }
  throw new Error("expected an MlciError");
}

describe("gate result JSON", () => {
  it("round-trips, non-finite numbers included", () => {
    const r = result({ acc: 0.85, f1: Number.POSITIVE_INFINITY });
    const text = serializeGateResult(r);
    expect(text).not.toContain("\n");
    expect(parseGateResult(text)).toEqual(r);
    expect(r.rules[1]?.metrics[0]?.head).toEqual({ nonFinite: "Infinity" });
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["another version", JSON.stringify({ version: 2, passed: true }), /version 2/],
    [
      "a string for passed",
      (t: string) => t.replace('"passed":true', '"passed":"true"'),
      /malformed at passed/,
    ],
    [
      "an unknown field",
      (t: string) => t.replace('"passed":true', '"passed":true,"override":true'),
      /malformed/,
    ],
    ["a missing field", (t: string) => t.replace(/"counts":\{[^}]*\},/, ""), /malformed at counts/],
    ["null", "null", /malformed/],
  ])("rejects %s", (_, make, message) => {
    const good = serializeGateResult(result({ acc: 0.85, f1: 1 }));
    const text = typeof make === "string" ? make : make(good);
    const err = inputError(() => parseGateResult(text));
    expect(err.code).toBe("INPUT");
    expect(err.message).toMatch(message);
  });

  it("rejects a result whose verdict was flipped without its rules", () => {
    const failed = serializeGateResult(result({ acc: 0.5, f1: 1 }));
    const flipped = failed.replace('"passed":false', '"passed":true');
    expect(inputError(() => parseGateResult(flipped)).message).toContain("inconsistent");
    const ruleFlipped = failed.replace('"verdict":"fail"', '"verdict":"pass"');
    expect(inputError(() => parseGateResult(ruleFlipped)).message).toContain("inconsistent");
  });
});

describe("requirePassingGate", () => {
  it("returns a passing result for the expected commit", () => {
    const text = serializeGateResult(result({ acc: 0.85, f1: 1 }));
    expect(requirePassingGate(text, { sha: SHA }).passed).toBe(true);
  });

  it("refuses a failing result, saying why", () => {
    const err = inputError(() => requirePassingGate(serializeGateResult(result({ acc: 0.5, f1: 1 }))));
    expect(err.code).toBe("FAILED");
    expect(err.message).toContain("acc 0.5 is below the minimum 0.8");
  });

  it("refuses a result for another commit, or one that names none", () => {
    const text = serializeGateResult(result({ acc: 0.85, f1: 1 }));
    expect(inputError(() => requirePassingGate(text, { sha: "3".repeat(40) })).message).toContain("not 3333");
    const { sha: _, ...anonymous } = result({ acc: 0.85, f1: 1 });
    expect(inputError(() => requirePassingGate(JSON.stringify(anonymous), { sha: SHA })).message).toContain(
      "names no commit",
    );
  });
});
