import * as core from "@actions/core";
import { booleanInput, oneOf, readRunner, runGateAction } from "@mlci/app";
import { formatError } from "@mlci/common";
import type { PolicyFrom } from "@mlci/gate";

async function main(): Promise<void> {
  const runner = await readRunner(process.env);
  const log = {
    info: (m: string) => core.info(m),
    warning: (m: string) => core.warning(m),
    error: (m: string) => core.error(m),
  };
  const outcome = await runGateAction({
    inputs: {
      policyPath: core.getInput("policy-path"),
      policy: core.getInput("policy"),
      policyFrom: oneOf<PolicyFrom>("policy-from", core.getInput("policy-from"), ["base", "head"]),
      bootstrap: booleanInput("policy-bootstrap", core.getInput("policy-bootstrap"), false),
      base: core.getInput("base"),
      head: core.getInput("head"),
      metrics: core.getMultilineInput("metrics"),
      baseline: core.getInput("baseline"),
      workingDirectory: core.getInput("working-directory") || ".",
      failOnViolation: booleanInput("fail-on-violation", core.getInput("fail-on-violation"), true),
      checkRun: core.getInput("check-run"),
      resultPath: core.getInput("result-path"),
      summary: booleanInput("summary", core.getInput("summary"), true),
    },
    ctx: runner.event(),
    octokit: runner.octokit(core.getInput("token"), log),
    gitFor: runner.gitFor,
    workspace: runner.workspace,
    runnerTemp: runner.runnerTemp,
    appendSummary: runner.appendSummary,
    log,
    ...(typeof runner.payload.before === "string" ? { before: runner.payload.before } : {}),
  });
  const o = outcome.outputs;
  core.setOutput("passed", o.passed);
  core.setOutput("failed-rules", o.failedRules);
  core.setOutput("warnings", o.warnings);
  core.setOutput("result-json", o.resultJson);
  core.setOutput("result-path", o.resultPath);
  core.setOutput("check-run-url", o.checkRunUrl);
  if (outcome.failure) core.setFailed(formatError(outcome.failure));
}

main().catch((err) => {
  // Fail closed: a gate that could not run did not pass.
  core.setOutput("passed", "false");
  core.setFailed(formatError(err));
});
