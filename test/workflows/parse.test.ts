import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allWorkflows, localPathOfReusable, MLCI_REF, MLCI_REPO, ROOT, templates } from "./files";
import { parseWorkflowText, type WorkflowFiles } from "./parser";

/** Our reusable workflows as GitHub would fetch them for `mlci-dev/mlci/.github/workflows/x.yml@v1`. */
const ours: WorkflowFiles = (ref) => {
  if (`${ref.owner}/${ref.repository}` !== MLCI_REPO || ref.version !== MLCI_REF) return undefined;
  const path = localPathOfReusable(`${MLCI_REPO}/${ref.path}@${ref.version}`);
  return path ? readFileSync(join(ROOT, path), "utf8") : undefined;
};

describe("GitHub's workflow parser accepts every workflow we ship", () => {
  for (const wf of allWorkflows()) {
    it(`${wf.path} has no errors`, async () => {
      const { errors, template } = await parseWorkflowText(wf.path, wf.text, ours);
      expect(errors).toEqual([]);
      expect(template?.jobs.length).toBeGreaterThan(0);
    });
  }

  it("checks each template's `with:` against the reusable workflow it calls", async () => {
    const calls = templates().filter((t) => /\.github\/workflows\//.test(t.text));
    expect(calls.length).toBe(templates().length);
    for (const t of calls) {
      const { template } = await parseWorkflowText(t.path, t.text, ours);
      const job = template?.jobs[0];
      // The parser loaded the called workflow and put its jobs under the calling job.
      expect(job?.type, t.path).toBe("reusableWorkflowJob");
      if (job?.type === "reusableWorkflowJob") expect(job.jobs?.length, t.path).toBeGreaterThan(0);
    }
  });
});

describe("the parser check is not vacuous", () => {
  const template = readFileSync(join(ROOT, "workflows", "mlci-pull-request.yml"), "utf8");

  it("reports an unknown key, and a job that needs a job that is not there", async () => {
    const job = (needs: string) =>
      `jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n  c:\n    needs: ${needs}\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n`;
    expect((await parseWorkflowText("ok.yml", `on: push\n${job("a")}`, ours)).errors).toEqual([]);
    const unknownKey = await parseWorkflowText("broken.yml", `on: push\npermission: {}\n${job("a")}`, ours);
    expect(unknownKey.errors.join("\n")).toMatch(/Unexpected value 'permission'/);
    const unknownJob = await parseWorkflowText("broken.yml", `on: push\n${job("gat")}`, ours);
    expect(unknownJob.errors.join("\n")).toMatch(/gat/);
  });

  it("reports an input the called workflow does not declare, and a missing required one", async () => {
    const unknown = await parseWorkflowText("t.yml", template.replace("train-runs-on:", "train-runs:"), ours);
    expect(unknown.errors.join("\n")).toMatch(/train-runs is not defined in the referenced workflow/);
    const deploy = readFileSync(join(ROOT, "workflows", "mlci-deploy.yml"), "utf8");
    const missing = await parseWorkflowText("t.yml", deploy.replace(/^\s+artifact: .*$/m, ""), ours);
    expect(missing.errors.join("\n")).toMatch(/Input artifact is required/);
  });

  it("reports a reusable workflow that does not exist", async () => {
    const { errors } = await parseWorkflowText(
      "t.yml",
      template.replace("mlci-pr.yml@", "mlci-nope.yml@"),
      ours,
    );
    expect(errors.join("\n")).toMatch(/Unable to find reusable workflow/);
  });
});
