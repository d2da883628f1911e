import { MlciError } from "@mlci/common";
import type { GitHubClient } from "./client";
import { isNotFound, isServerError, toApiError } from "./errors";

/**
 * One comment per PR (or commit) that mlci keeps up to date, found by a hidden marker.
 *
 * - The search reads every page (100 per page): on a busy PR our comment may be on page 5.
 * - Only comments by our own identity count, so a marker pasted by someone else is ignored.
 *   The identity is given (`author`), not asked for: GET /user is refused to GITHUB_TOKEN.
 * - Several of ours (two runs raced and both created): the newest is updated, the others are
 *   left alone and returned in `duplicates`, so the caller can say so. Deleting them would be
 *   irreversible and the race can happen again anyway; the newest is the one readers see last.
 * - A create is never retried blindly: GitHub may store it and still answer 502. Before trying
 *   again we search again, so a retry never leaves two comments.
 */

export const BOT_LOGIN = "github-actions[bot]";
export const COMMENT_LIMIT = 65536;

export interface StickyTarget {
  owner: string;
  repo: string;
  /** The hidden marker, e.g. from `stickyMarker("report")`. Added to the body when missing. */
  marker: string;
  body: string;
  /** Logins whose comments may be ours (default `github-actions[bot]`). */
  author?: string | readonly string[];
  /** Create attempts when GitHub answers 5xx (default 3). */
  attempts?: number;
  /** Wait before searching again after a failed create, times the attempt (default 1000 ms). */
  retryDelayMs?: number;
}

export interface StickyResult {
  action: "created" | "updated";
  id: number;
  url: string;
  /** Older comments of ours with the same marker, left untouched. */
  duplicates: number[];
}

interface Comment {
  id: number;
  body?: string | null;
  html_url: string;
  user: { login: string } | null;
}

interface CommentApi {
  pages(): AsyncIterable<Comment[]>;
  create(body: string): Promise<Comment>;
  update(id: number, body: string): Promise<Comment>;
}

/** A marker that renders as nothing on GitHub. `key` tells mlci's comments apart (e.g. per workflow). */
export function stickyMarker(key: string): string {
  if (!/^[\w.:/@-]+$/.test(key)) {
    throw new MlciError(
      "INPUT",
      `A comment marker key may hold letters, digits and . _ : / @ - only, not "${key}"`,
    );
  }
  return `<!-- mlci:${key} -->`;
}

function withMarker(body: string, marker: string): string {
  return body.includes(marker) ? body : `${marker}\n${body}`;
}

function checkSize(body: string): void {
  const chars = [...body].length;
  if (chars > COMMENT_LIMIT) {
    throw new MlciError(
      "INPUT",
      `The comment is ${chars} characters; GitHub accepts at most ${COMMENT_LIMIT.toLocaleString("en-US")}`,
      { hint: "render the report with a smaller size budget" },
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function findOurs(api: CommentApi, marker: string, authors: Set<string>): Promise<Comment[]> {
  const found: Comment[] = [];
  for await (const page of api.pages()) {
    for (const c of page) {
      if (c.body?.includes(marker) && c.user && authors.has(c.user.login.toLowerCase())) found.push(c);
    }
  }
  // Comment ids grow with time, so the largest is the newest.
  return found.sort((a, b) => a.id - b.id);
}

async function upsert(api: CommentApi, target: StickyTarget, what: string): Promise<StickyResult> {
  const body = withMarker(target.body, target.marker);
  checkSize(body);
  const authors = new Set(
    (typeof target.author === "string" ? [target.author] : (target.author ?? [BOT_LOGIN])).map((a) =>
      a.toLowerCase(),
    ),
  );
  const attempts = target.attempts ?? 3;
  const delay = target.retryDelayMs ?? 1000;
  try {
    const ours = await findOurs(api, target.marker, authors);
    const newest = ours.at(-1);
    if (newest) {
      const duplicates = ours.slice(0, -1).map((c) => c.id);
      try {
        const c = newest.body === body ? newest : await api.update(newest.id, body);
        return { action: "updated", id: c.id, url: c.html_url, duplicates };
      } catch (err) {
        // Deleted since we listed it: create a new one below.
        if (!isNotFound(err)) throw err;
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const c = await api.create(body);
        return { action: "created", id: c.id, url: c.html_url, duplicates: [] };
      } catch (err) {
        if (!isServerError(err) || attempt >= attempts) throw err;
        await sleep(delay * attempt);
        const stored = (await findOurs(api, target.marker, authors)).at(-1);
        if (stored) {
          const c = stored.body === body ? stored : await api.update(stored.id, body);
          return { action: "created", id: c.id, url: c.html_url, duplicates: [] };
        }
      }
    }
  } catch (err) {
    throw toApiError(err, what);
  }
}

export interface StickyCommentOptions extends StickyTarget {
  /** The issue or pull request number. */
  issueNumber: number;
}

/** Create or update our comment on an issue or pull request. */
export async function upsertStickyComment(
  octokit: GitHubClient,
  options: StickyCommentOptions,
): Promise<StickyResult> {
  const { owner, repo, issueNumber } = options;
  const api: CommentApi = {
    pages: () =>
      (async function* () {
        const it = octokit.paginate.iterator(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: 100,
        });
        for await (const page of it) yield page.data;
      })(),
    create: async (body) =>
      (
        await octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: issueNumber,
          body,
          request: { retries: 0 },
        })
      ).data,
    update: async (id, body) =>
      (await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })).data,
  };
  return upsert(api, options, `post the comment on ${owner}/${repo}#${issueNumber}`);
}

export interface CommitCommentOptions extends StickyTarget {
  commitSha: string;
}

/** Create or update our comment on a commit (for pushes, where there is no pull request). */
export async function upsertCommitComment(
  octokit: GitHubClient,
  options: CommitCommentOptions,
): Promise<StickyResult> {
  const { owner, repo, commitSha } = options;
  const api: CommentApi = {
    pages: () =>
      (async function* () {
        const it = octokit.paginate.iterator(octokit.rest.repos.listCommentsForCommit, {
          owner,
          repo,
          commit_sha: commitSha,
          per_page: 100,
        });
        for await (const page of it) yield page.data;
      })(),
    create: async (body) =>
      (
        await octokit.rest.repos.createCommitComment({
          owner,
          repo,
          commit_sha: commitSha,
          body,
          request: { retries: 0 },
        })
      ).data,
    update: async (id, body) =>
      (await octokit.rest.repos.updateCommitComment({ owner, repo, comment_id: id, body })).data,
  };
  return upsert(api, options, `post the comment on commit ${commitSha.slice(0, 7)} in ${owner}/${repo}`);
}
