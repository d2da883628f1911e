import { ApiError, created, invalidRequest, notFound, ok, paginate, validationFailed } from "../http";
import type { CheckRunRecord, Json, RepoState } from "../state";
import { commitOrFail, type HandlerTable, intParam, param, type RouteContext, repoOf } from "./context";

/** Check runs: create, update (annotations append), get, list for a ref, list annotations. */

const OUTPUT_LIMIT = 65535;

function checkRun(ctx: RouteContext, repo: RepoState): CheckRunRecord {
  const id = intParam(ctx, "check_run_id");
  const found = repo.checkRuns.find((c) => c.json.id === id);
  if (!found) throw notFound();
  return found;
}

/** The Checks API is for GitHub Apps (GITHUB_TOKEN is one); a person's token is refused. */
function requireApp(ctx: RouteContext): void {
  if (ctx.identity?.kind === "user") throw new ApiError(403, "You must authenticate via a GitHub App.");
}

/** Characters are checked by the schema; GitHub also counts UTF-8 bytes, which emoji can exceed. */
function checkOutputBytes(output: Json | undefined): void {
  for (const field of ["summary", "text"] as const) {
    const v = output?.[field];
    if (typeof v === "string" && Buffer.byteLength(v, "utf8") > OUTPUT_LIMIT) {
      throw validationFailed([
        {
          resource: "CheckRun",
          code: "custom",
          field,
          message: `${field} exceeds a maximum bytesize of ${OUTPUT_LIMIT}`,
        },
      ]);
    }
  }
}

/** Apply status, conclusion and output fields shared by create and update. */
function apply(ctx: RouteContext, run: CheckRunRecord, body: Json): void {
  const j = run.json;
  for (const key of ["name", "details_url", "external_id", "started_at"] as const) {
    if (body[key] !== undefined) j[key] = body[key];
  }
  if (body.status !== undefined) j.status = body.status;
  if (body.conclusion !== undefined) {
    j.conclusion = body.conclusion;
    j.status = "completed";
  }
  if (j.status === "completed" && !j.conclusion) throw invalidRequest(`"conclusion" wasn't supplied.`);
  if (j.status === "completed") j.completed_at = body.completed_at ?? j.completed_at ?? ctx.state.now();
  const out = body.output as Json | undefined;
  if (out) {
    checkOutputBytes(out);
    for (const key of ["title", "summary", "text"] as const)
      if (out[key] !== undefined) j.output[key] = out[key];
    const annotations = (out.annotations as Json[] | undefined) ?? [];
    run.annotations.push(
      ...annotations.map((a) => ({ ...a, blob_href: `${ctx.state.webUrl}/blob/${j.head_sha}/${a.path}` })),
    );
    j.output.annotations_count = run.annotations.length;
  }
}

function pullsFor(repo: RepoState, sha: string): Json[] {
  return [...repo.pulls.values()]
    .filter((p) => p.head.sha === sha)
    .map((p) => ({ id: p.id, number: p.number, url: p.url, head: p.head, base: p.base }));
}

export const checkRoutes: HandlerTable = {
  "checks/create": (ctx) => {
    requireApp(ctx);
    const repo = repoOf(ctx);
    const sha = commitOrFail(ctx, repo, String(ctx.body.head_sha));
    if (sha !== String(ctx.body.head_sha).toLowerCase())
      throw new ApiError(422, `No commit found for SHA: ${ctx.body.head_sha}`);
    const id = ctx.state.nextId();
    const api = `${ctx.state.apiUrl}/repos/${repo.json.full_name}`;
    const run: CheckRunRecord = {
      json: {
        id,
        node_id: `CR_${id}`,
        head_sha: sha,
        external_id: "",
        url: `${api}/check-runs/${id}`,
        html_url: `${repo.json.html_url}/runs/${id}`,
        details_url: null,
        status: "queued",
        conclusion: null,
        started_at: ctx.state.now(),
        completed_at: null,
        output: {
          title: null,
          summary: null,
          text: null,
          annotations_count: 0,
          annotations_url: `${api}/check-runs/${id}/annotations`,
        },
        name: ctx.body.name,
        check_suite: { id: id + 1 },
        app: { id: 15368, slug: "github-actions", name: "GitHub Actions" },
        pull_requests: pullsFor(repo, sha),
      },
      annotations: [],
    };
    apply(ctx, run, ctx.body);
    repo.checkRuns.push(run);
    return created(run.json);
  },

  "checks/update": (ctx) => {
    requireApp(ctx);
    const run = checkRun(ctx, repoOf(ctx));
    apply(ctx, run, ctx.body);
    return ok(run.json);
  },

  "checks/get": (ctx) => ok(checkRun(ctx, repoOf(ctx)).json),

  "checks/list-annotations": (ctx) => paginate(ctx, checkRun(ctx, repoOf(ctx)).annotations),

  "checks/list-for-ref": (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.state.resolveCommitish(repo, param(ctx, "ref"));
    if (!sha) throw new ApiError(422, `No commit found for SHA: ${param(ctx, "ref")}`);
    let runs = repo.checkRuns.map((r) => r.json).filter((r) => r.head_sha === sha);
    if (typeof ctx.query.check_name === "string") runs = runs.filter((r) => r.name === ctx.query.check_name);
    if (typeof ctx.query.status === "string") runs = runs.filter((r) => r.status === ctx.query.status);
    runs = [...runs].reverse();
    // `filter=latest` (the default) keeps the newest run of each name.
    if (ctx.query.filter !== "all") {
      const seen = new Set<string>();
      runs = runs.filter((r) => !seen.has(r.name) && seen.add(r.name) !== undefined);
    }
    return paginate(ctx, runs, (page) => ({ total_count: runs.length, check_runs: page }));
  },
};
