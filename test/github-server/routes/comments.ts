import { created, noContent, notFound, ok, paginate } from "../http";
import type { Json, RepoState } from "../state";
import {
  checkCommentBody,
  commitOrFail,
  type HandlerTable,
  intParam,
  login,
  param,
  type RouteContext,
  repoOf,
} from "./context";

/** Issue and pull request comments, and commit comments. */

function issueComment(ctx: RouteContext, repo: RepoState) {
  const id = intParam(ctx, "comment_id");
  const found = repo.issueComments.find((c) => c.json.id === id);
  if (!found) throw notFound();
  return found;
}

function commitComment(ctx: RouteContext, repo: RepoState): Json {
  const id = intParam(ctx, "comment_id");
  const found = repo.commitComments.find((c) => c.id === id);
  if (!found) throw notFound();
  return found;
}

function since(ctx: RouteContext, items: Json[]): Json[] {
  const s = ctx.query.since;
  if (typeof s !== "string") return items;
  const t = Date.parse(s);
  return Number.isNaN(t) ? items : items.filter((c) => Date.parse(c.updated_at) >= t);
}

export const commentRoutes: HandlerTable = {
  "issues/list-comments": (ctx) => {
    const repo = repoOf(ctx);
    const n = intParam(ctx, "issue_number");
    if (!repo.issues.has(n)) throw notFound();
    return paginate(ctx, since(ctx, ctx.state.issueComments(repo.json.full_name, n)));
  },

  "issues/list-comments-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    const all = since(
      ctx,
      repo.issueComments.map((c) => c.json),
    );
    return paginate(ctx, ctx.query.direction === "desc" ? [...all].reverse() : all);
  },

  "issues/create-comment": (ctx) => {
    const repo = repoOf(ctx);
    const n = intParam(ctx, "issue_number");
    if (!repo.issues.has(n)) throw notFound();
    checkCommentBody(ctx.body.body, "IssueComment");
    return created(
      ctx.state.addIssueComment(repo.json.full_name, n, { body: ctx.body.body, user: login(ctx) }),
    );
  },

  "issues/get-comment": (ctx) => ok(issueComment(ctx, repoOf(ctx)).json),

  "issues/update-comment": (ctx) => {
    const found = issueComment(ctx, repoOf(ctx));
    checkCommentBody(ctx.body.body, "IssueComment");
    found.json.body = ctx.body.body;
    found.json.updated_at = ctx.state.now();
    return ok(found.json);
  },

  "issues/delete-comment": (ctx) => {
    const repo = repoOf(ctx);
    const found = issueComment(ctx, repo);
    repo.issueComments = repo.issueComments.filter((c) => c !== found);
    const issue = repo.issues.get(found.issueNumber);
    if (issue) issue.comments = Math.max(0, (issue.comments as number) - 1);
    return noContent();
  },

  "repos/create-commit-comment": (ctx) => {
    const repo = repoOf(ctx);
    const sha = commitOrFail(ctx, repo, param(ctx, "commit_sha"));
    checkCommentBody(ctx.body.body, "CommitComment");
    const id = ctx.state.nextId();
    const json: Json = {
      id,
      node_id: `CC_${id}`,
      url: `${ctx.state.apiUrl}/repos/${repo.json.full_name}/comments/${id}`,
      html_url: `${repo.json.html_url}/commit/${sha}#commitcomment-${id}`,
      body: ctx.body.body,
      path: ctx.body.path ?? null,
      position: ctx.body.position ?? null,
      line: ctx.body.line ?? null,
      commit_id: sha,
      user: ctx.state.user(login(ctx)),
      created_at: ctx.state.now(),
      updated_at: ctx.state.now(),
      author_association: "NONE",
    };
    repo.commitComments.push(json);
    return created(json);
  },

  "repos/list-comments-for-commit": (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.state.resolveCommitish(repo, param(ctx, "commit_sha"));
    return paginate(
      ctx,
      repo.commitComments.filter((c) => c.commit_id === sha),
    );
  },

  "repos/list-commit-comments-for-repo": (ctx) => paginate(ctx, repoOf(ctx).commitComments),

  "repos/get-commit-comment": (ctx) => ok(commitComment(ctx, repoOf(ctx))),

  "repos/update-commit-comment": (ctx) => {
    const found = commitComment(ctx, repoOf(ctx));
    checkCommentBody(ctx.body.body, "CommitComment");
    found.body = ctx.body.body;
    found.updated_at = ctx.state.now();
    return ok(found);
  },

  "repos/delete-commit-comment": (ctx) => {
    const repo = repoOf(ctx);
    const found = commitComment(ctx, repo);
    repo.commitComments = repo.commitComments.filter((c) => c !== found);
    return noContent();
  },
};
