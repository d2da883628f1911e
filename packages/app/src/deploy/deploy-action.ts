import { resolve } from "node:path";
import { formatError, MlciError } from "@mlci/common";
import { requirePassingGate } from "@mlci/gate";
import {
  createDeployment,
  createDeploymentStatus,
  type DeploymentState,
  type EventContext,
  type GitHubClient,
} from "@mlci/github";
import { readGateResultInput } from "./gate-input";
import { metricsDigest } from "./metrics-digest";
import type { CommandRunner } from "./run-command";

export interface DeployActionInputs {
  /** The gate result JSON, or the path of the gate action's result file. */
  gateResult: string;
  environment: string;
  model: string;
  /** Default: the commit's SHA. */
  version: string;
  command: string;
  environmentUrl: string;
  /** The commit to deploy; default: the event's. */
  sha: string;
  description: string;
  transientEnvironment: boolean;
  /** Undefined: GitHub decides (true for an environment named `production`). */
  productionEnvironment: boolean | undefined;
  workingDirectory: string;
}

export interface DeployActionDeps {
  inputs: DeployActionInputs;
  ctx: EventContext;
  octokit: GitHubClient | null;
  workspace: string;
  /** The environment the command inherits (the entry point passes process.env). */
  env: NodeJS.ProcessEnv;
  runCommand: CommandRunner;
  log: { info(m: string): void; warning(m: string): void; error(m: string): void };
}

export type DeployStatus = "success" | "failure" | "refused";

export interface DeployActionOutcome {
  status: DeployStatus;
  /** Undefined when no deployment was created. */
  deploymentId?: number;
  /** What the step must fail with, if anything. */
  failure?: Error;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

function required(value: string, name: string): string {
  const v = value.trim();
  if (!v) throw new MlciError("INPUT", `input \`${name}\` is required`);
  return v;
}

/**
 * The deploy action: refuse unless the gate passed for this very commit, then record a deployment
 * around the user's command: `in_progress`, the command, then `success` or `failure`. A refusal
 * makes no API call at all, so it leaves no deployment behind.
 */
export async function runDeployAction(deps: DeployActionDeps): Promise<DeployActionOutcome> {
  const { inputs, ctx, log } = deps;
  const environment = required(inputs.environment, "environment");
  const model = required(inputs.model, "model");
  const command = required(inputs.command, "command");
  const sha = inputs.sha.trim() || ctx.headSha;
  if (!sha) throw new MlciError("INPUT", "no commit to deploy: set `sha` (the event names none)");
  if (!deps.octokit) throw new MlciError("INPUT", "no token: `token` needs `deployments: write`");

  let digest: string;
  let gate: ReturnType<typeof requirePassingGate>;
  try {
    gate = requirePassingGate(await readGateResultInput(inputs.gateResult, deps.workspace), { sha });
    digest = metricsDigest(gate);
  } catch (err) {
    log.error(`deployment refused: ${formatError(err)}`);
    return { status: "refused", failure: asError(err) };
  }

  const version = inputs.version.trim() || sha;
  const owner = ctx.owner;
  const repo = ctx.repo;
  const logUrl = ctx.runUrl;
  const deployment = await createDeployment(deps.octokit, {
    owner,
    repo,
    ref: sha,
    environment,
    description: inputs.description.trim() || `${model} ${version}`,
    payload: {
      model,
      version,
      sha,
      metrics_digest: digest,
      gate: { passed: gate.passed, counts: gate.counts, ...(gate.policy ? { policy: gate.policy } : {}) },
    },
    transientEnvironment: inputs.transientEnvironment,
    ...(inputs.productionEnvironment !== undefined
      ? { productionEnvironment: inputs.productionEnvironment }
      : {}),
  });
  log.info(
    `created deployment ${deployment.id} of ${model} ${version} (${sha.slice(0, 7)}) to ${environment}`,
  );

  const status = (state: DeploymentState, description: string) =>
    createDeploymentStatus(deps.octokit as GitHubClient, {
      owner,
      repo,
      deploymentId: deployment.id,
      state,
      description,
      ...(logUrl ? { logUrl } : {}),
      ...(state !== "in_progress" && inputs.environmentUrl ? { environmentUrl: inputs.environmentUrl } : {}),
    });

  try {
    await status("in_progress", `Deploying ${model} ${version}`);
  } catch (err) {
    // The command must not run unrecorded; mark the deployment failed if GitHub lets us.
    await status("failure", "Could not record the start of the deployment").catch(() => undefined);
    return { status: "failure", deploymentId: deployment.id, failure: asError(err) };
  }

  const result = await deps.runCommand(command, {
    cwd: resolve(deps.workspace, inputs.workingDirectory || "."),
    env: {
      ...deps.env,
      MLCI_DEPLOYMENT_ID: String(deployment.id),
      MLCI_MODEL: model,
      MLCI_VERSION: version,
      MLCI_ENVIRONMENT: environment,
      MLCI_SHA: sha,
    },
  });
  const ok = result.code === 0;
  const how = result.signal ? `was stopped by ${result.signal}` : `exited with code ${result.code}`;
  try {
    await status(
      ok ? "success" : "failure",
      ok ? `Deployed ${model} ${version}` : `The deploy command ${how}`,
    );
  } catch (err) {
    log.error(
      `the deploy command ${ok ? "succeeded" : how}, but deployment ${deployment.id} could not be updated`,
    );
    return { status: ok ? "success" : "failure", deploymentId: deployment.id, failure: asError(err) };
  }
  if (ok) {
    log.info(`deployment ${deployment.id} succeeded`);
    return { status: "success", deploymentId: deployment.id };
  }
  return {
    status: "failure",
    deploymentId: deployment.id,
    failure: new MlciError(
      "FAILED",
      `the deploy command ${how}; deployment ${deployment.id} is marked failure`,
    ),
  };
}
