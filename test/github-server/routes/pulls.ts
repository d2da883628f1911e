import { created, notFound, ok, paginate, validationFailed } from "../http";
import type { Json, RepoState } from "../state";
import { type HandlerTable, intParam, login, param, type RouteContext, repoOf } from "./context";

/** Pull requests: get, list (state/head/base filters), create, update, and PRs for a commit. */

function pull(ctx: RouteContext, repo: RepoState): Json {
  const found = repo.pulls.get(intParam(ctx, "pull_number"));
  if (!found) throw notFound();
  return found;
}

function byCreated(a: Json, b: Json): number {
  return a.number - b.number;
}

export const pullRoutes: HandlerTable = {
  "pulls/get": (ctx) => ok(pull(ctx, repoOf(ctx))),

  "pulls/list": (ctx) => {
    const repo = repoOf(ctx);
    const state = typeof ctx.query.state === "string" ? ctx.query.state : "open";
    let pulls = [...repo.pulls.values()].filter((p) => state === "all" || p.state === state);
    if (typeof ctx.query.head === "string") {
      // GitHub documents `user:ref`; a bare ref filters on the branch name alone here.
      const [owner, ref] = ctx.query.head.includes(":")
        ? ctx.query.head.split(":", 2)
        : [undefined, ctx.query.head];
      pulls = pulls.filter(
        (p) =>
          p.head.ref === ref &&
          (owner === undefined || p.head.user.login.toLowerCase() === owner.toLowerCase()),
      );
    }
    if (typeof ctx.query.base === "string") pulls = pulls.filter((p) => p.base.ref === ctx.query.base);
    pulls.sort(byCreated);
    const asc =
      ctx.query.direction === "asc" || (ctx.query.direction === undefined && ctx.query.sort === "popularity");
    return paginate(ctx, asc ? pulls : pulls.reverse());
  },

  "pulls/create": (ctx) => {
    const repo = repoOf(ctx);
    const headSpec = String(ctx.body.head);
    const baseRef = String(ctx.body.base);
    const colon = headSpec.indexOf(":");
    const headOwner = colon > 0 ? headSpec.slice(0, colon) : repo.json.owner.login;
    const headRef = colon > 0 ? headSpec.slice(colon + 1) : headSpec;
    const headRepo =
      headOwner.toLowerCase() === repo.json.owner.login.toLowerCase()
        ? repo
        : ctx.state.findRepo(
            headOwner,
            String(ctx.body.head_repo ?? repo.json.name)
              .split("/")
              .pop() ?? "",
          );
    const baseSha = repo.refs.get(`refs/heads/${baseRef}`);
    const headSha = headRepo?.refs.get(`refs/heads/${headRef}`);
    const errors = [
      ...(baseSha ? [] : [{ resource: "PullRequest", field: "base", code: "invalid" }]),
      ...(headRepo && headSha ? [] : [{ resource: "PullRequest", field: "head", code: "invalid" }]),
    ];
    if (errors.length || !baseSha || !headSha || !headRepo) throw validationFailed(errors);
    const label = `${headOwner}:${headRef}`;
    if (
      [...repo.pulls.values()].some(
        (p) => p.state === "open" && p.head.label === label && p.base.ref === baseRef,
      )
    ) {
      throw validationFailed([
        { resource: "PullRequest", code: "custom", message: `A pull request already exists for ${label}.` },
      ]);
    }
    if (headSha === baseSha || repo.git.isAncestor(headSha, baseSha)) {
      throw validationFailed([
        { resource: "PullRequest", code: "custom", message: `No commits between ${baseRef} and ${headRef}` },
      ]);
    }
    return created(
      ctx.state.createPull(repo, {
        number: undefined,
        title: String(ctx.body.title ?? headRef),
        body: String(ctx.body.body ?? ""),
        user: login(ctx),
        head: headRepo,
        headRef,
        headSha,
        baseRef,
        baseSha,
        state: "open",
        draft: ctx.body.draft === true,
      }),
    );
  },

  "pulls/update": (ctx) => {
    const repo = repoOf(ctx);
    const p = pull(ctx, repo);
    for (const key of ["title", "body", "state"] as const)
      if (ctx.body[key] !== undefined) p[key] = ctx.body[key];
    if (ctx.body.state === "closed") p.closed_at = ctx.state.now();
    p.updated_at = ctx.state.now();
    const issue = repo.issues.get(p.number);
    if (issue)
      Object.assign(issue, { title: p.title, body: p.body, state: p.state, updated_at: p.updated_at });
    return ok(p);
  },

  "repos/list-pull-requests-associated-with-commit": (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.state.resolveCommitish(repo, param(ctx, "commit_sha"));
    if (!sha) return ok([]);
    const pulls = [...repo.pulls.values()].filter(
      (p) =>
        p.head.sha === sha ||
        p.merge_commit_sha === sha ||
        (repo.git.isAncestor(sha, p.head.sha) && !repo.git.isAncestor(sha, p.base.sha)),
    );
    return paginate(ctx, pulls.sort(byCreated).reverse());
  },
};
