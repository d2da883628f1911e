import { appendFile, readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { type OutsidePr, runPostBundle, runReportAction } from "@mlci/app";
import { formatError, MlciError } from "@mlci/common";
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
  const mode = choice("mode", ["report", "post-bundle"] as const);
  const log = { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) };
  const deps = {
    inputs: {
      mode,
      base: core.getInput("base"),
      head: core.getInput("head"),
      metrics: core.getMultilineInput("metrics"),
      params: core.getMultilineInput("params"),
      plots: core.getMultilineInput("plots"),
      workingDirectory: core.getInput("working-directory") || ".",
      reportId: core.getInput("report-id"),
      commentAuthor: core.getInput("comment-author") || "github-actions[bot]",
      outsidePr: choice<OutsidePr>("outside-pr", ["check-run", "commit-comment", "none"]),
      runRecord: core.getInput("run-record"),
      gateResult: core.getInput("gate-result"),
      dataResult: core.getInput("data-result"),
      bundlePath: core.getInput("bundle-path"),
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
  };
  const before = typeof payload.before === "string" ? payload.before : undefined;
  const result = mode === "post-bundle" ? await runPostBundle(deps) : await runReportAction(deps, before);
  const c = result.diff.counts;
  core.setOutput("report-path", result.reportPath);
  core.setOutput("comment-url", result.commentUrl);
  core.setOutput("improved", String(c.improved));
  core.setOutput("regressed", String(c.regressed));
  core.setOutput("unchanged", String(c.unchanged));
  core.setOutput("bundle-path", result.bundlePath);
  core.setOutput("posted", String(result.posted));
  // Job outputs are limited to 1 MB: keep the JSON output well below, the full diff is in the bundle.
  const json = JSON.stringify({ counts: c, metrics: result.diff.metrics, params: result.diff.params });
  core.setOutput(
    "diff-json",
    json.length <= 512 * 1024 ? json : JSON.stringify({ counts: c, truncated: true }),
  );
}

main().catch((err) => {
  core.setFailed(formatError(err));
});
