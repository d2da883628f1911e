import { Git } from "@mlci/git";
import { afterEach, describe, expect, it } from "vitest";
import { TempRepo } from "../../../../test/helpers/git-repo";
import { computeGate } from "./compute-gate";

const STRICT = `# yaml-language-server: $schema=https://mlci.dev/schemas/gates.schema.json
version: 1
rules:
  - id: accuracy
    metric: metrics.json:eval.acc
    min: 0.8
    max_drop: 0.01
`;
const LOOSE = STRICT.replace("max_drop: 0.01", "max_drop: 0.5");

const metrics = (acc: number, score = 0.5) => JSON.stringify({ eval: { acc, score } });

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** main: the policy and metrics; branch feature: `head` files committed, `work` left in the working tree. */
function project(o: {
  base?: Record<string, string>;
  head?: Record<string, string>;
  work?: Record<string, string>;
}) {
  const repo = new TempRepo("mlci-gate-");
  repos.push(repo);
  const baseSha = repo.commit("base", {
    "dvc.yaml": "metrics:\n  - metrics.json\n",
    "metrics.json": metrics(0.9),
    ".mlci/gates.yml": STRICT,
    ...o.base,
  });
  repo.git("checkout", "-q", "-b", "feature");
  const headSha = repo.commit("head", o.head ?? {});
  if (o.work) repo.write(o.work);
  return { repo, git: new Git(repo.dir), baseSha, headSha };
}

describe("computeGate", () => {
  it("judges the working tree against the base with the base's policy", async () => {
    const p = project({ work: { "metrics.json": metrics(0.85) } });
    const gate = await computeGate({ git: p.git, base: "main" });
    expect(gate.result.passed).toBe(false);
    expect(gate.result.sha).toBe(p.headSha);
    expect(gate.result.policy).toEqual({
      source: "base",
      path: ".mlci/gates.yml",
      rev: p.baseSha,
      changed: false,
    });
    expect(gate.result.failedRules[0]?.reason).toMatch(/dropped 0\.05 .* from 0\.9 at base/);
    expect(gate.base).toEqual({ ref: "main", sha: p.baseSha });
    expect(gate.text).toMatch(/^Gate failed: 1 of 1 rule/);
  });

  it("applies the base's policy when the pull request loosens it, and says so", async () => {
    const p = project({ head: { ".mlci/gates.yml": LOOSE }, work: { "metrics.json": metrics(0.85) } });
    const gate = await computeGate({ git: p.git, base: "main" });
    expect(gate.result.passed).toBe(false);
    expect(gate.result.policy).toMatchObject({ source: "base", rev: p.baseSha, changed: true });
    expect(gate.markdown).toContain("the pull request changes it");
    expect(gate.markdown).toMatch(
      /This pull request changes .*gates\.yml; the gate applied the base revision's policy/,
    );
    expect(gate.markdown).toContain("+    max_drop: 0.5");
    // With policy-from: head the loosened policy applies, with a warning.
    const head = await computeGate({ git: p.git, base: "main", policyFrom: "head" });
    expect(head.result.passed).toBe(true);
    expect(head.markdown).toContain("[!WARNING]");
  });

  it("takes directions from the policy's revision, not from the pull request's config", async () => {
    const policy = "version: 1\nrules:\n  - metric: eval.score\n    max_drop: 0.1\n";
    const p = project({
      base: {
        ".mlci/gates.yml": policy,
        ".mlci/config.yml": "metrics:\n  direction:\n    eval.score: lower\n",
      },
      head: { ".mlci/config.yml": "metrics:\n  direction:\n    eval.score: higher\n" },
      work: { "metrics.json": metrics(0.9, 0.9) },
    });
    const gate = await computeGate({ git: p.git, base: "main" });
    expect(gate.result.passed).toBe(false);
    expect(gate.result.rules[0]?.metrics[0]?.direction).toBe("lower");
  });

  it("fails closed when the base has no policy and the pull request adds one (unless bootstrap)", async () => {
    const repo = new TempRepo("mlci-gate-");
    repos.push(repo);
    repo.commit("base", { "dvc.yaml": "metrics:\n  - metrics.json\n", "metrics.json": metrics(0.9) });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("add a policy", { ".mlci/gates.yml": STRICT });
    const p = { git: new Git(repo.dir) };
    await expect(computeGate({ git: p.git, base: "main" })).rejects.toThrow(
      /a pull request cannot choose its own gate/,
    );
    const boot = await computeGate({ git: p.git, base: "main", bootstrap: true });
    expect(boot.result.policy?.source).toBe("head");
  });

  it("reports an invalid policy with its file, line and key", async () => {
    const p = project({
      base: { ".mlci/gates.yml": "version: 1\nrules:\n  - metric: eval.acc\n    mni: 3\n" },
    });
    await expect(computeGate({ git: p.git, base: "main" })).rejects.toMatchObject({
      code: "CONFIG",
      location: { file: ".mlci/gates.yml", line: 3, key: "rules[0]" },
    });
  });

  it("takes an inline policy or a policy file instead", async () => {
    const p = project({ work: { "metrics.json": metrics(0.85) } });
    const inline = await computeGate({
      git: p.git,
      base: "main",
      inlinePolicy: '{"version":1,"rules":[{"metric":"eval.acc","min":0.8}]}',
    });
    expect(inline.result.passed).toBe(true);
    expect(inline.result.policy).toEqual({ source: "inline" });
    const file = await computeGate({ git: p.git, base: "main", policyFile: { path: "my.yml", text: LOOSE } });
    expect(file.result.passed).toBe(true);
    expect(file.result.policy).toEqual({ source: "file", path: "my.yml" });
  });

  it("reads a file: baseline at the policy's revision, and fails when it is not there", async () => {
    const policy = (spec: string) =>
      `version: 1\nbaseline: "${spec}"\nrules:\n  - metric: eval.acc\n    max_drop: 0.01\n`;
    const p = project({
      base: { ".mlci/gates.yml": policy("file:baseline.json"), "baseline.json": metrics(0.86) },
      // The pull request edits the baseline file; the base's copy still applies.
      head: { "baseline.json": metrics(0.5) },
      work: { "metrics.json": metrics(0.85) },
    });
    const gate = await computeGate({ git: p.git, base: "main" });
    expect(gate.result.passed).toBe(true);
    expect(gate.result.rules[0]?.metrics[0]?.baseline).toBe(0.86);
    const missing = await computeGate({ git: p.git, base: "main", baseline: "file:nope.json" });
    expect(missing.result.passed).toBe(false);
    expect(missing.result.baseline).toEqual({
      label: `file:nope.json (not in ${p.baseSha.slice(0, 7)})`,
      available: false,
    });
    expect(missing.result.failedRules[0]?.reason).toMatch(/no baseline \(file:nope\.json \(not in/);
  });

  it("compares with the revision that holds a registry stage, and fails when none does", async () => {
    const p = project({ work: { "metrics.json": metrics(0.85) } });
    p.repo.git("checkout", "-q", "main");
    const prod = p.repo.commit("the model in prod", { "metrics.json": metrics(0.855) });
    p.repo.tag("model@v1.2.0", "Registering artifact model version v1.2.0", prod, "2026-01-01T00:00:01Z");
    p.repo.tag(
      "model#prod#1",
      "Assigning stage prod to artifact model version v1.2.0",
      prod,
      "2026-01-01T00:00:02Z",
    );
    p.repo.git("checkout", "-q", "feature");
    const gate = await computeGate({ git: p.git, base: "main", baseline: "registry:model#prod" });
    expect(gate.result.passed).toBe(true);
    expect(gate.result.baseline).toEqual({ label: "registry:model#prod (v1.2.0)", available: true });
    expect(gate.result.rules[0]?.metrics[0]?.baseline).toBe(0.855);
    const none = await computeGate({ git: p.git, base: "main", baseline: "registry:model#staging" });
    expect(none.result.passed).toBe(false);
    expect(none.result.failedRules[0]?.reason).toMatch(/no version of model holds stage staging/);
  });

  it("rejects a malformed baseline override with the schema's message", async () => {
    const p = project({});
    await expect(computeGate({ git: p.git, base: "main", baseline: "registry:" })).rejects.toMatchObject({
      code: "CONFIG",
    });
  });

  it("fails a metric missing at head, naming the file", async () => {
    const p = project({ work: { "metrics.json": null as unknown as string } });
    const gate = await computeGate({ git: p.git, base: "main" });
    expect(gate.result.passed).toBe(false);
    expect(gate.result.failedRules[0]?.reason).toMatch(
      /metrics\.json:eval\.acc is missing \(metrics\.json is missing/,
    );
  });

  it("judges a committed head revision, and without a base reads the head's policy", async () => {
    const p = project({ head: { "metrics.json": metrics(0.95) } });
    const gate = await computeGate({ git: p.git, head: "feature" });
    expect(gate.result.policy).toMatchObject({ source: "head", rev: p.headSha });
    // max_drop needs a baseline and there is none: fail closed.
    expect(gate.result.passed).toBe(false);
    expect(gate.result.failedRules[0]?.reason).toMatch(/no baseline \(base \(no base revision was given\)\)/);
  });
});
