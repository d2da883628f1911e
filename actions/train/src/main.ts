import * as core from "@actions/core";
import {
  booleanInput,
  type CacheService,
  cancelOnSignals,
  directoryCacheService,
  type GpuMode,
  oneOf,
  readRunner,
  runTrainAction,
} from "@mlci/app";
import { formatError } from "@mlci/common";
import { actionsCacheService } from "./actions-cache";

function cacheService(env: NodeJS.ProcessEnv, workspace: string): CacheService {
  // Test-only: the end-to-end tests have no GitHub cache service and keep the cache in a folder.
  if (env.MLCI_TEST_CACHE_DIR) return directoryCacheService(env.MLCI_TEST_CACHE_DIR, workspace);
  return actionsCacheService();
}

async function main(): Promise<void> {
  // A cancelled job sends SIGINT (then SIGTERM): stop the running stage and record the run.
  const cancel = cancelOnSignals((sig) =>
    core.warning(`${sig}: cancelling the run, stopping the running stage`),
  );
  const runner = await readRunner(process.env);
  const { env, workspace } = runner;
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  // The commit trained is what is checked out (a pull request's merge commit by default).
  const sha = await runner
    .gitFor(workspace)
    .revParse("HEAD")
    .catch(() => env.GITHUB_SHA);
  const result = await runTrainAction({
    inputs: {
      targets: core.getInput("targets").split(/\s+/).filter(Boolean),
      force: booleanInput("force", core.getInput("force"), false),
      downstream: booleanInput("downstream", core.getInput("downstream"), false),
      command: core.getInput("command"),
      workingDirectory: core.getInput("working-directory") || ".",
      cache: booleanInput("cache", core.getInput("cache"), true),
      cacheKeyPrefix: core.getInput("cache-key-prefix") || "mlci-dvc",
      gpu: oneOf<GpuMode>("gpu", core.getInput("gpu"), ["auto", "true", "false"]),
      requireGpu: booleanInput("require-gpu", core.getInput("require-gpu"), false),
      runRecord: core.getInput("run-record"),
      metrics: core.getMultilineInput("metrics"),
      summary: booleanInput("summary", core.getInput("summary"), true),
    },
    workspace,
    runnerTemp: runner.runnerTemp,
    runnerOs: env.RUNNER_OS ?? process.platform,
    env,
    facts: {
      ...(sha ? { sha } : {}),
      runner: {
        ...(env.RUNNER_NAME ? { name: env.RUNNER_NAME } : {}),
        ...(env.RUNNER_OS ? { os: env.RUNNER_OS } : {}),
        ...(env.RUNNER_ARCH ? { arch: env.RUNNER_ARCH } : {}),
      },
      ...(runUrl ? { runUrl } : {}),
    },
    cacheService: cacheService(env, workspace),
    log: {
      info: (m) => core.info(m),
      warning: (m) => core.warning(m),
      error: (m, title) => core.error(m, { title }),
      startGroup: (t) => core.startGroup(t),
      endGroup: () => core.endGroup(),
      write: (chunk) => process.stdout.write(chunk),
    },
    appendSummary: runner.appendSummary,
    signal: cancel.signal,
  });
  cancel.dispose();
  for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
  if (result.failure) core.setFailed(result.failure);
}

main().catch((err) => {
  core.setFailed(formatError(err));
});
