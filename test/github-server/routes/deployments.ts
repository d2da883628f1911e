import { ApiError, created, notFound, ok, paginate } from "../http";
import type { DeploymentRecord, Json, RepoState } from "../state";
import { type HandlerTable, intParam, login, type RouteContext, repoOf } from "./context";

/**
 * Deployments and their statuses. Like GitHub: a deployment of a commit whose checks did not
 * pass is refused (409) unless `required_contexts` says otherwise, and a `success` status marks
 * the environment's earlier successful deployments `inactive` (unless `auto_inactive: false`).
 * `auto_merge` is accepted and ignored.
 */

const PASSING = new Set(["success", "neutral", "skipped"]);

function deployment(ctx: RouteContext, repo: RepoState): DeploymentRecord {
  const id = intParam(ctx, "deployment_id");
  const found = repo.deployments.find((d) => d.json.id === id);
  if (!found) throw notFound();
  return found;
}

function statusJson(
  ctx: RouteContext,
  repo: RepoState,
  d: DeploymentRecord,
  state: string,
  body: Json,
): Json {
  const id = ctx.state.nextId();
  return {
    url: `${d.json.url}/statuses/${id}`,
    id,
    node_id: `DES_${id}`,
    state,
    creator: ctx.state.user(login(ctx)),
    description: body.description ?? "",
    environment: body.environment ?? d.json.environment,
    target_url: body.target_url ?? body.log_url ?? "",
    log_url: body.log_url ?? body.target_url ?? "",
    environment_url: body.environment_url ?? "",
    created_at: ctx.state.now(),
    updated_at: ctx.state.now(),
    deployment_url: d.json.url,
    repository_url: repo.json.url,
  };
}

export const deploymentRoutes: HandlerTable = {
  "repos/create-deployment": (ctx) => {
    const repo = repoOf(ctx);
    const ref = String(ctx.body.ref);
    const sha = ctx.state.resolveCommitish(repo, ref);
    if (!sha) throw new ApiError(422, `No ref found for: ${ref}`);
    if (ctx.body.required_contexts === undefined) {
      const failing = repo.checkRuns
        .map((r) => r.json)
        .filter((r) => r.head_sha === sha && !(r.status === "completed" && PASSING.has(r.conclusion)));
      if (failing.length) {
        throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, {
          errors: [
            {
              resource: "Deployment",
              code: "invalid",
              field: "required_contexts",
              value: failing.map((r) => ({ context: r.name, state: r.conclusion ?? "pending" })),
            },
          ],
        });
      }
    }
    const id = ctx.state.nextId();
    const environment = String(ctx.body.environment ?? "production");
    const url = `${ctx.state.apiUrl}/repos/${repo.json.full_name}/deployments/${id}`;
    const json: Json = {
      url,
      id,
      node_id: `DE_${id}`,
      sha,
      ref,
      task: ctx.body.task ?? "deploy",
      payload: ctx.body.payload ?? {},
      original_environment: environment,
      environment,
      description: ctx.body.description ?? null,
      creator: ctx.state.user(login(ctx)),
      created_at: ctx.state.now(),
      updated_at: ctx.state.now(),
      statuses_url: `${url}/statuses`,
      repository_url: repo.json.url,
      transient_environment: ctx.body.transient_environment === true,
      production_environment: ctx.body.production_environment ?? environment === "production",
    };
    repo.deployments.push({ json, statuses: [] });
    return created(json);
  },

  "repos/list-deployments": (ctx) => {
    let list = [...repoOf(ctx).deployments].reverse().map((d) => d.json);
    for (const key of ["sha", "ref", "task", "environment"] as const) {
      const v = ctx.query[key];
      if (typeof v === "string") list = list.filter((d) => d[key] === v);
    }
    return paginate(ctx, list);
  },

  "repos/get-deployment": (ctx) => ok(deployment(ctx, repoOf(ctx)).json),

  "repos/create-deployment-status": (ctx) => {
    const repo = repoOf(ctx);
    const d = deployment(ctx, repo);
    const state = String(ctx.body.state);
    const status = statusJson(ctx, repo, d, state, ctx.body);
    d.statuses.push(status);
    d.json.environment = status.environment;
    d.json.updated_at = status.updated_at;
    if (state === "success" && ctx.body.auto_inactive !== false) {
      for (const other of repo.deployments) {
        const last = other.statuses.at(-1);
        if (
          other !== d &&
          other.json.environment === d.json.environment &&
          last?.state === "success" &&
          !other.json.transient_environment
        ) {
          other.statuses.push(statusJson(ctx, repo, other, "inactive", { description: "" }));
        }
      }
    }
    return created(status);
  },

  "repos/list-deployment-statuses": (ctx) => {
    const d = deployment(ctx, repoOf(ctx));
    return paginate(ctx, [...d.statuses].reverse());
  },
};
