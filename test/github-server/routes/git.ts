import type { GitObject, Signature, TreeEntry } from "../git-store";
import { ApiError, created, noContent, notFound, ok } from "../http";
import type { ServerState } from "../seed";
import type { Json, RepoState } from "../state";
import { type HandlerTable, login, param, type RouteContext, repoOf } from "./context";

/** The Git database API: refs, annotated tags, blobs, trees and commits. */

function api(state: ServerState, repo: RepoState): string {
  return `${state.apiUrl}/repos/${repo.json.full_name}/git`;
}

export function refJson(state: ServerState, repo: RepoState, ref: string, sha: string): Json {
  const type = repo.git.get(sha)?.type ?? "commit";
  return {
    ref,
    node_id: `REF_${Buffer.from(ref).toString("base64url")}`,
    url: `${api(state, repo)}/${ref}`,
    object: { sha, type, url: `${api(state, repo)}/${type}s/${sha}` },
  };
}

function sigJson(s: Signature): Json {
  return { name: s.name, email: s.email, date: s.date };
}

const unverified = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };

export function commitJson(
  state: ServerState,
  repo: RepoState,
  o: Extract<GitObject, { type: "commit" }>,
): Json {
  return {
    sha: o.sha,
    node_id: `C_${o.sha}`,
    url: `${api(state, repo)}/commits/${o.sha}`,
    html_url: `${repo.json.html_url}/commit/${o.sha}`,
    author: sigJson(o.author),
    committer: sigJson(o.committer),
    message: o.message,
    tree: { sha: o.tree, url: `${api(state, repo)}/trees/${o.tree}` },
    parents: o.parents.map((p) => ({
      sha: p,
      url: `${api(state, repo)}/commits/${p}`,
      html_url: `${repo.json.html_url}/commit/${p}`,
    })),
    verification: unverified,
  };
}

function tagJson(state: ServerState, repo: RepoState, o: Extract<GitObject, { type: "tag" }>): Json {
  return {
    node_id: `TAG_${o.sha}`,
    tag: o.tag,
    sha: o.sha,
    url: `${api(state, repo)}/tags/${o.sha}`,
    message: o.message,
    tagger: sigJson(o.tagger),
    object: { ...o.object, url: `${api(state, repo)}/${o.object.type}s/${o.object.sha}` },
    verification: unverified,
  };
}

function treeJson(state: ServerState, repo: RepoState, sha: string, entries: TreeEntry[]): Json {
  return {
    sha,
    url: `${api(state, repo)}/trees/${sha}`,
    tree: entries.map((e) => {
      const blob = e.type === "blob" ? repo.git.get(e.sha) : undefined;
      return {
        ...e,
        ...(blob?.type === "blob" ? { size: blob.content.length } : {}),
        url: `${api(state, repo)}/${e.type}s/${e.sha}`,
      };
    }),
    truncated: false,
  };
}

function object(repo: RepoState, sha: string, type: GitObject["type"]): GitObject {
  const o = repo.git.get(sha);
  if (!o || o.type !== type) throw notFound();
  return o;
}

function fullRef(ctx: RouteContext): string {
  return `refs/${param(ctx, "ref")}`;
}

function signature(ctx: RouteContext, given: Json | undefined): Signature {
  if (given?.name && given.email)
    return { name: given.name, email: given.email, date: given.date ?? ctx.state.now() };
  const who = login(ctx);
  return ctx.state.signature(who, `${who.replace(/\[bot\]$/, "")}@users.noreply.github.com`);
}

/** Every entry under a tree, recursing into subtrees (for `recursive=1`). */
function walk(repo: RepoState, sha: string, prefix = ""): TreeEntry[] {
  const tree = repo.git.get(sha);
  if (tree?.type !== "tree") return [];
  return tree.entries.flatMap((e) => {
    const path = prefix ? `${prefix}/${e.path}` : e.path;
    const here = { ...e, path };
    return e.type === "tree" ? [here, ...walk(repo, e.sha, path)] : [here];
  });
}

export const gitRoutes: HandlerTable = {
  "git/get-ref": (ctx) => {
    const repo = repoOf(ctx);
    const ref = fullRef(ctx);
    const sha = repo.refs.get(ref);
    if (!sha) throw notFound();
    return ok(refJson(ctx.state, repo, ref, sha));
  },

  "git/list-matching-refs": (ctx) => {
    const repo = repoOf(ctx);
    const prefix = fullRef(ctx);
    const refs = [...repo.refs.entries()]
      .filter(([r]) => r.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([r, sha]) => refJson(ctx.state, repo, r, sha));
    return ok(refs);
  },

  // Check and write happen in one synchronous step: of two concurrent creates, exactly one wins.
  "git/create-ref": (ctx) => {
    const repo = repoOf(ctx);
    const ref = String(ctx.body.ref);
    const sha = String(ctx.body.sha).toLowerCase();
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw new ApiError(422, `${ref} is not a valid ref name.`);
    if (!repo.git.get(sha)) throw new ApiError(422, "Object does not exist");
    if (repo.refs.has(ref)) throw new ApiError(422, "Reference already exists");
    repo.refs.set(ref, sha);
    return created(refJson(ctx.state, repo, ref, sha));
  },

  "git/update-ref": (ctx) => {
    const repo = repoOf(ctx);
    const ref = fullRef(ctx);
    const old = repo.refs.get(ref);
    const sha = String(ctx.body.sha).toLowerCase();
    if (!old) throw new ApiError(422, "Reference does not exist");
    if (!repo.git.get(sha)) throw new ApiError(422, "Object does not exist");
    if (ctx.body.force !== true && !repo.git.isAncestor(old, sha))
      throw new ApiError(422, "Update is not a fast forward");
    repo.refs.set(ref, sha);
    return ok(refJson(ctx.state, repo, ref, sha));
  },

  "git/delete-ref": (ctx) => {
    const repo = repoOf(ctx);
    if (!repo.refs.delete(fullRef(ctx))) throw new ApiError(422, "Reference does not exist");
    return noContent();
  },

  "git/create-tag": (ctx) => {
    const repo = repoOf(ctx);
    const target = repo.git.get(String(ctx.body.object));
    if (!target || target.type !== ctx.body.type) throw new ApiError(422, "Object does not exist");
    const sha = repo.git.tag({
      tag: ctx.body.tag,
      message: ctx.body.message,
      object: { type: target.type, sha: target.sha },
      tagger: signature(ctx, ctx.body.tagger),
    });
    return created(tagJson(ctx.state, repo, object(repo, sha, "tag") as Extract<GitObject, { type: "tag" }>));
  },

  "git/get-tag": (ctx) => {
    const repo = repoOf(ctx);
    return ok(
      tagJson(
        ctx.state,
        repo,
        object(repo, param(ctx, "tag_sha"), "tag") as Extract<GitObject, { type: "tag" }>,
      ),
    );
  },

  "git/create-blob": (ctx) => {
    const repo = repoOf(ctx);
    const enc = ctx.body.encoding === "base64" ? "base64" : "utf8";
    const sha = repo.git.blob(Buffer.from(String(ctx.body.content), enc));
    return created({ sha, url: `${api(ctx.state, repo)}/blobs/${sha}` });
  },

  "git/get-blob": (ctx) => {
    const repo = repoOf(ctx);
    const o = object(repo, param(ctx, "file_sha"), "blob") as Extract<GitObject, { type: "blob" }>;
    return ok({
      sha: o.sha,
      node_id: `B_${o.sha}`,
      size: o.content.length,
      url: `${api(ctx.state, repo)}/blobs/${o.sha}`,
      content: o.content.toString("base64"),
      encoding: "base64",
    });
  },

  "git/create-tree": (ctx) => {
    const repo = repoOf(ctx);
    let files = new Map<string, TreeEntry>();
    if (ctx.body.base_tree) {
      if (repo.git.get(String(ctx.body.base_tree))?.type !== "tree")
        throw new ApiError(422, "Invalid tree info");
      files = repo.git.flatten(String(ctx.body.base_tree));
    }
    for (const item of ctx.body.tree as Json[]) {
      const path = String(item.path);
      if (item.sha === null) {
        for (const p of [...files.keys()]) if (p === path || p.startsWith(`${path}/`)) files.delete(p);
        continue;
      }
      if (item.type === "tree") {
        for (const [p, e] of repo.git.flatten(String(item.sha))) files.set(`${path}/${p}`, e);
        continue;
      }
      const sha =
        typeof item.content === "string" ? repo.git.blob(Buffer.from(item.content)) : String(item.sha ?? "");
      if (!repo.git.get(sha)) throw new ApiError(422, "Invalid tree info", {});
      files.set(path, { path, mode: String(item.mode ?? "100644"), type: item.type ?? "blob", sha });
    }
    const sha = repo.git.buildTree(files);
    const tree = object(repo, sha, "tree") as Extract<GitObject, { type: "tree" }>;
    return created(treeJson(ctx.state, repo, sha, tree.entries));
  },

  "git/get-tree": (ctx) => {
    const repo = repoOf(ctx);
    const sha = param(ctx, "tree_sha");
    const tree = object(repo, sha, "tree") as Extract<GitObject, { type: "tree" }>;
    const entries = ctx.query.recursive !== undefined ? walk(repo, tree.sha) : tree.entries;
    return ok(treeJson(ctx.state, repo, tree.sha, entries));
  },

  "git/create-commit": (ctx) => {
    const repo = repoOf(ctx);
    const tree = String(ctx.body.tree);
    if (repo.git.get(tree)?.type !== "tree") throw new ApiError(422, "Tree SHA does not exist");
    const parents = ((ctx.body.parents as string[] | undefined) ?? []).map((p) => p.toLowerCase());
    for (const p of parents) {
      if (repo.git.get(p)?.type !== "commit")
        throw new ApiError(422, "Parent SHA does not exist or is not a commit object");
    }
    const author = signature(ctx, ctx.body.author);
    const sha = repo.git.commit({
      tree,
      parents,
      message: String(ctx.body.message),
      author,
      committer: ctx.body.committer ? signature(ctx, ctx.body.committer) : author,
    });
    return created(
      commitJson(ctx.state, repo, object(repo, sha, "commit") as Extract<GitObject, { type: "commit" }>),
    );
  },

  "git/get-commit": (ctx) => {
    const repo = repoOf(ctx);
    const o = object(repo, param(ctx, "commit_sha"), "commit") as Extract<GitObject, { type: "commit" }>;
    return ok(commitJson(ctx.state, repo, o));
  },
};
