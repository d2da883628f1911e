import * as core from "@actions/core";
import { booleanInput, type Runner, readRunner, renderRegisterSummary, runRegisterAction } from "@mlci/app";
import { formatError, MlciError } from "@mlci/common";

async function main(): Promise<void> {
  const runner = await readRunner(process.env);
  const log = { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) };
  const result = await runRegisterAction({
    inputs: {
      artifact: core.getInput("artifact"),
      stage: core.getInput("stage"),
      bump: core.getInput("bump"),
      version: core.getInput("version"),
      commit: core.getInput("commit"),
      gateResult: core.getInput("gate-result"),
      profile: core.getInput("profile"),
      release: booleanInput("release", core.getInput("release"), true),
      dispatchWorkflow: core.getInput("dispatch-workflow"),
      dispatchRef: core.getInput("dispatch-ref"),
      workingDirectory: core.getInput("working-directory") || ".",
    },
    ctx: runner.event(),
    before: typeof runner.payload.before === "string" ? runner.payload.before : undefined,
    octokit: octokit(runner, log),
    gitFor: runner.gitFor,
    workspace: runner.workspace,
    log,
  });
  const first = result.artifacts[0];
  core.setOutput("name", first?.name ?? "");
  core.setOutput("version", first?.version ?? "");
  core.setOutput("tag", first?.tag ?? "");
  core.setOutput("stage", first?.stage ?? "");
  core.setOutput("stage-tag", first?.stageTag ?? "");
  core.setOutput("release-url", first?.releaseUrl ?? "");
  core.setOutput("created", String(result.artifacts.some((a) => a.created || a.stageCreated)));
  core.setOutput("registered", JSON.stringify(result.artifacts));
  if (result.artifacts.length) await runner.appendSummary(renderRegisterSummary(result));
}

/** Registering writes tags: it needs a token. */
function octokit(runner: Runner, log: { info(m: string): void; warning(m: string): void }) {
  const client = runner.octokit(core.getInput("token"), log);
  if (!client)
    throw new MlciError("INPUT", "input `token` is empty: registering needs a token with `contents: write`");
  return client;
}

main().catch((err) => {
  core.setFailed(formatError(err));
});
