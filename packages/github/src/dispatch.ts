import type { GitHubClient } from "./client";
import { toApiError } from "./errors";
import type { RepoRef } from "./refs";

export interface DispatchWorkflowOptions extends RepoRef {
  /** The workflow file name (`deploy.yml`) or its numeric id. */
  workflow: string;
  /** The branch or tag the run uses (its workflow file and `github.ref`); not a SHA. */
  ref: string;
  /** `workflow_dispatch` inputs; GitHub takes strings. */
  inputs: Record<string, string>;
}

/**
 * Starts a `workflow_dispatch` run. Unlike a tag pushed with GITHUB_TOKEN, a dispatch made with
 * it does start a workflow, which is how a promotion reaches its deployment without an App token.
 * Not retried on 5xx (the client leaves dispatches alone): a second dispatch would deploy twice.
 */
export async function dispatchWorkflow(octokit: GitHubClient, o: DispatchWorkflowOptions): Promise<void> {
  const workflow = /^\d+$/.test(o.workflow) ? Number(o.workflow) : o.workflow;
  try {
    await octokit.rest.actions.createWorkflowDispatch({
      owner: o.owner,
      repo: o.repo,
      workflow_id: workflow,
      ref: o.ref,
      inputs: o.inputs,
    });
  } catch (err) {
    throw toApiError(err, `dispatch workflow ${o.workflow} on ${o.ref}`);
  }
}
