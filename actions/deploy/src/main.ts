import * as core from "@actions/core";
import { booleanInput, readRunner, runDeployAction, runShellCommand } from "@mlci/app";
import { formatError } from "@mlci/common";

async function main(): Promise<void> {
  const runner = await readRunner(process.env);
  const env = runner.env;
  const log = {
    info: (m: string) => core.info(m),
    warning: (m: string) => core.warning(m),
    error: (m: string) => core.error(m),
  };
  const outcome = await runDeployAction({
    inputs: {
      gateResult: core.getInput("gate-result"),
      environment: core.getInput("environment"),
      model: core.getInput("model"),
      version: core.getInput("version"),
      command: core.getInput("command"),
      environmentUrl: core.getInput("environment-url"),
      sha: core.getInput("sha"),
      description: core.getInput("description"),
      transientEnvironment: booleanInput(
        "transient-environment",
        core.getInput("transient-environment"),
        false,
      ),
      productionEnvironment: booleanInput(
        "production-environment",
        core.getInput("production-environment"),
        undefined,
      ),
      workingDirectory: core.getInput("working-directory") || ".",
    },
    ctx: runner.event(),
    octokit: runner.octokit(core.getInput("token"), log),
    workspace: runner.workspace,
    // The command gets the job's environment but not this action's inputs (the token among them).
    env: Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("INPUT_"))),
    runCommand: runShellCommand,
    log,
  });
  core.setOutput("deployment-id", outcome.deploymentId === undefined ? "" : String(outcome.deploymentId));
  core.setOutput("status", outcome.status);
  if (outcome.failure) core.setFailed(formatError(outcome.failure));
}

main().catch((err) => {
  // Bad inputs, or GitHub refused the deployment itself: nothing was deployed.
  core.setOutput("status", "failure");
  core.setFailed(formatError(err));
});
