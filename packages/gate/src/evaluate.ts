import { boundChecks, changeChecks, changeOf, formatAmount } from "./checks";
import { formatNumber } from "./format-number";
import {
  describeProblem,
  isGlob,
  lookupBaseline,
  type MetricEntry,
  type MetricSource,
  type MetricsInput,
  matchRule,
  toMetricSource,
} from "./metric-match";
import type { Direction, MetricValue } from "./metric-types";
import { formatBaselineSpec, needsBaseline, type Policy, type Rule } from "./policy";
import {
  type CheckResult,
  GATE_RESULT_VERSION,
  type GateFinding,
  type GateResult,
  type GateValue,
  type MetricResult,
  type PolicyProvenance,
  type RuleResult,
  type Threshold,
  type Verdict,
} from "./types";

export interface GateInput {
  /** The metrics being judged (the pull request's head, or the commit to deploy). */
  head: MetricsInput;
  /** The baseline's metrics; leave it out when none could be found (change rules then fail). */
  baseline?: MetricsInput;
  /** How reasons name the baseline; defaults to the policy's `baseline` (`base`, `registry:model#prod`). */
  baselineLabel?: string;
  /** The direction of a metric when the rule does not set one (the metrics package infers it). */
  directionOf: (key: string, file?: string) => Direction;
  /** Copied into the result so later jobs can check what was judged. */
  sha?: string;
  policySource?: PolicyProvenance;
}

/**
 * Judges metrics against a policy. Pure; fails closed: a value that is not a finite number, a
 * missing required metric, a glob that matches nothing, or a change rule without a baseline
 * value each fail their rule (or warn, for `severity: warn`), and a policy without rules fails
 * unless it says `allow_empty: true`.
 */
export function evaluateGate(policy: Policy, input: GateInput): GateResult {
  const head = toMetricSource(input.head);
  const baseline = input.baseline === undefined ? undefined : toMetricSource(input.baseline);
  const label = input.baselineLabel ?? formatBaselineSpec(policy.baseline);
  const ctx: RuleContext = { head, baseline, label, directionOf: input.directionOf };
  const rules = policy.rules.map((rule) => evaluateRule(rule, ctx));

  const problems: string[] = [];
  if (policy.rules.length === 0 && !policy.allowEmpty) {
    problems.push("the policy has no rules (set allow_empty: true to let an empty policy pass)");
  }
  const findings = (verdict: Verdict): GateFinding[] =>
    rules.flatMap((r) =>
      r.metrics
        .filter((m) => m.verdict === verdict)
        .map((m) => ({
          rule: r.index,
          id: r.id,
          metric: m.metric,
          ...(m.file === undefined ? {} : { file: m.file }),
          reason: m.reason,
        })),
    );
  const count = (v: Verdict) => rules.filter((r) => r.verdict === v).length;
  const result: GateResult = {
    version: GATE_RESULT_VERSION,
    passed: problems.length === 0 && rules.every((r) => r.verdict !== "fail"),
    baseline: { label, available: baseline !== undefined },
    counts: {
      rules: rules.length,
      passed: count("pass"),
      failed: count("fail"),
      warned: count("warn"),
      skipped: count("skip"),
    },
    rules,
    failedRules: findings("fail"),
    warnings: findings("warn"),
    problems,
  };
  if (input.sha !== undefined) result.sha = input.sha;
  if (input.policySource !== undefined) result.policy = { ...input.policySource };
  return result;
}

interface RuleContext {
  head: MetricSource;
  baseline: MetricSource | undefined;
  label: string;
  directionOf: (key: string, file?: string) => Direction;
}

const RANK: Record<Verdict, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

/** The worst verdict of a rule's rows; used by the result checks in result-json too. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (RANK[v] > RANK[w] ? v : w), "skip");
}

function evaluateRule(rule: Rule, ctx: RuleContext): RuleResult {
  const match = matchRule(rule, ctx.head);
  const metrics =
    match.entries.length > 0
      ? match.entries.map((e) => evaluateMetric(rule, e, ctx))
      : [missingRow(rule, ctx, match.problems.map(describeProblem))];
  const out: RuleResult = {
    index: rule.index,
    id: rule.id,
    metric: rule.metric,
    severity: rule.severity,
    required: rule.required,
    threshold: thresholdOf(rule),
    verdict: worstVerdict(metrics.map((m) => m.verdict)),
    metrics,
  };
  if (rule.file !== undefined) out.file = rule.file;
  return out;
}

export function thresholdOf(rule: Rule): Threshold {
  const parts: string[] = [];
  const t: Threshold = { text: "" };
  if (rule.min !== undefined) {
    t.min = rule.min;
    parts.push(`min ${formatNumber(rule.min)}`);
  }
  if (rule.max !== undefined) {
    t.max = rule.max;
    parts.push(`max ${formatNumber(rule.max)}`);
  }
  if (rule.maxDrop !== undefined) {
    t.maxDrop = rule.maxDrop;
    parts.push(`max_drop ${formatAmount(rule.maxDrop)}`);
  }
  if (rule.maxRise !== undefined) {
    t.maxRise = rule.maxRise;
    parts.push(`max_rise ${formatAmount(rule.maxRise)}`);
  }
  t.text = parts.length > 0 ? parts.join(", ") : "present";
  return t;
}

function violated(rule: Rule): Verdict {
  return rule.severity === "warn" ? "warn" : "fail";
}

function missingRow(rule: Rule, ctx: RuleContext, fileProblems: string[]): MetricResult {
  const what = rule.file === undefined ? rule.metric : `${rule.file}:${rule.metric}`;
  let reason = isGlob(what) ? `no metric matches ${what}` : `${what} is missing`;
  if (fileProblems.length > 0) reason += ` (${fileProblems.join("; ")})`;
  else if (rule.file !== undefined && !ctx.head.hasFiles)
    reason += " (the metrics were given without file names)";
  const row: MetricResult = { metric: rule.metric, matched: false, verdict: "skip", reason, checks: [] };
  if (rule.file !== undefined) row.file = rule.file;
  if (rule.required) {
    row.verdict = violated(rule);
    row.checks = [{ kind: "present", ok: false, reason }];
  } else {
    row.reason = `${reason}; not required`;
  }
  return row;
}

function evaluateMetric(rule: Rule, entry: MetricEntry, ctx: RuleContext): MetricResult {
  // Named as the policy names a metric in a file, `metrics.json:eval.acc`.
  const name = entry.file === undefined ? entry.key : `${entry.file}:${entry.key}`;
  const direction = rule.direction ?? ctx.directionOf(entry.key, entry.file);
  const row: MetricResult = {
    metric: entry.key,
    matched: true,
    head: toGateValue(entry.value),
    direction,
    verdict: "pass",
    reason: "",
    checks: [],
  };
  if (entry.file !== undefined) row.file = entry.file;

  const checks: CheckResult[] = [];
  const value = entry.value;
  if (!isFiniteNumber(value)) {
    checks.push({ kind: "present", ok: false, reason: `${name} ${notANumber(value)}` });
  } else {
    checks.push(...boundChecks(rule, name, value));
    if (needsBaseline(rule)) checks.push(...baselineChecks(rule, entry, name, value, direction, row, ctx));
    if (checks.length === 0) {
      checks.push({ kind: "present", ok: true, reason: `${name} is ${formatNumber(value)}` });
    }
  }
  const failing = checks.filter((c) => !c.ok);
  row.checks = checks;
  row.verdict = failing.length > 0 ? violated(rule) : "pass";
  row.reason = (failing.length > 0 ? failing : checks).map((c) => c.reason).join("; ");
  return row;
}

function baselineChecks(
  rule: Rule,
  entry: MetricEntry,
  name: string,
  head: number,
  direction: Direction,
  row: MetricResult,
  ctx: RuleContext,
): CheckResult[] {
  const kind = rule.maxDrop !== undefined ? "max_drop" : "max_rise";
  if (ctx.baseline === undefined) {
    return [
      { kind, ok: false, reason: `no baseline (${ctx.label}) to compare ${name} with; ${kind} needs one` },
    ];
  }
  const found = lookupBaseline(entry, ctx.baseline);
  if (!found.found) {
    const why = found.why === undefined ? "" : ` (${found.why})`;
    return [{ kind, ok: false, reason: `${name} has no value at ${ctx.label}${why}; ${kind} needs one` }];
  }
  row.baseline = toGateValue(found.value);
  if (!isFiniteNumber(found.value)) {
    return [{ kind, ok: false, reason: `${name} at ${ctx.label} ${notANumber(found.value)}` }];
  }
  row.change = changeOf(head, found.value);
  return changeChecks(rule, { name, head, baseline: found.value, direction, label: ctx.label });
}

function isFiniteNumber(v: MetricValue): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function notANumber(v: MetricValue): string {
  if (typeof v === "number") return `is ${String(v)}, not a finite number`;
  if (typeof v === "string") return `is the string ${JSON.stringify(truncate(v, 60))}, not a number`;
  if (typeof v === "boolean") return `is ${String(v)}, not a number`;
  return "is null, not a number";
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function toGateValue(v: MetricValue): GateValue {
  if (typeof v === "number" && !Number.isFinite(v)) {
    return { nonFinite: Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity" };
  }
  return v;
}
