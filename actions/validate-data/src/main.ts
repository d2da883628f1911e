import { availableParallelism } from "node:os";
import * as core from "@actions/core";
import { booleanInput, readRunner, runValidateDataAction } from "@mlci/app";
import { formatError } from "@mlci/common";
import { defaultWorkerUrl } from "@mlci/data";

async function main(): Promise<void> {
  const runner = await readRunner(process.env);
  const workerUrl = defaultWorkerUrl();
  const outcome = await runValidateDataAction({
    inputs: {
      data: core.getMultilineInput("data", { required: true }),
      schema: core.getInput("schema"),
      reference: core.getInput("reference"),
      profilePath: core.getInput("profile-path"),
      failOnError: booleanInput("fail-on-error", core.getInput("fail-on-error"), true),
      failOnDrift: booleanInput("fail-on-drift", core.getInput("fail-on-drift"), false),
      workingDirectory: core.getInput("working-directory") || ".",
      resultPath: core.getInput("result-path"),
    },
    workspace: runner.workspace,
    runnerTemp: runner.runnerTemp,
    gitFor: runner.gitFor,
    appendSummary: runner.appendSummary,
    log: { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) },
    annotate: (a) => {
      const props = {
        title: a.title,
        ...(a.file ? { file: a.file } : {}),
        ...(a.file && a.line ? { startLine: a.line } : {}),
      };
      if (a.level === "error") core.error(a.message, props);
      else core.warning(a.message, props);
    },
    // Runners have 2 to 4 cores; each worker reads its own byte ranges.
    parallelism: Math.min(4, availableParallelism()),
    ...(workerUrl ? { workerUrl } : {}),
  });
  const o = outcome.outputs;
  core.setOutput("passed", o.passed);
  core.setOutput("drifted", o.drifted);
  core.setOutput("drift-share", o.driftShare);
  core.setOutput("profile-path", o.profilePath);
  core.setOutput("result-path", o.resultPath);
  if (outcome.failure) core.setFailed(formatError(outcome.failure));
}

main().catch((err) => {
  // Fail closed: data that could not be checked did not pass.
  core.setOutput("passed", "false");
  core.setFailed(formatError(err));
});
