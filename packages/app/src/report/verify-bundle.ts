import { MlciError } from "@mlci/common";
import type { EventContext, GitHubClient } from "@mlci/github";
import type { ReportBundle } from "./bundle";

export interface VerifiedTarget {
  prNumber: number;
  headSha: string;
}

interface PullLike {
  number: number;
  head: { sha: string; repo: { full_name: string } | null };
}

/**
 * Decides whether a bundle from a pull request's run may be posted, trusting only the
 * `workflow_run` event (head SHA and head repository) and the API, never the bundle:
 * the open pull request whose head is that SHA in that repository must be the one the bundle names,
 * and the bundle's head SHA must be the event's.
 */
export async function verifyBundleTarget(
  octokit: GitHubClient,
  ctx: EventContext,
  bundle: ReportBundle,
): Promise<VerifiedTarget> {
  const run = ctx.workflowRun;
  if (ctx.eventName !== "workflow_run" || !run) {
    throw new MlciError("INPUT", `mode post-bundle runs only on workflow_run events, not ${ctx.eventName}`, {
      hint: "use it in the second workflow of the fork-safe pair (see docs/forks.md)",
    });
  }
  const headSha = run.headSha;
  const headRepo = run.headRepoFullName;
  if (!headSha || !headRepo) {
    throw new MlciError("INPUT", "the workflow_run event names no head commit or head repository");
  }
  const repository = `${ctx.owner}/${ctx.repo}`;
  if (bundle.repository.toLowerCase() !== repository.toLowerCase()) {
    throw new MlciError(
      "FAILED",
      `refusing the bundle: it names repository ${bundle.repository}, this is ${repository}`,
    );
  }
  if (bundle.headSha !== headSha || bundle.head.sha !== headSha) {
    throw new MlciError(
      "FAILED",
      `refusing the bundle: it names commit ${bundle.headSha.slice(0, 12)}, but the workflow_run event is for ${headSha.slice(0, 12)}`,
    );
  }
  const pulls = await findOpenPulls(octokit, ctx, run.headBranch, headRepo);
  const matching = pulls.filter(
    (p) => p.head.sha === headSha && p.head.repo?.full_name.toLowerCase() === headRepo.toLowerCase(),
  );
  if (matching.length === 0) {
    throw new MlciError(
      "NOT_FOUND",
      `no open pull request has head ${headRepo}@${headSha.slice(0, 12)}; it may have been closed or pushed to since`,
    );
  }
  const target = matching.find((p) => p.number === bundle.pullRequest);
  if (!target) {
    throw new MlciError(
      "FAILED",
      `refusing the bundle: it names pull request #${bundle.pullRequest}, but ${headRepo}@${headSha.slice(0, 12)} is the head of #${matching.map((p) => p.number).join(", #")}`,
    );
  }
  return { prNumber: target.number, headSha };
}

async function findOpenPulls(
  octokit: GitHubClient,
  ctx: EventContext,
  headBranch: string | undefined,
  headRepo: string,
): Promise<PullLike[]> {
  const owner = headRepo.split("/")[0] ?? "";
  if (headBranch) {
    const { data } = await octokit.rest.pulls.list({
      owner: ctx.owner,
      repo: ctx.repo,
      state: "open",
      head: `${owner}:${headBranch}`,
      per_page: 100,
    });
    if (data.length > 0) return data as PullLike[];
  }
  // The branch may be unknown or renamed: look through every open pull request.
  return (await octokit.paginate(octokit.rest.pulls.list, {
    owner: ctx.owner,
    repo: ctx.repo,
    state: "open",
    per_page: 100,
  })) as PullLike[];
}
