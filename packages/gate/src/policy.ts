import { configJsonSchema, loadConfigFile } from "@mlci/common";
import { z } from "zod";
import type { Direction } from "./metric-types";

/** Where the policy lives in a repository unless the user says otherwise. */
export const DEFAULT_POLICY_PATH = ".mlci/gates.yml";
export const GATES_SCHEMA_ID = "https://mlci.dev/schemas/gates.schema.json";

/** A change limit: an absolute amount in the metric's units, or a percentage of |baseline|. */
export type Amount = { kind: "absolute"; value: number } | { kind: "relative"; percent: number };

/** What the gate compares against. The evaluator is given the values; the caller resolves this. */
export type BaselineSpec =
  | { kind: "base" }
  | { kind: "registry"; artifact: string; stage: string }
  | { kind: "file"; path: string };

export type Severity = "error" | "warn";

/** One rule after parsing: names in camelCase, defaults filled in, `metric` split from its file. */
export interface Rule {
  /** Position in `rules`, 0-based. */
  index: number;
  /** The user's `id`, or `rule <index + 1>`. */
  id: string;
  /** Key or glob over flattened keys, without the file qualifier. */
  metric: string;
  /** Path (or glob over paths) of the metrics file, when the rule names one. */
  file?: string;
  min?: number;
  max?: number;
  maxDrop?: Amount;
  maxRise?: Amount;
  direction?: Direction;
  severity: Severity;
  required: boolean;
}

export interface Policy {
  version: 1;
  baseline: BaselineSpec;
  /** When true, a policy without rules passes; otherwise it fails closed. */
  allowEmpty: boolean;
  rules: Rule[];
}

const PERCENT = /^(\d+(?:\.\d+)?|\.\d+)\s*%$/;
// GTO artifact names, optionally with a folder prefix (`dir:name` as in DVC or `dir=name` as in tags).
const GTO_NAME = "[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?";
const REGISTRY = new RegExp(`^registry:((?:[^#:=\\s]+[:=])?${GTO_NAME})#(${GTO_NAME})$`);
const BASELINE = new RegExp(`^(?:base|file:\\S.*|${REGISTRY.source.slice(1, -1)})$`);

const amountSchema = z
  .union([
    z.number().finite().nonnegative({ error: "a change limit cannot be negative" }),
    z.string().regex(PERCENT, { error: 'expected a number or a percentage such as "5%"' }),
  ])
  .transform((v): Amount => {
    if (typeof v === "number") return { kind: "absolute", value: v };
    return { kind: "relative", percent: Number(v.replace("%", "").trim()) };
  });

const ruleSchema = z
  .strictObject({
    id: z.string().min(1).optional().describe("A short name for the rule, shown in reports and outputs."),
    metric: z
      .string()
      .min(1)
      .describe(
        "A flattened metric key (`eval.accuracy`), a glob over keys (`eval.*_loss`, `**.f1`), optionally prefixed by a metrics file: `metrics.json:eval.acc`.",
      ),
    file: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The metrics file (or a glob over paths) the metric must come from. Use it when a key contains `:`.",
      ),
    min: z.number().finite().optional().describe("The lowest allowed value (inclusive)."),
    max: z.number().finite().optional().describe("The highest allowed value (inclusive)."),
    max_drop: amountSchema
      .optional()
      .describe(
        "The largest allowed worsening against the baseline, in the metric's direction (a fall for higher-is-better, a rise for lower-is-better): a number in the metric's units or \"N%\" of |baseline|.",
      ),
    max_rise: amountSchema
      .optional()
      .describe(
        'The largest allowed improvement against the baseline, in the metric\'s direction (guards against too-good-to-be-true jumps): a number or "N%" of |baseline|.',
      ),
    direction: z
      .enum(["higher", "lower"])
      .optional()
      .describe("Whether higher or lower values are better; overrides the inferred direction."),
    severity: z
      .enum(["error", "warn"])
      .default("error")
      .describe("error: a violation fails the gate; warn: it is reported only."),
    required: z
      .boolean()
      .default(true)
      .describe("When true (the default), a missing metric, or a glob that matches nothing, fails."),
  })
  .superRefine((r, ctx) => {
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) {
      ctx.addIssue({
        code: "custom",
        path: ["min"],
        message: `min (${r.min}) is greater than max (${r.max})`,
      });
    }
    const colon = r.metric.indexOf(":");
    if (r.file === undefined && colon !== -1 && (colon === 0 || colon === r.metric.length - 1)) {
      ctx.addIssue({
        code: "custom",
        path: ["metric"],
        message: 'write a path-qualified metric as "file:key", e.g. "metrics.json:eval.acc"',
      });
    }
  });

/** The one schema for `.mlci/gates.yml` and the inline policy input. Its output is a `Policy`. */
export const gatesPolicySchema = z
  .strictObject({
    $schema: z.string().optional().describe("The JSON Schema this file follows (for editors)."),
    version: z.literal(1, { error: "expected version: 1" }).describe("The policy format version."),
    baseline: z
      .string()
      .regex(BASELINE, {
        error: 'expected "base", "registry:<artifact>#<stage>" (e.g. registry:model#prod) or "file:<path>"',
      })
      .default("base")
      .describe(
        "What change rules compare against: `base` (the pull request's base revision), `registry:<artifact>#<stage>` (the revision that holds that stage, e.g. registry:model#prod) or `file:<path>` (a metrics file, read at the revision the policy was read from).",
      ),
    allow_empty: z
      .boolean()
      .default(false)
      .describe("Let a policy without rules pass. By default it fails: an empty gate is usually a mistake."),
    rules: z.array(ruleSchema).describe("The rules; each names a metric (or glob) and its limits."),
  })
  .superRefine((p, ctx) => {
    // Ids name rules in outputs (`failed-rules`) and reports, so they must be unique.
    const seen = new Set<string>();
    p.rules.forEach((r, i) => {
      if (r.id === undefined) return;
      if (seen.has(r.id))
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id "${r.id}"` });
      seen.add(r.id);
    });
  })
  .transform(
    (p): Policy => ({
      version: 1,
      baseline: parseBaselineSpec(p.baseline),
      allowEmpty: p.allow_empty,
      rules: p.rules.map((r, index) => {
        const [file, metric] = splitMetric(r.metric, r.file);
        const rule: Rule = {
          index,
          id: r.id ?? `rule ${index + 1}`,
          metric,
          severity: r.severity,
          required: r.required,
        };
        if (file !== undefined) rule.file = file;
        if (r.min !== undefined) rule.min = r.min;
        if (r.max !== undefined) rule.max = r.max;
        if (r.max_drop !== undefined) rule.maxDrop = r.max_drop;
        if (r.max_rise !== undefined) rule.maxRise = r.max_rise;
        if (r.direction !== undefined) rule.direction = r.direction;
        return rule;
      }),
    }),
  );

/** The policy file as it is written (snake_case keys, defaults not yet applied). */
export type PolicyInput = z.input<typeof gatesPolicySchema>;

function splitMetric(metric: string, file: string | undefined): [string | undefined, string] {
  if (file !== undefined) return [normalizePath(file), metric];
  const colon = metric.indexOf(":");
  if (colon === -1) return [undefined, metric];
  return [normalizePath(metric.slice(0, colon)), metric.slice(colon + 1)];
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, "/").replace(/^\.\//, "");
}

/** Parses the `baseline` value of a policy. Call it only on values the schema accepted. */
export function parseBaselineSpec(text: string): BaselineSpec {
  if (text === "base") return { kind: "base" };
  if (text.startsWith("file:"))
    return { kind: "file", path: normalizePath(text.slice("file:".length).trim()) };
  const m = REGISTRY.exec(text);
  if (m?.[1] && m[2]) return { kind: "registry", artifact: m[1], stage: m[2] };
  throw new Error(`not a baseline: ${text}`);
}

/** The baseline as a user would write it: `base`, `registry:model#prod`, `file:baseline.json`. */
export function formatBaselineSpec(spec: BaselineSpec): string {
  switch (spec.kind) {
    case "base":
      return "base";
    case "registry":
      return `registry:${spec.artifact}#${spec.stage}`;
    case "file":
      return `file:${spec.path}`;
  }
}

/** True when the rule compares against a baseline. */
export function needsBaseline(rule: Rule): boolean {
  return rule.maxDrop !== undefined || rule.maxRise !== undefined;
}

/** True when any rule of the policy compares against a baseline (so the caller must resolve one). */
export function policyNeedsBaseline(policy: Policy): boolean {
  return policy.rules.some(needsBaseline);
}

/**
 * Parses a policy from YAML or JSON text. Throws one MlciError("CONFIG") naming the file, line
 * and key of the first problem and listing all of them.
 */
export function parsePolicy(text: string, file: string): Policy {
  return loadConfigFile(text, file, gatesPolicySchema);
}

/** The JSON Schema editors use for `.mlci/gates.yml`; committed as packages/gate/gates.schema.json. */
export function gatesJsonSchema(): Record<string, unknown> {
  return configJsonSchema(gatesPolicySchema, { id: GATES_SCHEMA_ID, title: "mlci gate policy" });
}
