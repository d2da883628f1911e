import type { CheckState, Example, ValueRule } from "./check-state";
import type { ColumnRules, DataSchema, Severity } from "./schema-file";
import { findDuplicates, removeSpillDirs } from "./unique";

/**
 * The result of checking a data set against a schema (`mlci-check.json` when written):
 * versioned JSON, one entry per rule that applies, passed or not.
 */
export const CHECK_VERSION = 1;

export type RuleName =
  | "missing-column"
  | "extra-column"
  | "type"
  | "nullable"
  | "max-null-fraction"
  | "min"
  | "max"
  | "allowed"
  | "regex"
  | "unique"
  | "min-rows"
  | "max-rows"
  | "malformed-rows";

export interface RuleResult {
  rule: RuleName;
  column?: string;
  severity: Severity;
  passed: boolean;
  /** Rows (or cells) that broke the rule. */
  failing: number;
  /** Rows (or cells) the rule looked at. */
  checked: number;
  message: string;
  /** Up to 20 rows that broke it, in data-set order, with file and line. */
  examples: Example[];
  /** Where the rule is written in the schema file. */
  schema: { file: string; line?: number; key: string };
}

export interface CheckResult {
  version: typeof CHECK_VERSION;
  kind: "mlci-data-check";
  /** false when an error-severity rule failed. */
  passed: boolean;
  errors: number;
  warnings: number;
  rows: number;
  results: RuleResult[];
}

const VALUE_RULE_TEXT: Record<ValueRule, (r: ColumnRules) => string> = {
  type: (r) => `values must be of type ${r.type}`,
  min: (r) => `values must be at least ${String(r.min)}`,
  max: (r) => `values must be at most ${String(r.max)}`,
  allowed: (r) => `values must be one of ${(r.allowed ?? []).map((v) => JSON.stringify(v)).join(", ")}`,
  regex: (r) => `values must match /${r.regex ?? ""}/`,
};

/**
 * Turns the merged state of a whole data set into a result, merging unique-value runs (and
 * removing their temporary files). `files` lists the data set's files in order.
 */
export async function finishCheck(
  state: CheckState,
  schema: DataSchema,
  files: readonly string[],
): Promise<CheckResult> {
  const results: RuleResult[] = [];
  const fileOrder = new Map(files.map((f, i) => [f, i] as const));
  const at = (c: ColumnRules | undefined, key: string): RuleResult["schema"] => ({
    file: schema.file,
    ...(c?.line === undefined ? {} : { line: c.line }),
    key,
  });
  const add = (r: Omit<RuleResult, "passed"> & { passed?: boolean }): void => {
    results.push({ ...r, passed: r.passed ?? r.failing === 0 });
  };
  try {
    for (const c of schema.columns) {
      const key = `columns.${c.name}`;
      const missingIn = state.fileColumns.filter((fc) => !fc.columns.includes(c.name));
      if (c.required) {
        add({
          rule: "missing-column",
          column: c.name,
          severity: c.severity,
          failing: missingIn.length,
          checked: state.fileColumns.length,
          message: missingIn.length
            ? `column \`${c.name}\` is missing from ${missingIn.length} file(s)`
            : `column \`${c.name}\` is present`,
          examples: missingIn
            .slice(0, 20)
            .map((fc) => ({ file: fc.file, line: 1, message: `no column \`${c.name}\`` })),
          schema: at(c, key),
        });
      }
      const cs = state.columns[c.name];
      if (!cs || cs.cells === 0) continue;
      const nonNull = cs.cells - cs.nulls;
      if (!c.nullable) {
        add({
          rule: "nullable",
          column: c.name,
          severity: c.severity,
          failing: cs.nulls,
          checked: cs.cells,
          message: `\`${c.name}\` must not be null: ${cs.nulls} null cell(s)`,
          examples: cs.nullExamples,
          schema: at(c, `${key}.nullable`),
        });
      }
      if (c.maxNullFraction !== undefined) {
        const fraction = cs.nulls / cs.cells;
        add({
          rule: "max-null-fraction",
          column: c.name,
          severity: c.severity,
          passed: fraction <= c.maxNullFraction,
          failing: cs.nulls,
          checked: cs.cells,
          message: `\`${c.name}\` is ${pct(fraction)} null (at most ${pct(c.maxNullFraction)} allowed)`,
          examples: [],
          schema: at(c, `${key}.maxNullFraction`),
        });
      }
      for (const rule of ["type", "min", "max", "allowed", "regex"] as const) {
        if (!applies(c, rule)) continue;
        const failing = cs.failing[rule];
        const tolerated = Math.floor((1 - c.mostly) * nonNull + 1e-9);
        add({
          rule,
          column: c.name,
          severity: c.severity,
          passed: failing <= tolerated,
          failing,
          checked: nonNull,
          message: `\`${c.name}\`: ${VALUE_RULE_TEXT[rule](c)}; ${failing} of ${nonNull} do not${c.mostly < 1 ? ` (up to ${tolerated} tolerated by mostly: ${c.mostly})` : ""}`,
          examples: cs.examples[rule],
          schema: at(c, rule === "type" ? `${key}.type` : `${key}.${rule}`),
        });
      }
      if (c.unique) {
        const dup = await findDuplicates(cs.uniqueRuns, fileOrder);
        add({
          rule: "unique",
          column: c.name,
          severity: c.severity,
          failing: dup.duplicates,
          checked: nonNull,
          message: `\`${c.name}\` must be unique: ${dup.duplicates} row(s) repeat an earlier value`,
          examples: dup.examples.map((e) => ({
            file: e.file,
            line: e.line,
            message: `same value as ${e.firstFile === e.file ? "line " : `${e.firstFile}:`}${e.firstLine}`,
          })),
          schema: at(c, `${key}.unique`),
        });
      }
    }
  } finally {
    await removeSpillDirs(state.spillDirs);
  }
  datasetRules(state, schema, add);
  const errors = results.filter((r) => !r.passed && r.severity === "error").length;
  const warnings = results.filter((r) => !r.passed && r.severity === "warn").length;
  return {
    version: CHECK_VERSION,
    kind: "mlci-data-check",
    passed: errors === 0,
    errors,
    warnings,
    rows: state.rows,
    results,
  };
}

function datasetRules(
  state: CheckState,
  schema: DataSchema,
  add: (r: Omit<RuleResult, "passed"> & { passed?: boolean }) => void,
): void {
  const listed = new Set(schema.columns.map((c) => c.name));
  if (schema.extraColumns !== "allow") {
    const extra = new Map<string, Example[]>();
    for (const fc of state.fileColumns) {
      for (const name of fc.columns) {
        if (listed.has(name)) continue;
        const ex = extra.get(name) ?? [];
        if (ex.length < 20)
          ex.push({ file: fc.file, line: 1, message: `column \`${name}\` is not in the schema` });
        extra.set(name, ex);
      }
    }
    for (const [name, examples] of extra) {
      add({
        rule: "extra-column",
        column: name,
        severity: schema.extraColumns,
        failing: examples.length,
        checked: state.fileColumns.length,
        message: `column \`${name}\` is not in the schema`,
        examples,
        schema: { file: schema.file, key: "dataset.extraColumns" },
      });
    }
  }
  const rowRule = (
    rule: "min-rows" | "max-rows",
    bound: number | undefined,
    ok: (n: number) => boolean,
  ): void => {
    if (bound === undefined) return;
    add({
      rule,
      severity: schema.rowSeverity,
      passed: ok(state.rows),
      failing: ok(state.rows) ? 0 : 1,
      checked: state.rows,
      message: `${state.rows} rows (${rule === "min-rows" ? "at least" : "at most"} ${bound} expected)`,
      examples: [],
      schema: { file: schema.file, key: `dataset.${rule === "min-rows" ? "minRows" : "maxRows"}` },
    });
  };
  rowRule("min-rows", schema.minRows, (n) => n >= schema.minRows!);
  rowRule("max-rows", schema.maxRows, (n) => n <= schema.maxRows!);
  add({
    rule: "malformed-rows",
    severity: schema.malformedRows,
    failing: state.malformed,
    checked: state.rows + state.malformed,
    message: `${state.malformed} row(s) could not be read`,
    examples: state.malformedExamples,
    schema: { file: schema.file, key: "dataset.malformedRows" },
  });
}

function applies(c: ColumnRules, rule: ValueRule): boolean {
  switch (rule) {
    case "type":
      return c.type !== undefined && c.type !== "string" && c.type !== "category";
    case "min":
      return c.min !== undefined;
    case "max":
      return c.max !== undefined;
    case "allowed":
      return c.allowed !== undefined;
    case "regex":
      return c.regex !== undefined;
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)}%`;
}
