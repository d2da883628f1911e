import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Json, ROOT } from "./files";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** Relative links in markdown whose target does not exist under `dir` (anchors and URLs are not checked). */
function brokenLinksIn(text: string, dir: string): string[] {
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
  return links
    .filter((l) => !/^(https?:|mailto:|#)/.test(l))
    .map((l) => l.split("#")[0] as string)
    .filter((l) => l !== "" && !existsSync(join(ROOT, dir, l)));
}

const brokenLinks = (path: string) => brokenLinksIn(read(path), dirname(path));

const OURS = [
  "docs/getting-started.md",
  "docs/workflows.md",
  "docs/security.md",
  "docs/gitops.md",
  "docs/gpu-runners.md",
  "README.md",
];

describe("the workflow docs", () => {
  for (const path of OURS) {
    it(`${path}: every relative link points at a file`, () => {
      expect(brokenLinks(path)).toEqual([]);
    });
  }

  it("the README links every guide", () => {
    const readme = read("README.md");
    for (const doc of OURS.filter((d) => d.startsWith("docs/"))) expect(readme).toContain(`(${doc})`);
  });

  it("the GitOps page draws the loop with mermaid", () => {
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(read("docs/gitops.md"))?.[1] ?? "";
    for (const step of [
      "train",
      "report",
      "gate",
      "merge",
      "register",
      "deploy",
      "assign",
      "schedule",
      "drift",
      "retrain",
    ]) {
      expect(mermaid).toContain(step);
    }
  });

  it("the ARC values file is a GPU scale set that scales from zero", () => {
    const values = parse(read("docs/arc-gpu-values.yaml")) as Json;
    expect(values.minRunners).toBe(0);
    expect(values.maxRunners).toBeGreaterThan(0);
    const spec = values.template.spec;
    const runner = (spec.containers as Json[]).find((c) => c.name === "runner");
    expect(runner?.resources.limits["nvidia.com/gpu"]).toBe(1);
    expect(runner?.command).toEqual(["/home/runner/run.sh"]);
    expect(spec.tolerations).toContainEqual(
      expect.objectContaining({ key: "nvidia.com/gpu", effect: "NoSchedule" }),
    );
    expect(Object.keys(spec.nodeSelector ?? {})).not.toHaveLength(0);
  });

  it("the link check catches a link to nothing", () => {
    const text = "see [x](nope.md), [y](workflows.md#a), [z](https://example.com/a.md) and [w](#top)";
    expect(brokenLinksIn(text, "docs")).toEqual(["nope.md"]);
  });
});
