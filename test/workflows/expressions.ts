/**
 * Evaluates workflow expressions with GitHub's own implementation (`@actions/expressions`) against
 * realistic contexts, including the status functions and the implicit `success() &&` that GitHub
 * adds to an `if:` without one.
 */
import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import type { Json } from "./files";

type ExprValue = InstanceType<typeof data.Dictionary>;

export interface NeedsResult {
  result: "success" | "failure" | "cancelled" | "skipped";
  outputs?: Record<string, string>;
}

export interface ExpressionContexts {
  github?: Json;
  inputs?: Json;
  needs?: Record<string, NeedsResult>;
  steps?: Record<string, { outcome?: string; conclusion?: string; outputs?: Record<string, string> }>;
  matrix?: Json;
  vars?: Json;
  runner?: Json;
  /** The run was cancelled (`cancelled()`). */
  cancelled?: boolean;
  /** For a step's `if`: the job's status so far (`success()`, `failure()`). Default success. */
  jobStatus?: "success" | "failure";
}

const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];

function toData(value: unknown): ExprValue {
  return JSON.parse(JSON.stringify(value ?? {}), data.reviver) as ExprValue;
}

/** The text inside `${{ }}` when the whole value is one expression; otherwise the text (an `if:`). */
export function unwrap(text: string): string {
  const t = text.trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(t);
  return m && !m[1]?.includes("${{") ? (m[1] ?? "").trim() : t;
}

/** Evaluates one expression (with or without `${{ }}`) and returns plain data. */
export function evaluate(
  expression: string,
  ctx: ExpressionContexts,
  level: "job" | "step" = "job",
): unknown {
  const lexed = new Lexer(unwrap(expression)).lex();
  const names = ["github", "inputs", "needs", "steps", "matrix", "vars", "runner", "env", "secrets", "job"];
  const parsed = new Parser(
    lexed.tokens,
    names,
    STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  ).parse();
  const needs = Object.values(ctx.needs ?? {});
  const status: Record<string, () => boolean> = {
    always: () => true,
    cancelled: () => ctx.cancelled === true,
    success: () =>
      !ctx.cancelled &&
      (level === "job" ? needs.every((n) => n.result === "success") : ctx.jobStatus !== "failure"),
    failure: () =>
      !ctx.cancelled &&
      (level === "job" ? needs.some((n) => n.result === "failure") : ctx.jobStatus === "failure"),
  };
  const functions = new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]?.() ?? false) },
    ]),
  );
  const contexts = new data.Dictionary(
    ...names.map((key) => ({
      key,
      value: toData((ctx as Record<string, unknown>)[key] ?? {}),
    })),
  );
  const result = new Evaluator(parsed, contexts, functions).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown;
}

/** Evaluates an `if:` as GitHub does: truthy or not, `success() && (...)` unless it calls a status function. */
export function evaluateIf(
  condition: string | boolean | undefined,
  ctx: ExpressionContexts,
  level: "job" | "step" = "job",
): boolean {
  if (condition === undefined) return evaluateIf("success()", ctx, level);
  if (typeof condition === "boolean") return condition;
  const body = unwrap(condition);
  const usesStatus = new RegExp(`\\b(${STATUS_FUNCTIONS.join("|")})\\s*\\(`).test(body);
  const full = usesStatus ? body : `success() && (${body})`;
  return truthy(evaluate(full, ctx, level));
}

/** Truthiness as GitHub Actions defines it. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "" || value === 0) return false;
  if (typeof value === "number" && Number.isNaN(value)) return false;
  return true;
}

/** The `inputs` context of a reusable workflow run: its declared defaults, then what the caller passed. */
export function inputsFor(workflow: Json, given: Json = {}): Json {
  const declared = (workflow.on?.workflow_call?.inputs ?? {}) as Json;
  const out: Json = {};
  for (const [name, def] of Object.entries(declared)) {
    if (def?.default !== undefined) out[name] = def.default;
    else if (def?.type === "boolean") out[name] = false;
    else if (def?.type === "number") out[name] = 0;
    else out[name] = "";
  }
  for (const [name, value] of Object.entries(given)) {
    if (!(name in declared)) throw new Error(`input ${name} is not declared by the workflow`);
    out[name] = value;
  }
  return out;
}

/** A value with `${{ }}` pieces in text (`group: mlci-pr-${{ ... }}`), as the string GitHub makes of it. */
export function interpolate(text: string, ctx: ExpressionContexts): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => {
    const value = evaluate(expr, ctx);
    if (value === null || value === undefined) return "";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  });
}
