import { randomUUID } from "node:crypto";
import type { GitHubClient } from "./client";
import { isServerError, toApiError } from "./errors";

/**
 * Deployments and their statuses. A deployment records what was deployed where; its statuses say
 * how it went. Neither create is retried blindly (the client marks both non-idempotent): after a
 * 5xx we look for what GitHub stored, by a request id in the payload for deployments and by the
 * newest status for statuses, and only send again when nothing was stored.
 */

export type DeploymentState =
  | "error"
  | "failure"
  | "inactive"
  | "in_progress"
  | "queued"
  | "pending"
  | "success";

/** The payload key that holds our request id, so a retried create can find its first try. */
export const DEPLOYMENT_REQUEST_ID_KEY = "mlci_request_id";

export interface CreateDeploymentOptions {
  owner: string;
  repo: string;
  /** The commit (a SHA is best: a branch moves) or ref to deploy. */
  ref: string;
  environment: string;
  /** Extra information, stored as JSON with the deployment (the model, its version, a metrics digest). */
  payload: Record<string, unknown>;
  description?: string;
  /** Default `deploy`. */
  task?: string;
  /**
   * Checks that must pass before GitHub creates the deployment. Default `[]`: the gate decided
   * already, and a pending check of this very run (the deploy job) would otherwise block it (409).
   */
  requiredContexts?: string[];
  transientEnvironment?: boolean;
  /** Left to GitHub when absent (true for an environment named `production`). */
  productionEnvironment?: boolean;
  /** Our request id; generated when absent. */
  requestId?: string;
  /** Tries when GitHub answers 5xx (default 3). */
  attempts?: number;
  retryDelayMs?: number;
}

export interface DeploymentResult {
  id: number;
  url: string;
  sha: string;
  environment: string;
}

export interface CreateDeploymentStatusOptions {
  owner: string;
  repo: string;
  deploymentId: number;
  state: DeploymentState;
  /** Where the deployed thing can be reached. */
  environmentUrl?: string;
  /** The log of the deployment (the workflow run). */
  logUrl?: string;
  /** Cut to GitHub's 140 characters. */
  description?: string;
  /** Mark earlier successful deployments of the environment inactive on success (GitHub's default: true). */
  autoInactive?: boolean;
  attempts?: number;
  retryDelayMs?: number;
}

export interface DeploymentStatusResult {
  id: number;
  state: string;
}

const DESCRIPTION_LIMIT = 140;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cut(text: string, limit = DESCRIPTION_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Create a deployment (GITHUB_TOKEN needs `deployments: write`). */
export async function createDeployment(
  octokit: GitHubClient,
  o: CreateDeploymentOptions,
): Promise<DeploymentResult> {
  const requestId = o.requestId ?? `mlci-${randomUUID()}`;
  const attempts = o.attempts ?? 3;
  const params = {
    owner: o.owner,
    repo: o.repo,
    ref: o.ref,
    task: o.task ?? "deploy",
    environment: o.environment,
    payload: { ...o.payload, [DEPLOYMENT_REQUEST_ID_KEY]: requestId },
    required_contexts: o.requiredContexts ?? [],
    auto_merge: false,
    ...(o.description ? { description: cut(o.description) } : {}),
    ...(o.transientEnvironment !== undefined ? { transient_environment: o.transientEnvironment } : {}),
    ...(o.productionEnvironment !== undefined ? { production_environment: o.productionEnvironment } : {}),
  };
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await octokit.rest.repos.createDeployment({ ...params, request: { retries: 0 } });
        const data = res.data as { id?: unknown; url?: unknown; sha?: unknown; message?: unknown };
        // 202: GitHub merged the default branch into the ref instead; we never ask it to (auto_merge: false).
        if (typeof data.id !== "number") {
          throw new Error(
            `GitHub did not create the deployment: ${typeof data.message === "string" ? data.message : `answered ${res.status}`}`,
          );
        }
        return {
          id: data.id,
          url: String(data.url ?? ""),
          sha: String(data.sha ?? ""),
          environment: o.environment,
        };
      } catch (err) {
        if (!isServerError(err) || attempt >= attempts) throw err;
        await sleep((o.retryDelayMs ?? 1000) * attempt);
        const stored = await findDeployment(octokit, o, requestId);
        if (stored) return stored;
      }
    }
  } catch (err) {
    throw toApiError(err, `create a deployment of ${o.ref} to ${o.environment}`);
  }
}

async function findDeployment(
  octokit: GitHubClient,
  o: CreateDeploymentOptions,
  requestId: string,
): Promise<DeploymentResult | undefined> {
  const list = await octokit.rest.repos.listDeployments({
    owner: o.owner,
    repo: o.repo,
    environment: o.environment,
    per_page: 100,
  });
  const found = list.data.find((d) => {
    const payload = d.payload as Record<string, unknown> | string;
    return typeof payload === "object" && payload?.[DEPLOYMENT_REQUEST_ID_KEY] === requestId;
  });
  return found ? { id: found.id, url: found.url, sha: found.sha, environment: found.environment } : undefined;
}

/** Add a status to a deployment: `in_progress`, then `success` or `failure`. */
export async function createDeploymentStatus(
  octokit: GitHubClient,
  o: CreateDeploymentStatusOptions,
): Promise<DeploymentStatusResult> {
  const attempts = o.attempts ?? 3;
  const description = o.description ? cut(o.description) : undefined;
  const params = {
    owner: o.owner,
    repo: o.repo,
    deployment_id: o.deploymentId,
    state: o.state,
    ...(o.environmentUrl ? { environment_url: o.environmentUrl } : {}),
    ...(o.logUrl ? { log_url: o.logUrl } : {}),
    ...(description ? { description } : {}),
    ...(o.autoInactive !== undefined ? { auto_inactive: o.autoInactive } : {}),
  };
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await octokit.rest.repos.createDeploymentStatus({ ...params, request: { retries: 0 } });
        return { id: res.data.id, state: res.data.state };
      } catch (err) {
        if (!isServerError(err) || attempt >= attempts) throw err;
        await sleep((o.retryDelayMs ?? 1000) * attempt);
        const latest = await octokit.rest.repos.listDeploymentStatuses({
          owner: o.owner,
          repo: o.repo,
          deployment_id: o.deploymentId,
          per_page: 1,
        });
        const newest = latest.data[0];
        if (newest && newest.state === o.state && (newest.description ?? "") === (description ?? "")) {
          return { id: newest.id, state: newest.state };
        }
      }
    }
  } catch (err) {
    throw toApiError(err, `set deployment ${o.deploymentId} to ${o.state}`);
  }
}
