import { MlciError } from "@mlci/common";
import {
  createCheckRun,
  type EventContext,
  type GitHubClient,
  isForkPermissionError,
  upsertCommitComment,
  upsertStickyComment,
} from "@mlci/github";
import { reportMarker } from "@mlci/report";

export type OutsidePr = "check-run" | "commit-comment" | "none";

export interface PostOutcome {
  posted: boolean;
  url: string;
  /** What happened, for the log. */
  message: string;
  /** true when the token could not write (a fork pull request). */
  readOnly: boolean;
}

export interface PostOptions {
  octokit: GitHubClient;
  ctx: EventContext;
  reportId: string;
  /** The comment body (already within GitHub's limit). */
  markdown: string;
  verdict: string;
  author: string;
  outsidePr: OutsidePr;
  /** The PR to comment on; defaults to the event's. */
  prNumber?: number;
  /** The commit for check runs and commit comments; defaults to the event's head. */
  sha?: string;
}

/**
 * Posts the report where the event calls for it: the sticky comment on a pull request; a check run
 * or commit comment otherwise. A read-only token (a fork pull request) is not an error: the caller
 * keeps the summary and the bundle, and the `workflow_run` half posts later.
 */
export async function postReport(o: PostOptions): Promise<PostOutcome> {
  const { octokit, ctx } = o;
  const marker = reportMarker(o.reportId);
  const prNumber = o.prNumber ?? ctx.prNumber;
  try {
    if (prNumber !== undefined) {
      const res = await upsertStickyComment(octokit, {
        owner: ctx.owner,
        repo: ctx.repo,
        issueNumber: prNumber,
        marker,
        body: o.markdown,
        author: o.author,
      });
      return { posted: true, url: res.url, message: `${res.action} comment ${res.url}`, readOnly: false };
    }
    const sha = o.sha ?? ctx.headSha;
    if (o.outsidePr === "none" || !sha) {
      return { posted: false, url: "", message: "not a pull request; posting is off", readOnly: false };
    }
    if (o.outsidePr === "commit-comment") {
      const res = await upsertCommitComment(octokit, {
        owner: ctx.owner,
        repo: ctx.repo,
        commitSha: sha,
        marker,
        body: o.markdown,
        author: o.author,
      });
      return {
        posted: true,
        url: res.url,
        message: `${res.action} commit comment ${res.url}`,
        readOnly: false,
      };
    }
    const res = await createCheckRun(octokit, {
      owner: ctx.owner,
      repo: ctx.repo,
      name: `mlci / report${o.reportId === "mlci" ? "" : ` (${o.reportId})`}`,
      headSha: sha,
      status: "completed",
      conclusion: "neutral",
      output: { title: o.verdict, summary: o.markdown },
    });
    return { posted: true, url: res.url, message: `created check run ${res.url}`, readOnly: false };
  } catch (err) {
    if (isForkPermissionError(err)) {
      return {
        posted: false,
        url: "",
        readOnly: true,
        message:
          "the token cannot write here (a pull request from a fork gets a read-only token); the report is in the job summary and the report bundle, for a workflow_run workflow to post",
      };
    }
    if (err instanceof MlciError) throw err;
    throw new MlciError("API", `could not post the report: ${(err as Error).message}`, { cause: err });
  }
}
