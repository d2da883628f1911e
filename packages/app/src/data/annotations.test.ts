import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RuleResult } from "@mlci/data";
import { Git } from "@mlci/git";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DataAnnotation, dataAnnotations } from "./annotations";
import { runValidateDataAction } from "./data-action";
import type { DataResult } from "./data-result";
import { breakData, DATA_SCHEMA, dataCsv } from "./test-support";

function rule(
  rule: RuleResult["rule"],
  column: string,
  examples: number,
  severity: "error" | "warn" = "error",
): RuleResult {
  return {
    rule,
    column,
    severity,
    passed: false,
    failing: examples,
    checked: 100,
    message: `\`${column}\` broke ${rule}`,
    examples: Array.from({ length: examples }, (_, i) => ({ file: "d.csv", line: i + 2, value: `v${i}` })),
    schema: { file: ".mlci/schema.yml", line: 7, key: `columns.${column}` },
  };
}

function resultOf(results: RuleResult[]): DataResult {
  return {
    check: { version: 1, kind: "mlci-data-check", passed: false, errors: 0, warnings: 0, rows: 100, results },
  } as unknown as DataResult;
}

describe("annotations", () => {
  it("lets failing rules take turns within 10 per level, and points row-less rules at the schema", () => {
    const rules = [
      rule("type", "a", 20),
      rule("min", "b", 1),
      rule("max-null-fraction", "c", 0),
      rule("regex", "d", 3, "warn"),
    ];
    const out = dataAnnotations(resultOf(rules), { repoPath: (p) => `sub/${p}` });
    const errors = out.filter((a) => a.level === "error");
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 3).map((a) => a.title)).toEqual([
      "mlci data: type (a)",
      "mlci data: min (b)",
      "mlci data: max-null-fraction (c)",
    ]);
    expect(errors[0]).toEqual({
      level: "error",
      title: "mlci data: type (a)",
      message: 'a broke type (here: value "v0")',
      file: "sub/d.csv",
      line: 2,
    });
    expect(errors[2]).toMatchObject({
      file: "sub/.mlci/schema.yml",
      line: 7,
      message: "c broke max-null-fraction",
    });
    expect(errors.slice(3).every((a) => a.title === "mlci data: type (a)")).toBe(true);
    expect(out.filter((a) => a.level === "warning").map((a) => a.line)).toEqual([2, 3, 4]);
    expect(
      dataAnnotations(resultOf(rules), { repoPath: (p) => p, maxErrors: 2 }).filter(
        (a) => a.level === "error",
      ),
    ).toHaveLength(2);
  });
});

describe("the validate-data action use case", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mlci-data-action-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("annotates at most 9 errors when the step fails, writes the summary and the outputs", async () => {
    mkdirSync(join(dir, "proj/.mlci"), { recursive: true });
    mkdirSync(join(dir, "proj/data"));
    writeFileSync(
      join(dir, "proj/.mlci/schema.yml"),
      DATA_SCHEMA.replace("severity: warn", "severity: error"),
    );
    writeFileSync(join(dir, "proj/data/a.csv"), breakData(dataCsv(120)).text);
    const annotations: DataAnnotation[] = [];
    let summary = "";
    const outcome = await runValidateDataAction({
      inputs: {
        data: ["data/*.csv"],
        schema: ".mlci/schema.yml",
        reference: "",
        profilePath: "mlci-profile.json",
        failOnError: true,
        failOnDrift: false,
        workingDirectory: "proj",
        resultPath: "",
      },
      workspace: dir,
      runnerTemp: join(dir, "tmp"),
      gitFor: (d) => new Git(d),
      appendSummary: async (m) => {
        summary += m;
      },
      log: { info: () => {}, warning: () => {} },
      annotate: (a) => annotations.push(a),
    });
    expect(outcome.failure?.message).toBe("the data check failed: 7 error(s)");
    expect(outcome.outputs).toEqual({
      passed: "false",
      drifted: "false",
      driftShare: "",
      profilePath: join(dir, "proj", "mlci-profile.json"),
      resultPath: join(dir, "tmp", "mlci-data", "data-result.json"),
    });
    expect(annotations.filter((a) => a.level === "error")).toHaveLength(7);
    expect(annotations.every((a) => a.file === "proj/data/a.csv")).toBe(true);
    expect(summary).toMatch(/^## mlci data\n\n❌ \*\*Data check failed: 7 errors\*\*/);
  });
});
