// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions, not JS ones
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  checkCalledPermissions,
  checkJobPermissions,
  checkRunInterpolation,
  permissionLevels,
} from "./checks";
import { allWorkflows, type Json, ROOT, reusableWorkflows, templates, workflowFile } from "./files";

const callee = (path: string): Json | undefined =>
  existsSync(join(ROOT, path)) ? workflowFile(path).doc : undefined;

describe("permissions", () => {
  for (const t of templates()) {
    it(`${t.path}: grants each called job at least what it asks for`, () => {
      expect(checkCalledPermissions(t.doc, callee)).toEqual([]);
    });
  }

  for (const wf of reusableWorkflows()) {
    it(`${wf.path}: grants nothing at the top and sets permissions on every job`, () => {
      expect(checkJobPermissions(wf.doc)).toEqual([]);
    });
  }

  it("this repository's CI reads the code and nothing else", () => {
    expect(workflowFile(".github/workflows/ci.yml").doc.permissions).toEqual({ contents: "read" });
  });

  it("the code of a pull request runs with a read-only token that is not left in .git/config", () => {
    const pr = workflowFile(".github/workflows/mlci-pr.yml").doc;
    expect(pr.jobs.train.permissions).toEqual({ contents: "read" });
    const checkout = pr.jobs.train.steps.find((s: Json) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkout.with["persist-credentials"]).toBe(false);
  });
});

describe("the permission checks catch", () => {
  const template = workflowFile("workflows/mlci-pull-request.yml");

  it("a caller that grants less than a called job asks for", () => {
    const doc = structuredClone(template.doc);
    doc.jobs.mlci.permissions["pull-requests"] = "read";
    expect(checkCalledPermissions(doc, callee)).toEqual([
      "jobs.mlci -> .github/workflows/mlci-pr.yml jobs.report: asks for pull-requests: write, the caller grants read",
    ]);
    delete doc.jobs.mlci.permissions.checks;
    expect(checkCalledPermissions(doc, callee)).toContain(
      "jobs.mlci -> .github/workflows/mlci-pr.yml jobs.report: asks for checks: write, the caller grants none",
    );
  });

  it("a caller that relies on the default token, and a call of a workflow that is not there", () => {
    const doc = structuredClone(template.doc);
    delete doc.jobs.mlci.permissions;
    delete doc.permissions;
    expect(checkCalledPermissions(doc, callee)).toEqual([
      "jobs.mlci: set permissions on the calling job (the default token's are not least privilege)",
    ]);
    doc.jobs.mlci.uses = "mlci-dev/mlci/.github/workflows/nope.yml@v1";
    expect(checkCalledPermissions(doc, callee)[0]).toMatch(/names no reusable workflow/);
  });

  it("read-all and write-all, and the called workflow's top-level permissions", () => {
    expect(permissionLevels("read-all")?.contents).toBe("read");
    const caller = parse(
      "jobs:\n  c:\n    permissions: read-all\n    uses: mlci-dev/mlci/.github/workflows/x.yml@v1\n",
    ) as Json;
    const called = parse("permissions:\n  contents: write\njobs:\n  j:\n    runs-on: x\n") as Json;
    expect(checkCalledPermissions(caller, () => called)).toEqual([
      "jobs.c -> .github/workflows/x.yml jobs.j: asks for contents: write, the caller grants read",
    ]);
    expect(() => permissionLevels({ contents: "admin" })).toThrow(/not none, read or write/);
  });

  it("a reusable workflow job without permissions, or broad ones at the top", () => {
    const doc = structuredClone(workflowFile(".github/workflows/mlci-pr.yml").doc);
    delete doc.jobs.train.permissions;
    doc.permissions = { contents: "write" };
    expect(checkJobPermissions(doc)).toEqual([
      "the top level must be `permissions: {}`",
      "jobs.train does not set permissions",
    ]);
  });
});

describe("no script injection", () => {
  // examples/workflows/gate-deploy.yml writes the gate's failed-rules (metric names from the pull
  // request) into a script; it has another owner, so only the workflows we ship are checked here.
  for (const wf of allWorkflows().filter((w) => !w.path.startsWith("examples/"))) {
    it(`${wf.path}: run scripts interpolate only inputs, the rest goes through env`, () => {
      expect(checkRunInterpolation(wf.doc)).toEqual([]);
    });
  }

  it("catches an event field or a step output written into a script", () => {
    const doc = parse(
      [
        "jobs:",
        "  j:",
        "    steps:",
        "      - run: echo ${{ github.event.pull_request.title }}",
        "      - run: echo ${{ steps.gate.outputs.failed-rules }} ${{ inputs.setup }}",
      ].join("\n"),
    ) as Json;
    expect(checkRunInterpolation(doc)).toEqual([
      "jobs.j.steps[0].run interpolates ${{ github.event.pull_request.title }}: pass it through env:",
      "jobs.j.steps[1].run interpolates ${{ steps.gate.outputs.failed-rules }}: pass it through env:",
    ]);
  });
});
