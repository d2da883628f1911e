import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Json,
  jobsOf,
  localPathOfReusable,
  MLCI_REF,
  MLCI_REPO,
  ROOT,
  reusableWorkflows,
  templates,
} from "./files";

/** Problems of a starter template's `<name>.properties.json`, as GitHub reads it. */
function checkProperties(props: Json): string[] {
  const problems: string[] = [];
  for (const key of ["name", "description"]) {
    if (typeof props[key] !== "string" || props[key].trim() === "")
      problems.push(`"${key}" must be a non-empty string`);
  }
  if (typeof props.iconName !== "string" || !/^(octicon [a-z0-9-]+|[\w-]+)$/.test(props.iconName)) {
    problems.push('"iconName" must be "octicon <name>" or the name of an SVG beside the template');
  }
  for (const key of ["categories", "filePatterns"]) {
    const list = props[key];
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string" && v !== "")) {
      problems.push(`"${key}" must be a non-empty list of strings`);
    }
  }
  for (const pattern of Array.isArray(props.filePatterns) ? props.filePatterns : []) {
    try {
      new RegExp(pattern);
    } catch {
      problems.push(`filePatterns: ${pattern} is not a regular expression`);
    }
  }
  const known = new Set([
    "name",
    "description",
    "iconName",
    "categories",
    "filePatterns",
    "creator",
    "labels",
  ]);
  for (const key of Object.keys(props)) if (!known.has(key)) problems.push(`unknown key "${key}"`);
  return problems;
}

describe("starter templates", () => {
  for (const t of templates()) {
    const propsFile = t.path.replace(/\.ya?ml$/, ".properties.json");

    it(`${t.path} has a valid ${propsFile}`, () => {
      expect(existsSync(join(ROOT, propsFile))).toBe(true);
      expect(checkProperties(JSON.parse(readFileSync(join(ROOT, propsFile), "utf8")))).toEqual([]);
    });

    it(`${t.path} is a short file that calls one of our reusable workflows at ${MLCI_REF}`, () => {
      expect(t.text.split("\n").length).toBeLessThan(60);
      const calls = jobsOf(t.doc).filter(([, job]) => typeof job.uses === "string");
      expect(calls.length).toBe(1);
      const uses = calls[0]?.[1].uses as string;
      expect(uses.startsWith(`${MLCI_REPO}/.github/workflows/`)).toBe(true);
      expect(uses.endsWith(`@${MLCI_REF}`)).toBe(true);
      expect(existsSync(join(ROOT, localPathOfReusable(uses) ?? "missing"))).toBe(true);
      expect(t.doc.permissions).toEqual({});
    });
  }

  it("every reusable workflow has a template", () => {
    const called = new Set(
      templates().flatMap((t) => jobsOf(t.doc).map(([, job]) => localPathOfReusable(String(job.uses ?? "")))),
    );
    for (const wf of reusableWorkflows()) expect(called.has(wf.path), wf.path).toBe(true);
  });

  it("the comment template listens to the pull request template by its name", () => {
    const names = templates().map((t) => t.doc.name);
    const comment = templates().find((t) => t.path.endsWith("mlci-pr-comment.yml"));
    for (const name of comment?.doc.on.workflow_run.workflows ?? []) expect(names).toContain(name);
  });

  it("the deploy template starts on a merge and on a prod stage tag, not on an unassignment", () => {
    const deploy = templates().find((t) => t.path.endsWith("mlci-deploy.yml"));
    const tags = deploy?.doc.on.push.tags as string[];
    // GitHub's filter: `**` crosses slashes (folder artifacts), `*` does not; `!` is not in model#prod#4.
    const glob = (p: string) =>
      new RegExp(`^${p.replace(/\*\*|\*/g, (m) => (m === "**" ? ".*" : "[^/]*"))}$`);
    const matches = (tag: string) => tags.some((p) => glob(p).test(tag));
    expect(matches("model#prod#4")).toBe(true);
    expect(matches("nlp/models=churn#prod#12")).toBe(true);
    expect(matches("model#staging#2")).toBe(false);
    expect(matches("model#prod!#5")).toBe(false);
    expect(matches("model@v1.0.0")).toBe(false);
    expect(deploy?.doc.on.push.branches).toEqual(["main"]);
  });
});

describe("the properties check catches", () => {
  it("missing fields, a bad icon, an empty list, a broken pattern and an unknown key", () => {
    expect(
      checkProperties({
        name: "x",
        description: "y",
        iconName: "octicon beaker",
        categories: ["a"],
        filePatterns: ["b"],
      }),
    ).toEqual([]);
    expect(
      checkProperties({ name: "", iconName: "an icon", categories: [], filePatterns: ["("], icon: "x" }),
    ).toEqual([
      '"name" must be a non-empty string',
      '"description" must be a non-empty string',
      '"iconName" must be "octicon <name>" or the name of an SVG beside the template',
      '"categories" must be a non-empty list of strings',
      "filePatterns: ( is not a regular expression",
      'unknown key "icon"',
    ]);
  });
});
