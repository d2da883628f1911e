import { created, noContent, notFound, ok, paginate, validationFailed } from "../http";
import type { Json, RepoState } from "../state";
import { type HandlerTable, intParam, login, param, type RouteContext, repoOf } from "./context";

/** Releases: create (making the tag when it is missing), get by id or tag, latest, list, update. */

function release(ctx: RouteContext, repo: RepoState): Json {
  const id = intParam(ctx, "release_id");
  const found = repo.releases.find((r) => r.id === id);
  if (!found) throw notFound();
  return found;
}

function newestFirst(repo: RepoState): Json[] {
  return [...repo.releases].reverse();
}

export const releaseRoutes: HandlerTable = {
  "repos/create-release": (ctx) => {
    const repo = repoOf(ctx);
    const tag = String(ctx.body.tag_name);
    if (repo.releases.some((r) => r.tag_name === tag)) {
      throw validationFailed([{ resource: "Release", code: "already_exists", field: "tag_name" }]);
    }
    const target = String(ctx.body.target_commitish ?? repo.json.default_branch);
    const draft = ctx.body.draft === true;
    if (!repo.refs.has(`refs/tags/${tag}`)) {
      const sha = ctx.state.resolveCommitish(repo, target);
      if (!sha) throw validationFailed([{ resource: "Release", code: "invalid", field: "target_commitish" }]);
      // Publishing a release for a missing tag creates a lightweight tag; a draft waits.
      if (!draft) repo.refs.set(`refs/tags/${tag}`, sha);
    }
    const id = ctx.state.nextId();
    const api = `${ctx.state.apiUrl}/repos/${repo.json.full_name}`;
    const json: Json = {
      url: `${api}/releases/${id}`,
      html_url: `${repo.json.html_url}/releases/tag/${encodeURIComponent(tag)}`,
      assets_url: `${api}/releases/${id}/assets`,
      upload_url: `https://uploads.github.com/repos/${repo.json.full_name}/releases/${id}/assets{?name,label}`,
      tarball_url: `${api}/tarball/${tag}`,
      zipball_url: `${api}/zipball/${tag}`,
      id,
      node_id: `RE_${id}`,
      tag_name: tag,
      target_commitish: target,
      name: ctx.body.name ?? tag,
      body: ctx.body.body ?? "",
      draft,
      prerelease: ctx.body.prerelease === true,
      created_at: ctx.state.now(),
      published_at: draft ? null : ctx.state.now(),
      author: ctx.state.user(login(ctx)),
      assets: [],
    };
    repo.releases.push(json);
    return created(json);
  },

  "repos/get-release": (ctx) => ok(release(ctx, repoOf(ctx))),

  "repos/get-release-by-tag": (ctx) => {
    const found = repoOf(ctx).releases.find((r) => r.tag_name === param(ctx, "tag") && !r.draft);
    if (!found) throw notFound();
    return ok(found);
  },

  "repos/get-latest-release": (ctx) => {
    const found = newestFirst(repoOf(ctx)).find((r) => !r.draft && !r.prerelease);
    if (!found) throw notFound();
    return ok(found);
  },

  "repos/list-releases": (ctx) => {
    const repo = repoOf(ctx);
    const canWrite = ctx.identity !== undefined && !ctx.identity.readOnly;
    return paginate(
      ctx,
      newestFirst(repo).filter((r) => canWrite || !r.draft),
    );
  },

  "repos/update-release": (ctx) => {
    const r = release(ctx, repoOf(ctx));
    for (const key of ["tag_name", "target_commitish", "name", "body", "draft", "prerelease"] as const) {
      if (ctx.body[key] !== undefined) r[key] = ctx.body[key];
    }
    if (r.draft === false && r.published_at === null) r.published_at = ctx.state.now();
    return ok(r);
  },

  "repos/delete-release": (ctx) => {
    const repo = repoOf(ctx);
    const r = release(ctx, repo);
    repo.releases = repo.releases.filter((x) => x !== r);
    return noContent();
  },
};
