import { MlciError } from "@mlci/common";
import { z } from "zod";
import { worstVerdict } from "./evaluate";
import { GATE_RESULT_VERSION, type GateResult } from "./types";

/**
 * The gate result as JSON: what the gate action writes to its `result-json` output and the
 * deploy action reads back. Described in the package README ("Gate result JSON").
 */

const verdict = z.enum(["pass", "fail", "warn", "skip"]);
const gateValue = z.union([
  z.number(),
  z.string(),
  z.boolean(),
  z.null(),
  z.strictObject({ nonFinite: z.enum(["NaN", "Infinity", "-Infinity"]) }),
]);
const amount = z.union([
  z.strictObject({ kind: z.literal("absolute"), value: z.number() }),
  z.strictObject({ kind: z.literal("relative"), percent: z.number() }),
]);
const finding = z.strictObject({
  rule: z.number().int().nonnegative(),
  id: z.string(),
  metric: z.string(),
  file: z.string().optional(),
  reason: z.string(),
});
const metricResult = z.strictObject({
  metric: z.string(),
  file: z.string().optional(),
  matched: z.boolean(),
  head: gateValue.optional(),
  baseline: gateValue.optional(),
  direction: z.enum(["higher", "lower"]).optional(),
  change: z.strictObject({ abs: z.number(), rel: z.number().optional() }).optional(),
  verdict,
  reason: z.string(),
  checks: z.array(
    z.strictObject({
      kind: z.enum(["min", "max", "max_drop", "max_rise", "present"]),
      ok: z.boolean(),
      reason: z.string(),
    }),
  ),
});
const ruleResult = z.strictObject({
  index: z.number().int().nonnegative(),
  id: z.string(),
  metric: z.string(),
  file: z.string().optional(),
  severity: z.enum(["error", "warn"]),
  required: z.boolean(),
  threshold: z.strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    maxDrop: amount.optional(),
    maxRise: amount.optional(),
    text: z.string(),
  }),
  verdict,
  metrics: z.array(metricResult).min(1),
});

export const gateResultSchema = z.strictObject({
  version: z.literal(GATE_RESULT_VERSION),
  passed: z.boolean(),
  sha: z.string().optional(),
  policy: z
    .strictObject({
      source: z.enum(["base", "head", "inline", "file"]),
      path: z.string().optional(),
      rev: z.string().optional(),
      changed: z.boolean().optional(),
    })
    .optional(),
  baseline: z.strictObject({ label: z.string(), available: z.boolean() }),
  counts: z.strictObject({
    rules: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    warned: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
  }),
  rules: z.array(ruleResult),
  failedRules: z.array(finding),
  warnings: z.array(finding),
  problems: z.array(z.string()),
});

/** One line of JSON (job outputs are single values), with a trailing newline left to the caller. */
export function serializeGateResult(result: GateResult): string {
  return JSON.stringify(result);
}

/**
 * Reads a gate result passed between jobs. Fails closed: anything that is not a well-formed
 * version-1 result, or whose `passed` disagrees with its own rules, throws MlciError("INPUT").
 */
export function parseGateResult(text: string, source = "the gate result"): GateResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MlciError("INPUT", `${source} is not JSON: ${(err as Error).message}`, {
      hint: "pass the gate action's `result-json` output unchanged",
    });
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== undefined && version !== GATE_RESULT_VERSION) {
    throw new MlciError(
      "INPUT",
      `${source} has version ${JSON.stringify(version)}; this mlci reads version 1`,
    );
  }
  const parsed = gateResultSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue ? issue.path.map(String).join(".") : "";
    throw new MlciError(
      "INPUT",
      `${source} is malformed${key ? ` at ${key}` : ""}: ${issue?.message ?? "invalid"}`,
    );
  }
  const result = parsed.data as GateResult;
  const inconsistency = checkConsistency(result);
  if (inconsistency) throw new MlciError("INPUT", `${source} is inconsistent: ${inconsistency}`);
  return result;
}

/** A result whose verdicts do not add up has been edited or corrupted; it must not let a deploy through. */
function checkConsistency(r: GateResult): string | undefined {
  for (const rule of r.rules) {
    const worst = worstVerdict(rule.metrics.map((m) => m.verdict));
    if (worst !== rule.verdict)
      return `rule ${rule.id} is "${rule.verdict}" but its worst metric is "${worst}"`;
    if (rule.severity === "warn" && rule.metrics.some((m) => m.verdict === "fail")) {
      return `rule ${rule.id} has severity warn but a failing metric`;
    }
  }
  const failing = r.rules.filter((x) => x.verdict === "fail").length;
  const expected = failing === 0 && r.problems.length === 0;
  if (r.passed !== expected)
    return `passed is ${r.passed} but ${failing} rules fail and ${r.problems.length} problems`;
  if (r.counts.rules !== r.rules.length || r.counts.failed !== failing)
    return "the counts do not match the rules";
  return undefined;
}

/**
 * For deploy steps: the parsed result when it passed (and, given `sha`, judged that commit);
 * otherwise MlciError("FAILED") saying why the deployment may not start.
 */
export function requirePassingGate(text: string, expect: { sha?: string } = {}): GateResult {
  const result = parseGateResult(text);
  if (!result.passed) {
    const why = [...result.problems, ...result.failedRules.map((f) => f.reason)].slice(0, 5).join("; ");
    throw new MlciError("FAILED", `the gate failed, so the deployment may not start: ${why}`);
  }
  if (expect.sha !== undefined) {
    if (result.sha === undefined) {
      throw new MlciError("FAILED", `the gate result names no commit; expected one for ${expect.sha}`);
    }
    if (result.sha !== expect.sha) {
      throw new MlciError("FAILED", `the gate result is for ${result.sha}, not ${expect.sha}`);
    }
  }
  return result;
}
