// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow expressions, not JS ones
/**
 * The conditions that route the loop, evaluated with GitHub's expression engine against realistic
 * contexts: who may train on your runners, what a gate verdict lets through, when retraining runs.
 */
import { describe, expect, it } from "vitest";
import { prContext, pushContext, simpleContext, workflowRunContext } from "./contexts";
import {
  type ExpressionContexts,
  evaluate,
  evaluateIf,
  inputsFor,
  interpolate,
  type NeedsResult,
} from "./expressions";
import { type Json, workflowFile } from "./files";

const pr = workflowFile(".github/workflows/mlci-pr.yml").doc;
const deploy = workflowFile(".github/workflows/mlci-deploy.yml").doc;
const retrain = workflowFile(".github/workflows/mlci-retrain.yml").doc;
const comment = workflowFile(".github/workflows/mlci-pr-comment.yml").doc;
const sweep = workflowFile(".github/workflows/mlci-sweep.yml").doc;

const ok = (outputs: Record<string, string> = {}): NeedsResult => ({ result: "success", outputs });
const skipped: NeedsResult = { result: "skipped", outputs: {} };
const failed: NeedsResult = { result: "failure", outputs: {} };

function jobRuns(doc: Json, job: string, ctx: ExpressionContexts): boolean {
  return evaluateIf(doc.jobs[job].if, ctx, "job");
}

function step(doc: Json, job: string, idOrName: string): Json {
  const found = (doc.jobs[job].steps as Json[]).find((s) => s.id === idOrName || s.name === idOrName);
  if (!found) throw new Error(`no step ${idOrName} in ${job}`);
  return found;
}

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
    const plan = { include: [{ shard: 0, stages: ["train@0", "train@1"] }, { shard: 1, stages: ["train@2"] }] };
    const matrix = evaluate(sweep.jobs.train.strategy.matrix, { needs: { plan: ok({ matrix: JSON.stringify(plan) }) } });
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
