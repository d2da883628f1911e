import type { Direction } from "./metric-types";
import type { Amount, Severity } from "./policy";

export const GATE_RESULT_VERSION = 1;

/**
 * pass: within the limits. fail: a violation of an `error` rule (fails the gate).
 * warn: a violation of a `warn` rule (reported only). skip: a metric that is missing where the
 * rule says `required: false`.
 */
export type Verdict = "pass" | "fail" | "warn" | "skip";

/** A value as the gate saw it. Non-finite numbers are tagged, since JSON cannot carry them. */
export type GateValue = number | string | boolean | null | { nonFinite: "NaN" | "Infinity" | "-Infinity" };

export type CheckKind = "min" | "max" | "max_drop" | "max_rise" | "present";

export interface CheckResult {
  kind: CheckKind;
  ok: boolean;
  reason: string;
}

/** One metric a rule matched (or, when `matched` is false, the metric or glob it could not find). */
export interface MetricResult {
  /** The flattened key; the rule's pattern when nothing matched. */
  metric: string;
  /** The metrics file the value came from, when known. */
  file?: string;
  matched: boolean;
  /** Absent when the metric is missing at head. */
  head?: GateValue;
  /** Absent when the rule needs no baseline or none was found. */
  baseline?: GateValue;
  direction?: Direction;
  /** head - baseline, and that over |baseline| (absent when the baseline is 0). */
  change?: { abs: number; rel?: number };
  verdict: Verdict;
  /** One line a reviewer understands; names the key and, when known, the file. */
  reason: string;
  checks: CheckResult[];
}

/** The limits of a rule, structured and as text (`min 0.85, max_drop 5%`). */
export interface Threshold {
  min?: number;
  max?: number;
  maxDrop?: Amount;
  maxRise?: Amount;
  text: string;
}

export interface RuleResult {
  index: number;
  id: string;
  /** The rule's key or glob, as written (without the file qualifier). */
  metric: string;
  file?: string;
  severity: Severity;
  required: boolean;
  threshold: Threshold;
  /** The worst verdict over its metrics: fail, then warn, then pass, then skip. */
  verdict: Verdict;
  metrics: MetricResult[];
}

/** A failing or warning row, flattened for action outputs and logs. */
export interface GateFinding {
  rule: number;
  id: string;
  metric: string;
  file?: string;
  reason: string;
}

/** Where the applied policy came from; copied into the result so later jobs can show it. */
export interface PolicyProvenance {
  source: "base" | "head" | "inline" | "file";
  path?: string;
  /** The revision the policy file was read at. */
  rev?: string;
  /** true when the pull request changes the policy file. */
  changed?: boolean;
}

export interface GateResult {
  version: typeof GATE_RESULT_VERSION;
  passed: boolean;
  /** The commit whose metrics were judged, when the caller knows it. */
  sha?: string;
  policy?: PolicyProvenance;
  /** What change rules compared against, and whether its values were given. */
  baseline: { label: string; available: boolean };
  counts: { rules: number; passed: number; failed: number; warned: number; skipped: number };
  rules: RuleResult[];
  failedRules: GateFinding[];
  warnings: GateFinding[];
  /** Gate-level failures that belong to no rule, e.g. "the policy has no rules". */
  problems: string[];
}
