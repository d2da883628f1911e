import { ApiError, noContent, notFound, ok } from "../http";
import { type HandlerTable, intParam, login, param, repoOf } from "./context";
import { commitJson } from "./git";

/** Users, repositories, branches, commits and Actions (runs and dispatches). */

export const repoRoutes: HandlerTable = {
  // GITHUB_TOKEN is an installation token: GitHub refuses it here, so mlci never relies on /user.
  "users/get-authenticated": (ctx) => {
    const who = login(ctx);
    if (ctx.identity?.kind === "installation")
      throw new ApiError(403, "Resource not accessible by integration");
    return ok(ctx.state.user(who));
  },

  "users/get-by-username": (ctx) => {
    const found = ctx.state.users.get(param(ctx, "username").toLowerCase());
    if (!found) throw notFound();
    return ok(found);
  },

  "repos/get": (ctx) => ok(repoOf(ctx).json),

  "repos/get-branch": (ctx) => {
    const repo = repoOf(ctx);
    const name = param(ctx, "branch");
    const sha = repo.refs.get(`refs/heads/${name}`);
    if (!sha) throw new ApiError(404, "Branch not found");
    const o = repo.git.get(sha);
    return ok({
      name,
      commit: o?.type === "commit" ? { sha, commit: commitJson(ctx.state, repo, o) } : { sha },
      protected: false,
      _links: {
        self: `${ctx.state.apiUrl}/repos/${repo.json.full_name}/branches/${name}`,
        html: `${repo.json.html_url}/tree/${name}`,
      },
    });
  },

  "repos/get-commit": (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.state.resolveCommitish(repo, param(ctx, "ref"));
    const o = sha ? repo.git.get(sha) : undefined;
    if (o?.type !== "commit") throw new ApiError(422, `No commit found for SHA: ${param(ctx, "ref")}`);
    const c = commitJson(ctx.state, repo, o);
    return ok({
      sha: o.sha,
      node_id: c.node_id,
      url: `${ctx.state.apiUrl}/repos/${repo.json.full_name}/commits/${o.sha}`,
      html_url: c.html_url,
      commit: { ...c, comment_count: repo.commitComments.filter((x) => x.commit_id === o.sha).length },
      author: null,
      committer: null,
      parents: c.parents,
      files: [],
    });
  },

  "actions/get-workflow-run": (ctx) => {
    const run = repoOf(ctx).workflowRuns.get(intParam(ctx, "run_id"));
    if (!run) throw notFound();
    return ok(run);
  },

  "actions/create-workflow-dispatch": (ctx) => {
    const repo = repoOf(ctx);
    const workflowId = ctx.params.workflow_id ?? "";
    if (repo.workflows && !repo.workflows.includes(String(workflowId))) throw notFound();
    const ref = String(ctx.body.ref);
    const sha = ctx.state.resolveCommitish(repo, ref);
    if (!sha || /^[0-9a-f]{40}$/i.test(ref)) throw new ApiError(422, `No ref found for: ${ref}`);
    const by = login(ctx);
    repo.dispatches.push({
      kind: "workflow",
      workflowId,
      ref,
      inputs: (ctx.body.inputs as Record<string, unknown> | undefined) ?? {},
      by,
      at: ctx.state.now(),
    });
    // A queued run, so a test (or a caller asking for run details) can follow the dispatch.
    const id = ctx.state.nextId();
    const run = ctx.state.addWorkflowRun(repo.json.full_name, {
      id,
      event: "workflow_dispatch",
      status: "queued",
      conclusion: null,
      head_branch: ref.replace(/^refs\/(heads|tags)\//, ""),
      head_sha: sha,
      path: `.github/workflows/${workflowId}`,
      triggering_actor: ctx.state.user(by),
    });
    if (ctx.body.return_run_details === true) {
      return ok({ workflow_run_id: id, run_url: run.url, html_url: run.html_url });
    }
    return noContent();
  },

  "repos/create-dispatch-event": (ctx) => {
    const repo = repoOf(ctx);
    repo.dispatches.push({
      kind: "repository",
      eventType: String(ctx.body.event_type),
      clientPayload: (ctx.body.client_payload as Record<string, unknown> | undefined) ?? {},
      by: login(ctx),
      at: ctx.state.now(),
    });
    return noContent();
  },
};
