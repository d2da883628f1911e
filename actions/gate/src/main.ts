import { appendFile, readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { runGateAction } from "@mlci/app";
import { formatError, MlciError } from "@mlci/common";
import type { PolicyFrom } from "@mlci/gate";
import { Git } from "@mlci/git";
import { createOctokit, parseEventContext } from "@mlci/github";

function choice<T extends string>(name: string, allowed: readonly T[]): T {
  const v = core.getInput(name).trim();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new MlciError("INPUT", `input \`${name}\` must be one of ${allowed.join(", ")}, not "${v}"`);
}

async function main(): Promise<void> {
  const env = process.env;
  const payload = env.GITHUB_EVENT_PATH ? JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) : {};
  const ctx = parseEventContext({ env, payload });
  const token = core.getInput("token");
  const log = {
    info: (m: string) => core.info(m),
    warning: (m: string) => core.warning(m),
    error: (m: string) => core.error(m),
  };
  const outcome = await runGateAction({
    inputs: {
      policyPath: core.getInput("policy-path"),
      policy: core.getInput("policy"),
      policyFrom: choice<PolicyFrom>("policy-from", ["base", "head"]),
      bootstrap: core.getBooleanInput("policy-bootstrap"),
      base: core.getInput("base"),
      head: core.getInput("head"),
      metrics: core.getMultilineInput("metrics"),
      baseline: core.getInput("baseline"),
      workingDirectory: core.getInput("working-directory") || ".",
      failOnViolation: core.getBooleanInput("fail-on-violation"),
      checkRun: core.getInput("check-run"),
      resultPath: core.getInput("result-path"),
      summary: core.getBooleanInput("summary"),
    },
    ctx,
    octokit: token
      ? createOctokit({ token, baseUrl: ctx.apiUrl, log: { warn: log.warning, info: log.info } })
      : null,
    gitFor: (dir: string) => new Git(dir),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    runnerTemp: env.RUNNER_TEMP ?? process.cwd(),
    appendSummary: async (markdown: string) => {
      if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    },
    log,
    ...(typeof payload.before === "string" ? { before: payload.before } : {}),
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
