// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions, not JS ones
/**
 * The conditions that route the rest of the loop (deploy, retrain, fork comments, sweeps), evaluated
 * with GitHub's expression engine against realistic contexts.
 */
import { describe, expect, it } from "vitest";
import { prContext, pushContext, simpleContext, workflowRunContext } from "./contexts";
import { evaluate, evaluateIf, inputsFor, type NeedsResult } from "./expressions";
import type { Json } from "./files";
import { comment, deploy, failed, jobRuns, ok, retrain, skipped, step, sweep } from "./routing";

describe("mlci-deploy.yml: only a passing gate deploys", () => {
  const inputs = inputsFor(deploy, { artifact: "model", "deploy-command": "./deploy.sh" });
  const branch = pushContext("refs/heads/main");
  const tag = pushContext("refs/tags/model#prod#3");
  const gate = (passed: string): NeedsResult => ok({ passed, "result-json": "{}" });

  it("a stage tag is read first; a branch push skips that", () => {
    expect(jobRuns(deploy, "resolve", { github: tag, inputs })).toBe(true);
    expect(jobRuns(deploy, "resolve", { github: branch, inputs })).toBe(false);
  });

  it("the gate judges a merge, and a stage tag of this artifact and stage", () => {
    const at = (github: Json, resolve: NeedsResult) =>
      jobRuns(deploy, "gate", { github, inputs, needs: { resolve } });
    expect(at(branch, skipped)).toBe(true);
    expect(at(tag, ok({ deploy: "true", version: "v1.2.0" }))).toBe(true);
    expect(at(tag, ok({ deploy: "false" }))).toBe(false);
    expect(at(tag, failed)).toBe(false);
  });

  it("registers a version after a merge whose gate passed", () => {
    const at = (github: Json, passed: string) =>
      jobRuns(deploy, "register", { github, inputs, needs: { gate: gate(passed) } });
    expect(at(branch, "true")).toBe(true);
    expect(at(branch, "false")).toBe(false);
    expect(at(branch, "")).toBe(false);
    expect(at(tag, "true")).toBe(false);
  });

  it("deploys when the gate passed: the registered version after a merge, the tagged one after a stage tag", () => {
    expect(deploy.jobs.deploy.needs).toContain("gate");
    expect(deploy.jobs.deploy.if).toContain("needs.gate.outputs.passed == 'true'");
    expect(deploy.jobs.deploy.environment).toMatchObject({ deployment: false });
    const at = (github: Json, passed: string, register: NeedsResult, resolve: NeedsResult = skipped) =>
      jobRuns(deploy, "deploy", { github, inputs, needs: { resolve, gate: gate(passed), register } });
    expect(at(branch, "true", ok({ version: "v0.0.2" }))).toBe(true);
    expect(at(branch, "false", skipped)).toBe(false);
    expect(at(branch, "", skipped)).toBe(false); // not evaluated: fail closed
    expect(at(branch, "true", failed)).toBe(false);
    expect(at(tag, "true", skipped, ok({ deploy: "true", version: "v0.0.1" }))).toBe(true);
    expect(at(tag, "false", skipped, ok({ deploy: "true", version: "v0.0.1" }))).toBe(false);
  });

  it("deploys the version the path names", () => {
    const version = step(deploy, "deploy", "version").env.VERSION;
    const needs = { resolve: ok({ version: "v0.0.1" }), register: ok({ version: "v0.0.2" }) };
    expect(evaluate(version, { github: tag, needs })).toBe("v0.0.1");
    expect(evaluate(version, { github: branch, needs })).toBe("v0.0.2");
  });

  it("assigns the stage after a deployment from a merge, never after one from a stage tag", () => {
    const at = (github: Json, deployed: NeedsResult, given: Json = {}) =>
      jobRuns(deploy, "assign", {
        github,
        inputs: { ...inputs, ...given },
        needs: { gate: gate("true"), register: ok({ version: "v0.0.2" }), deploy: deployed },
      });
    expect(at(branch, ok())).toBe(true);
    expect(at(branch, failed)).toBe(false);
    expect(at(branch, ok(), { stage: "" })).toBe(false);
    expect(at(tag, ok())).toBe(false);
  });
});

describe("mlci-retrain.yml: retrain on drift, say so otherwise", () => {
  const inputs = inputsFor(retrain, {
    data: "data/fresh.csv",
    reference: "registry:model#prod",
    "app-id": "1",
  });
  const github = simpleContext("schedule");
  const check = (retrain: string): NeedsResult => ok({ retrain, reason: "x" });

  it("trains only when mlci retrain said so", () => {
    expect(jobRuns(retrain, "train", { github, inputs, needs: { check: check("true") } })).toBe(true);
    expect(jobRuns(retrain, "train", { github, inputs, needs: { check: check("false") } })).toBe(false);
    expect(jobRuns(retrain, "train", { github, inputs, needs: { check: check("") } })).toBe(false);
  });

  it("writes the summary when nothing drifted", () => {
    const nothing = step(retrain, "check", "Nothing to do").if;
    expect(evaluateIf(nothing, { steps: { retrain: { outputs: { retrain: "false" } } } }, "step")).toBe(true);
    expect(evaluateIf(nothing, { steps: { retrain: { outputs: { retrain: "true" } } } }, "step")).toBe(false);
  });

  it("opens the pull request after training, and not when it was skipped or failed", () => {
    const at = (train: NeedsResult) =>
      jobRuns(retrain, "pull-request", { github, inputs, needs: { check: check("true"), train } });
    expect(at(ok())).toBe(true);
    expect(at(skipped)).toBe(false);
    expect(at(failed)).toBe(false);
  });
});

describe("mlci-pr-comment.yml: posts for pull request runs only", () => {
  const at = (github: Json) => jobRuns(comment, "comment", { github, inputs: inputsFor(comment) });
  it("after a pull request's run, also when the gate failed it", () => {
    expect(at(workflowRunContext("pull_request", "success"))).toBe(true);
    expect(at(workflowRunContext("pull_request", "failure"))).toBe(true);
  });
  it("not for a cancelled run, another event, or outside workflow_run", () => {
    expect(at(workflowRunContext("pull_request", "cancelled"))).toBe(false);
    expect(at(workflowRunContext("push", "success"))).toBe(false);
    expect(at(prContext({ fork: true }))).toBe(false);
  });
});

describe("mlci-sweep.yml: plan, shards, merge", () => {
  const inputs = inputsFor(sweep, { metric: "eval.accuracy" });
  it("plans when started by hand, not for an unapproved fork", () => {
    expect(jobRuns(sweep, "plan", { github: simpleContext("workflow_dispatch"), inputs })).toBe(true);
    expect(jobRuns(sweep, "plan", { github: prContext({ fork: true }), inputs })).toBe(false);
    expect(
      jobRuns(sweep, "plan", {
        github: prContext({ fork: true, action: "labeled", label: "mlci:approved" }),
        inputs,
      }),
    ).toBe(true);
  });

  it("turns the plan into one job per shard, each training its stages", () => {
    const plan = {
      include: [
        { shard: 0, stages: ["train@0", "train@1"] },
        { shard: 1, stages: ["train@2"] },
      ],
    };
    const matrix = evaluate(sweep.jobs.train.strategy.matrix, {
      needs: { plan: ok({ matrix: JSON.stringify(plan) }) },
    });
    expect(matrix).toEqual(plan);
    const targets = (sweep.jobs.train.steps as Json[]).find((s) => s.id === "train")?.with.targets;
    expect(evaluate(targets, { matrix: plan.include[0] })).toBe("train@0 train@1");
  });

  it("merges what finished, even after a failed shard", () => {
    const at = (plan: NeedsResult, train: NeedsResult) =>
      jobRuns(sweep, "merge", { inputs, needs: { plan, train } });
    expect(at(ok(), ok())).toBe(true);
    expect(at(ok(), failed)).toBe(true);
    expect(at(skipped, skipped)).toBe(false);
  });
});
