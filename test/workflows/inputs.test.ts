import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkInputsDocumented, checkInputsUsed, documentedNames } from "./checks";
import { type Json, ROOT, reusableWorkflows, workflowFile } from "./files";

const docs = readFileSync(join(ROOT, "docs", "workflows.md"), "utf8");
const fileName = (path: string) => path.split("/").pop() as string;

describe("the inputs of every reusable workflow", () => {
  it("there are the five reusable workflows", () => {
    expect(reusableWorkflows().map((w) => fileName(w.path))).toEqual([
      "mlci-deploy.yml",
      "mlci-pr-comment.yml",
      "mlci-pr.yml",
      "mlci-retrain.yml",
      "mlci-sweep.yml",
    ]);
  });

  for (const wf of reusableWorkflows()) {
    it(`${wf.path}: every input is used, and every input used is declared`, () => {
      expect(checkInputsUsed(wf.doc, wf.text)).toEqual([]);
    });
    it(`${wf.path}: every input is documented in docs/workflows.md`, () => {
      expect(checkInputsDocumented(wf.doc, fileName(wf.path), docs)).toEqual([]);
    });
  }
});

describe("the input checks catch", () => {
  const pr = workflowFile(".github/workflows/mlci-pr.yml");

  it("an input declared and never used", () => {
    const doc = structuredClone(pr.doc);
    doc.on.workflow_call.inputs.unused = { type: "string", default: "" };
    expect(checkInputsUsed(doc, pr.text)).toEqual(['the input "unused" is declared but never used']);
  });

  it("an input used and not declared (a typo)", () => {
    const text = pr.text.replace("inputs.approval-label }}", "inputs.aproval-label }}");
    expect(checkInputsUsed(parse(text) as Json, text)).toContain(
      'the input "aproval-label" is used but not declared',
    );
  });

  it("a secret used and not declared", () => {
    const text = `${pr.text}\n# \${{ secrets.token }}\n`;
    expect(checkInputsUsed(pr.doc, text)).toEqual(['the secret "token" is used but not declared']);
  });

  it("an input missing from the docs, a row for an input that is gone, and a missing section", () => {
    const withoutRow = docs.replace(/^\| `approval-label` \|.*\n/m, "");
    expect(checkInputsDocumented(pr.doc, "mlci-pr.yml", withoutRow)).toEqual([
      'mlci-pr.yml: "approval-label" is not documented',
    ]);
    const doc = structuredClone(pr.doc);
    delete doc.on.workflow_call.inputs["approval-label"];
    expect(checkInputsDocumented(doc, "mlci-pr.yml", docs)).toContain(
      'mlci-pr.yml: "approval-label" is documented but not declared',
    );
    expect(checkInputsDocumented(pr.doc, "mlci-nope.yml", docs)).toEqual([
      'docs/workflows.md has no "## ... `mlci-nope.yml`" section',
    ]);
  });

  it("reads the Input and Secret tables of one section only", () => {
    const md = [
      "## A `a.yml`",
      "| Input | x |\n| --- | --- |\n| `one` | x |",
      "| Job | x |\n| --- | --- |\n| `train` | x |",
      "| Secret | x |\n| --- | --- |\n| `key` | x |",
      "## B `b.yml`",
      "| Input | x |\n| --- | --- |\n| `two` | x |",
    ].join("\n\n");
    expect([...(documentedNames(md, "a.yml") ?? [])]).toEqual(["one", "key"]);
    expect([...(documentedNames(md, "b.yml") ?? [])]).toEqual(["two"]);
  });
});
