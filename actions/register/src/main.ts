import { appendFile, readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { renderRegisterSummary, runRegisterAction } from "@mlci/app";
import { formatError } from "@mlci/common";
import { Git } from "@mlci/git";
import { createOctokit, parseEventContext } from "@mlci/github";

async function main(): Promise<void> {
  const env = process.env;
  const payload = env.GITHUB_EVENT_PATH ? JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) : {};
  const ctx = parseEventContext({ env, payload });
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
      release: core.getBooleanInput("release"),
      dispatchWorkflow: core.getInput("dispatch-workflow"),
      dispatchRef: core.getInput("dispatch-ref"),
      workingDirectory: core.getInput("working-directory") || ".",
    },
    ctx,
    before: typeof payload.before === "string" ? payload.before : undefined,
    octokit: createOctokit({
      token: core.getInput("token"),
      baseUrl: ctx.apiUrl,
      log: { warn: log.warning, info: log.info },
    }),
    gitFor: (dir: string) => new Git(dir),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
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
  if (env.GITHUB_STEP_SUMMARY && result.artifacts.length) {
    await appendFile(env.GITHUB_STEP_SUMMARY, renderRegisterSummary(result));
  }
}

main().catch((err) => {
  core.setFailed(formatError(err));
});
