import { describe, expect, it } from "vitest";
import { evaluateGate, type GateInput } from "./evaluate";
import type { MetricsInput } from "./metric-match";
import { parsePolicy } from "./policy";
import type { GateResult, MetricResult } from "./types";

const byName: GateInput["directionOf"] = (key) => (/loss|error|latency/.test(key) ? "lower" : "higher");

/** A policy from rules written as YAML flow maps, e.g. `{metric: acc, min: 0.8}`. */
function policy(...rules: string[]) {
  return parsePolicy(`version: 1\nrules:\n${rules.map((r) => `  - ${r}`).join("\n")}\n`, ".mlci/gates.yml");
}

function gate(rules: string[], head: MetricsInput, baseline?: MetricsInput): GateResult {
  const input: GateInput = { head, directionOf: byName };
  if (baseline !== undefined) input.baseline = baseline;
  return evaluateGate(policy(...rules), input);
}

/** The only row of the only rule. */
function row(result: GateResult): MetricResult {
  expect(result.rules).toHaveLength(1);
  expect(result.rules[0]?.metrics).toHaveLength(1);
  return result.rules[0]!.metrics[0]!;
}

describe("absolute bounds", () => {
  it("min: below fails, equal passes", () => {
    const low = gate(["{metric: eval.accuracy, min: 0.85}"], { "eval.accuracy": 0.83 });
    expect(low.passed).toBe(false);
    expect(row(low)).toMatchObject({ verdict: "fail", head: 0.83 });
    expect(row(low).reason).toBe("eval.accuracy 0.83 is below the minimum 0.85");
    expect(low.failedRules).toEqual([
      {
        rule: 0,
        id: "rule 1",
        metric: "eval.accuracy",
        reason: "eval.accuracy 0.83 is below the minimum 0.85",
      },
    ]);
    expect(gate(["{metric: eval.accuracy, min: 0.85}"], { "eval.accuracy": 0.85 }).passed).toBe(true);
  });

  it("max: above fails, below passes", () => {
    const high = gate(["{metric: eval.loss, max: 0.5}"], { "eval.loss": 0.62 });
    expect(row(high).reason).toBe("eval.loss 0.62 is above the maximum 0.5");
    expect(high.passed).toBe(false);
    expect(gate(["{metric: eval.loss, max: 0.5}"], { "eval.loss": 0.4 }).passed).toBe(true);
  });

  it("never rounds two different numbers to the same text", () => {
    const r = gate(["{metric: acc, min: 0.85}"], { acc: 0.849999 });
    expect(row(r).reason).toBe("acc 0.849999 is below the minimum 0.85");
  });
});

describe("change against the baseline", () => {
  it("max_drop, absolute, higher is better (the example from the design)", () => {
    const r = gate(["{metric: eval.f1, max_drop: 0.01}"], { "eval.f1": 0.868 }, { "eval.f1": 0.892 });
    expect(r.passed).toBe(false);
    expect(row(r)).toMatchObject({ head: 0.868, baseline: 0.892, direction: "higher", verdict: "fail" });
    expect(row(r).reason).toBe(
      "eval.f1 dropped 0.024 (2.7%) from 0.892 at base; a worsening of at most 0.01 allowed",
    );
    expect(row(r).change?.abs).toBeCloseTo(-0.024);
  });

  it("max_drop passes a drop within the limit, one exactly at it, and any improvement", () => {
    const rule = ["{metric: eval.f1, max_drop: 0.01}"];
    expect(gate(rule, { "eval.f1": 0.885 }, { "eval.f1": 0.892 }).passed).toBe(true);
    // 0.85 - 0.84 is 0.010000000000000009 in floating point: at the limit, not over it.
    expect(gate(rule, { "eval.f1": 0.84 }, { "eval.f1": 0.85 }).passed).toBe(true);
    const up = gate(rule, { "eval.f1": 0.95 }, { "eval.f1": 0.892 });
    expect(up.passed).toBe(true);
    expect(row(up).reason).toBe("eval.f1 rose 0.058 (6.5%) from 0.892 at base; no worsening");
  });

  it("max_drop for lower-is-better metrics limits a rise in value", () => {
    const rule = ['{metric: eval.loss, max_drop: "5%"}'];
    const worse = gate(rule, { "eval.loss": 0.53 }, { "eval.loss": 0.5 });
    expect(worse.passed).toBe(false);
    expect(row(worse).reason).toBe(
      "eval.loss rose 0.03 (6%) from 0.5 at base, worse as lower is better; a worsening of at most 5% allowed",
    );
    const better = gate(rule, { "eval.loss": 0.3 }, { "eval.loss": 0.5 });
    expect(better.passed).toBe(true);
    expect(gate(rule, { "eval.loss": 0.52 }, { "eval.loss": 0.5 }).passed).toBe(true);
  });

  it("max_drop as a percentage of |baseline|", () => {
    const rule = ['{metric: acc, max_drop: "2%"}'];
    expect(gate(rule, { acc: 0.883 }, { acc: 0.9 }).passed).toBe(true); // 0.017 / 0.9 = 1.9%
    const over = gate(rule, { acc: 0.88 }, { acc: 0.9 }); // 0.02 / 0.9 = 2.2%
    expect(over.passed).toBe(false);
    expect(row(over).reason).toBe(
      "acc dropped 0.02 (2.2%) from 0.9 at base; a worsening of at most 2% allowed",
    );
    // Against a negative baseline the percentage is of its magnitude.
    expect(gate(rule, { acc: -1.03 }, { acc: -1 }).passed).toBe(false);
    expect(gate(rule, { acc: -1.01 }, { acc: -1 }).passed).toBe(true);
  });

  it("max_rise limits an improvement (a too-good-to-be-true jump), in the metric's direction", () => {
    const acc = ["{metric: eval.acc, max_rise: 0.05}"];
    const jump = gate(acc, { "eval.acc": 0.99 }, { "eval.acc": 0.8 });
    expect(jump.passed).toBe(false);
    expect(row(jump).reason).toBe(
      "eval.acc rose 0.19 (24%) from 0.8 at base; an improvement of at most 0.05 allowed",
    );
    expect(gate(acc, { "eval.acc": 0.5 }, { "eval.acc": 0.8 }).passed).toBe(true);

    const loss = ['{metric: eval.loss, max_rise: "10%"}'];
    const fell = gate(loss, { "eval.loss": 0.2 }, { "eval.loss": 0.5 });
    expect(fell.passed).toBe(false);
    expect(row(fell).reason).toContain("dropped 0.3 (60%) from 0.5 at base, better as lower is better");
    expect(gate(loss, { "eval.loss": 0.9 }, { "eval.loss": 0.5 }).passed).toBe(true);
  });

  it("the rule's direction overrides the inferred one", () => {
    const r = gate(
      ["{metric: eval.error_budget, max_drop: 0.1, direction: higher}"],
      { "eval.error_budget": 0.5 },
      { "eval.error_budget": 0.8 },
    );
    expect(row(r).direction).toBe("higher");
    expect(r.passed).toBe(false);
  });

  it("a percentage limit cannot judge a worsening from a baseline of 0, and fails", () => {
    const r = gate(['{metric: errors, max_drop: "5%"}'], { errors: 2 }, { errors: 0 });
    expect(r.passed).toBe(false);
    expect(row(r).reason).toContain("cannot apply to a baseline of 0");
    expect(gate(['{metric: errors, max_drop: "5%"}'], { errors: 0 }, { errors: 0 }).passed).toBe(true);
  });

  it("uses the baseline label in reasons", () => {
    const r = evaluateGate(policy("{metric: acc, max_drop: 0.01}"), {
      head: { acc: 0.5 },
      baseline: { acc: 0.9 },
      baselineLabel: "registry:model#prod (v1.2.0)",
      directionOf: byName,
    });
    expect(row(r).reason).toContain("from 0.9 at registry:model#prod (v1.2.0)");
    expect(r.baseline).toEqual({ label: "registry:model#prod (v1.2.0)", available: true });
  });
});

describe("globs", () => {
  it("match every key, each judged on its own row", () => {
    const r = gate(['{metric: "eval.*_loss", max: 0.5}'], {
      "eval.train_loss": 0.2,
      "eval.val_loss": 0.7,
      "eval.accuracy": 0.9,
    });
    expect(r.rules[0]?.metrics.map((m) => [m.metric, m.verdict])).toEqual([
      ["eval.train_loss", "pass"],
      ["eval.val_loss", "fail"],
    ]);
    expect(r.rules[0]?.verdict).toBe("fail");
    expect(r.counts).toMatchObject({ rules: 1, failed: 1 });
  });

  it("a glob that matches nothing fails when required, is skipped when not", () => {
    const none = gate(['{metric: "test.*"}'], { "eval.acc": 1 });
    expect(none.passed).toBe(false);
    expect(row(none)).toMatchObject({ matched: false, verdict: "fail", reason: "no metric matches test.*" });
    const optional = gate(['{metric: "test.*", required: false}'], { "eval.acc": 1 });
    expect(optional.passed).toBe(true);
    expect(row(optional).verdict).toBe("skip");
    expect(optional.counts.skipped).toBe(1);
  });
});

describe("files", () => {
  const head = [
    { path: "metrics.json", values: { "eval.acc": 0.9 } },
    { path: "reports/eval.json", values: { "eval.acc": 0.7 } },
  ];

  it("a path-qualified rule reads only that file; an unqualified one every file", () => {
    const one = gate(['{metric: "reports/eval.json:eval.acc", min: 0.8}'], head);
    expect(row(one)).toMatchObject({ file: "reports/eval.json", verdict: "fail" });
    expect(row(one).reason).toBe("reports/eval.json:eval.acc 0.7 is below the minimum 0.8");
    const all = gate(["{metric: eval.acc, min: 0.8}"], head);
    expect(all.rules[0]?.metrics.map((m) => [m.file, m.verdict])).toEqual([
      ["metrics.json", "pass"],
      ["reports/eval.json", "fail"],
    ]);
  });

  it("pairs the baseline by file (and by the metrics package's id for MLflow runs)", () => {
    const base = [
      { path: "metrics.json", values: { "eval.acc": 0.9 } },
      { path: "reports/eval.json", values: { "eval.acc": 0.72 } },
    ];
    const r = gate(["{metric: eval.acc, max_drop: 0.01}"], head, base);
    expect(r.rules[0]?.metrics.map((m) => [m.file, m.baseline, m.verdict])).toEqual([
      ["metrics.json", 0.9, "pass"],
      ["reports/eval.json", 0.72, "fail"],
    ]);
    const runs = gate(
      ["{metric: acc, max_drop: 0.01}"],
      [{ path: "mlruns/1/bbb", id: "mlflow:1", values: { acc: 0.9 } }],
      [{ path: "mlruns/1/aaa", id: "mlflow:1", values: { acc: 0.95 } }],
    );
    expect(row(runs)).toMatchObject({ baseline: 0.95, verdict: "fail" });
  });

  it("a missing metrics file fails a required metric, naming the file and the key", () => {
    const r = gate(
      ['{metric: "metrics.json:eval.acc", min: 0.8}'],
      [{ path: "metrics.json", values: {}, problem: { kind: "missing", message: "not in abc1234" } }],
    );
    expect(r.passed).toBe(false);
    expect(row(r).reason).toBe("metrics.json:eval.acc is missing (metrics.json is missing: not in abc1234)");
  });

  it("a rule that names a file cannot match metrics given without file names, and says so", () => {
    const r = gate(['{metric: "metrics.json:acc", min: 0}'], { acc: 1 });
    expect(r.passed).toBe(false);
    expect(row(r).reason).toBe("metrics.json:acc is missing (the metrics were given without file names)");
  });

  it("a file glob with a key glob", () => {
    const r = gate(
      ['{metric: "**/eval-*.json:*.acc", min: 0.8}'],
      [
        { path: "reports/eval-a.json", values: { "test.acc": 0.9 } },
        { path: "reports/eval-b.json", values: { "test.acc": 0.7 } },
        { path: "reports/train.json", values: { "test.acc": 0.1 } },
      ],
    );
    expect(r.rules[0]?.metrics.map((m) => [m.file, m.verdict])).toEqual([
      ["reports/eval-a.json", "pass"],
      ["reports/eval-b.json", "fail"],
    ]);
  });

  it("a missing baseline file fails a change rule, naming the file", () => {
    const r = gate(
      ["{metric: eval.acc, max_drop: 0.01}"],
      [{ path: "metrics.json", values: { "eval.acc": 0.9 } }],
      [{ path: "metrics.json", values: {}, problem: { kind: "parse-error", message: "line 3: bad JSON" } }],
    );
    expect(r.passed).toBe(false);
    expect(row(r).reason).toBe(
      "metrics.json:eval.acc has no value at base (metrics.json could not be parsed: line 3: bad JSON); max_drop needs one",
    );
  });
});

describe("fails closed", () => {
  it.each([
    [Number.NaN, "acc is NaN, not a finite number", { nonFinite: "NaN" }],
    [Number.POSITIVE_INFINITY, "acc is Infinity, not a finite number", { nonFinite: "Infinity" }],
    [Number.NEGATIVE_INFINITY, "acc is -Infinity, not a finite number", { nonFinite: "-Infinity" }],
    ["0.93", 'acc is the string "0.93", not a number', "0.93"],
    [true, "acc is true, not a number", true],
    [null, "acc is null, not a number", null],
  ])("on %s", (value, reason, shown) => {
    const r = gate(["{metric: acc, min: 0}"], { acc: value });
    expect(r.passed).toBe(false);
    expect(row(r)).toMatchObject({ verdict: "fail", reason, head: shown });
  });

  it("on a non-numeric value even when the rule has no limits or is not required", () => {
    expect(gate(["{metric: acc}"], { acc: Number.NaN }).passed).toBe(false);
    expect(gate(["{metric: acc, required: false}"], { acc: "n/a" }).passed).toBe(false);
    expect(gate(["{metric: acc}"], { acc: 0.5 }).passed).toBe(true);
  });

  it("on a missing metric when required (the default), not when `required: false`", () => {
    const r = gate(["{metric: eval.acc, min: 0.8}"], { "eval.f1": 0.9 });
    expect(r.passed).toBe(false);
    expect(row(r).reason).toBe("eval.acc is missing");
    const optional = gate(["{metric: eval.acc, min: 0.8, required: false}"], { "eval.f1": 0.9 });
    expect(optional.passed).toBe(true);
    expect(row(optional)).toMatchObject({ verdict: "skip", reason: "eval.acc is missing; not required" });
  });

  it("on a change rule without a baseline, and on a baseline without the key", () => {
    const none = gate(["{metric: acc, min: 0.5, max_drop: 0.01}"], { acc: 0.9 });
    expect(none.passed).toBe(false);
    expect(none.baseline.available).toBe(false);
    expect(row(none).reason).toBe("no baseline (base) to compare acc with; max_drop needs one");
    expect(row(none).checks.map((c) => [c.kind, c.ok])).toEqual([
      ["min", true],
      ["max_drop", false],
    ]);
    const missing = gate(["{metric: acc, max_rise: 0.2}"], { acc: 0.9 }, { f1: 0.9 });
    expect(row(missing).reason).toBe("acc has no value at base; max_rise needs one");
    expect(missing.passed).toBe(false);
  });

  it("on a baseline value that is not a number", () => {
    const r = gate(["{metric: acc, max_drop: 0.01}"], { acc: 0.9 }, { acc: Number.NaN });
    expect(r.passed).toBe(false);
    expect(row(r)).toMatchObject({
      baseline: { nonFinite: "NaN" },
      reason: "acc at base is NaN, not a finite number",
    });
  });

  it("on a policy with no rules, unless it allows that", () => {
    const empty = evaluateGate(parsePolicy("version: 1\nrules: []\n", "g.yml"), {
      head: {},
      directionOf: byName,
    });
    expect(empty.passed).toBe(false);
    expect(empty.problems).toEqual([
      "the policy has no rules (set allow_empty: true to let an empty policy pass)",
    ]);
    const allowed = evaluateGate(parsePolicy("version: 1\nallow_empty: true\nrules: []\n", "g.yml"), {
      head: {},
      directionOf: byName,
    });
    expect(allowed.passed).toBe(true);
  });
});

describe("severity", () => {
  it("warn rules report but never fail the gate, even on fail-closed cases", () => {
    const r = gate(
      [
        "{metric: acc, min: 0.9, severity: warn}",
        "{metric: missing, severity: warn}",
        "{metric: f1, min: 0.5}",
      ],
      { acc: 0.8, f1: 0.7 },
    );
    expect(r.passed).toBe(true);
    expect(r.rules.map((x) => x.verdict)).toEqual(["warn", "warn", "pass"]);
    expect(r.warnings.map((w) => w.reason)).toEqual([
      "acc 0.8 is below the minimum 0.9",
      "missing is missing",
    ]);
    expect(r.failedRules).toEqual([]);
    expect(r.counts).toEqual({ rules: 3, passed: 1, failed: 0, warned: 2, skipped: 0 });
  });

  it("error rules fail it", () => {
    const r = gate(["{metric: acc, min: 0.9, severity: error}"], { acc: 0.8 });
    expect(r.passed).toBe(false);
    expect(r.warnings).toEqual([]);
  });
});

it("copies the commit and the policy's provenance into the result", () => {
  const r = evaluateGate(policy("{metric: acc, min: 0}"), {
    head: { acc: 1 },
    directionOf: byName,
    sha: "a".repeat(40),
    policySource: { source: "base", path: ".mlci/gates.yml", rev: "b".repeat(40), changed: true },
  });
  expect(r).toMatchObject({
    version: 1,
    passed: true,
    sha: "a".repeat(40),
    policy: { source: "base", changed: true },
  });
});
