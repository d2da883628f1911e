import * as core from "@actions/core";
import { booleanInput, type OutsidePr, oneOf, readRunner, runPostBundle, runReportAction } from "@mlci/app";
import { formatError } from "@mlci/common";

const choice = <T extends string>(name: string, allowed: readonly T[]): T =>
  oneOf(name, core.getInput(name), allowed);

async function main(): Promise<void> {
  const runner = await readRunner(process.env);
  const ctx = runner.event();
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
      summary: booleanInput("summary", core.getInput("summary"), true),
    },
    ctx,
    octokit: runner.octokit(core.getInput("token"), log),
    gitFor: runner.gitFor,
    workspace: runner.workspace,
    runnerTemp: runner.runnerTemp,
    appendSummary: runner.appendSummary,
    log,
  };
  const before = typeof runner.payload.before === "string" ? runner.payload.before : undefined;
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
