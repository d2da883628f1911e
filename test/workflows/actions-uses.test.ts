import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkActionRefs, checkActionUses, ourAction } from "./checks";
import { actionSpecs, allWorkflows, type Json, reusableWorkflows, stepsOf } from "./files";

const actions = actionSpecs();

describe("every use of our actions", () => {
  it("knows our actions and only ours", () => {
    expect([...actions.keys()]).toEqual(
      expect.arrayContaining(["deploy", "gate", "register", "report", "train", "validate-data"]),
    );
    expect(ourAction("mlci-dev/mlci/actions/gate@v1")).toBe("gate");
    expect(ourAction("<owner>/mlci/actions/report@v1")).toBe("report");
    expect(ourAction("./actions/train")).toBe("train");
    expect(ourAction("actions/checkout@v5")).toBeUndefined();
    expect(ourAction("mlci-dev/mlci/.github/workflows/mlci-pr.yml@v1")).toBeUndefined();
  });

  for (const wf of allWorkflows()) {
    it(`${wf.path}: names an existing action and passes only its declared inputs, and all required ones`, () => {
      expect(checkActionUses(wf.doc, actions)).toEqual([]);
    });
  }

  it("the reusable workflows use every action they are meant to", () => {
    const used = new Set(
      reusableWorkflows().flatMap((wf) =>
        stepsOf(wf.doc)
          .map(({ step }) => (typeof step.uses === "string" ? ourAction(step.uses) : undefined))
          .filter(Boolean),
      ),
    );
    expect([...used].sort()).toEqual(["deploy", "gate", "register", "report", "train", "validate-data"]);
  });

  for (const wf of reusableWorkflows()) {
    it(`${wf.path}: refers to our actions as mlci-dev/mlci/actions/<name>@<ref>, never ./actions`, () => {
      expect(checkActionRefs(wf.doc)).toEqual([]);
    });
  }
});

describe("the action check catches", () => {
  const snippet = (uses: string, withBlock: Json) =>
    parse(JSON.stringify({ jobs: { j: { "runs-on": "x", steps: [{ uses, with: withBlock }] } } })) as Json;

  it("an action that does not exist", () => {
    expect(checkActionUses(snippet("mlci-dev/mlci/actions/retrain@v1", {}), actions)).toEqual([
      "jobs.j.steps[0] (mlci-dev/mlci/actions/retrain@v1): there is no action actions/retrain",
    ]);
  });

  it("an input the action does not declare", () => {
    expect(checkActionUses(snippet("./actions/gate", { polcy: "x" }), actions)).toEqual([
      'jobs.j.steps[0] (./actions/gate): actions/gate has no input "polcy"',
    ]);
  });

  it("a required input that is missing", () => {
    const problems = checkActionUses(
      snippet("mlci-dev/mlci/actions/deploy@v1", { "gate-result": "x", environment: "p" }),
      actions,
    );
    expect(problems).toEqual([
      'jobs.j.steps[0] (mlci-dev/mlci/actions/deploy@v1): the required input "model" of actions/deploy is missing',
      'jobs.j.steps[0] (mlci-dev/mlci/actions/deploy@v1): the required input "command" of actions/deploy is missing',
    ]);
  });

  it("a reusable workflow that points at the caller's ./actions", () => {
    expect(checkActionRefs(snippet("./actions/report", {}))).toEqual([
      "jobs.j.steps[0]: ./actions/report must be mlci-dev/mlci/actions/<name>@<ref>",
    ]);
    expect(checkActionRefs(snippet("someone/else/actions/report@v1", {}))).toHaveLength(1);
  });
});
