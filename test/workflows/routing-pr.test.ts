// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions, not JS ones
/**
 * The conditions that route a pull request, evaluated with GitHub's expression engine against
 * realistic contexts: who may train on your runners, when the report and the gate run and fail.
 */
import { describe, expect, it } from "vitest";
import { prContext, pushContext, simpleContext } from "./contexts";
import { evaluate, evaluateIf, inputsFor, interpolate, type NeedsResult } from "./expressions";
import type { Json } from "./files";
import { failed, jobRuns, ok, pr, skipped, step } from "./routing";

describe("mlci-pr.yml: who trains on your runners", () => {
  const run = (github: Json, inputs: Json = {}, validate: NeedsResult = skipped) => {
    const ctx = { github, inputs: inputsFor(pr, inputs) };
    return {
      validate: jobRuns(pr, "validate", {
        ...ctx,
        inputs: inputsFor(pr, { data: "data/train.csv", ...inputs }),
      }),
      train: jobRuns(pr, "train", { ...ctx, needs: { validate } }),
      waiting: jobRuns(pr, "awaiting-approval", ctx),
    };
  };

  it("a pull request from a branch of the repository trains at once", () => {
    expect(run(prContext())).toEqual({ validate: true, train: true, waiting: false });
    expect(run(prContext({ action: "synchronize" }))).toEqual({
      validate: true,
      train: true,
      waiting: false,
    });
  });

  it("a pull request from a fork waits for the approval label", () => {
    expect(run(prContext({ fork: true }))).toEqual({ validate: true, train: false, waiting: true });
  });

  it("the maintainer's label lets the fork train, once", () => {
    expect(run(prContext({ fork: true, action: "labeled", label: "mlci:approved" }))).toEqual({
      validate: true,
      train: true,
      waiting: false,
    });
    // A push after the approval is new code nobody has read: it waits for a new label.
    expect(run(prContext({ fork: true, action: "synchronize", labels: ["mlci:approved"] }))).toEqual({
      validate: true,
      train: false,
      waiting: true,
    });
  });

  it("another label does nothing at all, for forks and branches alike", () => {
    const none = { validate: false, train: false, waiting: false };
    expect(run(prContext({ fork: true, action: "labeled", label: "bug" }))).toEqual(none);
    expect(run(prContext({ action: "labeled", label: "bug", labels: ["mlci:approved"] }))).toEqual(none);
  });

  it("the label is an input, and the approval can be turned off for GitHub-hosted runners", () => {
    const custom = { "approval-label": "safe to train" };
    expect(run(prContext({ fork: true, action: "labeled", label: "safe to train" }), custom).train).toBe(
      true,
    );
    expect(run(prContext({ fork: true, action: "labeled", label: "mlci:approved" }), custom).train).toBe(
      false,
    );
    expect(run(prContext({ fork: true }), { "require-approval": false })).toEqual({
      validate: true,
      train: true,
      waiting: false,
    });
  });

  it("never trains in pull_request_target, which runs with a write token", () => {
    expect(run(prContext({ eventName: "pull_request_target" })).train).toBe(false);
  });

  it("trains on a push or by hand; not after failed data validation or a cancel", () => {
    expect(run(pushContext("refs/heads/main")).train).toBe(true);
    expect(run(simpleContext("workflow_dispatch")).train).toBe(true);
    expect(run(prContext(), {}, ok()).train).toBe(true);
    expect(run(prContext(), {}, failed).train).toBe(false);
    const ctx = { github: prContext(), inputs: inputsFor(pr), needs: { validate: skipped }, cancelled: true };
    expect(jobRuns(pr, "train", ctx)).toBe(false);
  });

  it("data validation runs only when there is data to validate", () => {
    expect(jobRuns(pr, "validate", { github: prContext(), inputs: inputsFor(pr) })).toBe(false);
  });
});

describe("mlci-pr.yml: report, gate and the fork bundle", () => {
  const inputs = inputsFor(pr);
  it("reports only after training succeeded", () => {
    const needs = (train: NeedsResult) => ({ validate: skipped, train });
    expect(jobRuns(pr, "report", { github: prContext(), inputs, needs: needs(ok()) })).toBe(true);
    expect(jobRuns(pr, "report", { github: prContext(), inputs, needs: needs(skipped) })).toBe(false);
    expect(jobRuns(pr, "report", { github: prContext(), inputs, needs: needs(failed) })).toBe(false);
  });

  it("fails the run after the report when the gate failed, unless told not to", () => {
    const fail = step(pr, "report", "Fail when the gate failed").if;
    const at = (passed: string, given: Json = {}) =>
      evaluateIf(fail, { inputs: inputsFor(pr, given), steps: { gate: { outputs: { passed } } } }, "step");
    expect(at("false")).toBe(true);
    expect(at("")).toBe(true); // the gate could not be evaluated: fail closed
    expect(at("true")).toBe(false);
    expect(at("false", { "fail-on-violation": false })).toBe(false);
  });

  it("uploads the report bundle only when the comment could not be posted (a fork)", () => {
    const upload = (pr.jobs.report.steps as Json[]).find((s) =>
      String(s.with?.name).startsWith("mlci-report-bundle"),
    );
    const at = (posted: string, jobStatus: "success" | "failure" = "success") =>
      evaluateIf(
        upload?.if,
        { steps: { report: { outputs: { posted, "bundle-path": "/tmp/b.json" } } }, jobStatus },
        "step",
      );
    expect(at("false")).toBe(true);
    expect(at("false", "failure")).toBe(true);
    expect(at("true")).toBe(false);
  });

  it("shows the data section only when the data was validated", () => {
    const report = step(pr, "report", "report");
    const at = (validate: NeedsResult) =>
      evaluate(report.with["data-result"], { needs: { validate }, runner: { temp: "/tmp/r" } });
    expect(at(ok())).toBe("/tmp/r/mlci-data/data-result.json");
    expect(at(skipped)).toBe("");
  });

  it("a new push cancels the previous run; a stray label starts no group of its own that cancels", () => {
    const group = (github: Json) => interpolate(pr.concurrency.group, { github, inputs });
    expect(group(prContext({ action: "synchronize" }))).toBe(group(prContext()));
    expect(group(prContext({ action: "labeled", label: "mlci:approved" }))).toBe(group(prContext()));
    expect(group(prContext({ action: "labeled", label: "bug" }))).not.toBe(group(prContext()));
    expect(group(prContext({ number: 8 }))).not.toBe(group(prContext()));
    expect(group(pushContext("refs/heads/main"))).toBe("mlci-pr-mlci-refs/heads/main");
    expect(pr.concurrency["cancel-in-progress"]).toBe(true);
  });

  it("takes runner labels as one label or a JSON array", () => {
    const runsOn = (value: string) =>
      evaluate(pr.jobs.train["runs-on"], { inputs: inputsFor(pr, { "train-runs-on": value }) });
    expect(runsOn("ubuntu-latest")).toBe("ubuntu-latest");
    expect(runsOn('["self-hosted", "gpu"]')).toEqual(["self-hosted", "gpu"]);
    expect(runsOn("arc-gpu-runners")).toBe("arc-gpu-runners");
  });

  it("fetches the history only for a registry reference (a string '0', since 0 would be false)", () => {
    const depth = (reference: string) =>
      evaluate(pr.jobs.validate.steps[0].with["fetch-depth"], { inputs: inputsFor(pr, { reference }) });
    expect(depth("registry:model#prod")).toBe("0");
    expect(depth("profiles/train.json")).toBe("1");
    expect(
      evaluate("startsWith(inputs.reference, 'registry:') && 0 || 1", {
        inputs: { reference: "registry:m#p" },
      }),
    ).toBe(1);
  });
});

describe("the expression check itself is not vacuous", () => {
  it("adds GitHub's implicit success() and tells true from false", () => {
    expect(evaluateIf("needs.a.outputs.x == 'true'", { needs: { a: failed } })).toBe(false);
    expect(evaluateIf("${{ always() && needs.a.result == 'failure' }}", { needs: { a: failed } })).toBe(true);
    expect(
      evaluateIf("github.event.pull_request.head.repo.full_name == github.repository", {
        github: prContext({ fork: true }),
      }),
    ).toBe(false);
  });

  it("a broken routing condition is caught: the fork trains without approval", () => {
    const broken = structuredClone(pr);
    broken.jobs.train.if = String(pr.jobs.train.if).replace("|| github.event.action == 'labeled'", "|| true");
    const ctx = { github: prContext({ fork: true }), inputs: inputsFor(pr), needs: { validate: skipped } };
    expect(jobRuns(broken, "train", ctx)).toBe(true);
    expect(jobRuns(pr, "train", ctx)).toBe(false);
  });

  it("rejects an input the workflow does not declare", () => {
    expect(() => inputsFor(pr, { "approval-lable": "x" })).toThrow(/not declared/);
  });
});
