import { MlciError } from "@mlci/common";
import { createRef, type GitHubClient, isNotFound, statusOf, toApiError } from "@mlci/github";

/**
 * Opens the retraining pull request through the API, as a GitHub App or a token would in a
 * scheduled workflow with no checkout to push from: tree (text inline, other files as blobs) (on the branch's or the base's
 * tree) → commit → ref `refs/heads/<branch>` → pull request. Idempotent: run again, it reuses the
 * branch (adding a commit only when the files changed) and the open pull request.
 */

export interface RetrainPullRequestOptions {
  owner: string;
  repo: string;
  /** The branch the pull request targets (`main`). */
  base: string;
  /** The branch to create or update (`mlci/retrain-2026-11-26`). */
  branch: string;
  /** Repository-relative paths and their new contents. */
  files: Record<string, string | Uint8Array>;
  title: string;
  body: string;
  /** The commit message (default: the title). */
  message?: string;
}

export interface RetrainPullRequest {
  branch: string;
  /** The commit the branch points at (the base's head when nothing changed). */
  commit: string;
  /** The pull request, unless the files equal the base's (then nothing is created). */
  number?: number;
  url?: string;
  /** What this call did. */
  createdBranch: boolean;
  committed: boolean;
  createdPullRequest: boolean;
}

/** `a/./b` → `a/b`; refuses absolute paths, `..` and `.git`. */
function repoPath(path: string): string {
  const parts = path
    .replace(/\\/g, "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  if (path.startsWith("/") || parts.length === 0 || parts.some((p) => p === ".." || p === ".git")) {
    throw new MlciError("INPUT", `"${path}" is not a path inside the repository`);
  }
  return parts.join("/");
}

async function branchHead(octokit: GitHubClient, o: RetrainPullRequestOptions, branch: string) {
  try {
    const res = await octokit.rest.git.getRef({ owner: o.owner, repo: o.repo, ref: `heads/${branch}` });
    return res.data.object.sha;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toApiError(err, `read branch ${branch}`);
  }
}

async function treeOf(octokit: GitHubClient, o: RetrainPullRequestOptions, commit: string): Promise<string> {
  try {
    const res = await octokit.rest.git.getCommit({ owner: o.owner, repo: o.repo, commit_sha: commit });
    return res.data.tree.sha;
  } catch (err) {
    throw toApiError(err, `read commit ${commit}`);
  }
}

/** Text goes inline in the tree request; other bytes as blobs first (one request each). */
function asText(content: string | Uint8Array): string | undefined {
  if (typeof content === "string") return content;
  const buf = Buffer.from(content);
  const text = buf.toString("utf8");
  return !buf.includes(0) && Buffer.from(text, "utf8").equals(buf) ? text : undefined;
}

async function writeTree(octokit: GitHubClient, o: RetrainPullRequestOptions, baseTree: string) {
  const entries = [];
  for (const [path, content] of Object.entries(o.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry = { path: repoPath(path), mode: "100644" as const, type: "blob" as const };
    const text = asText(content);
    if (text !== undefined) {
      entries.push({ ...entry, content: text });
      continue;
    }
    try {
      const blob = await octokit.rest.git.createBlob({
        owner: o.owner,
        repo: o.repo,
        content: Buffer.from(content).toString("base64"),
        encoding: "base64",
      });
      entries.push({ ...entry, sha: blob.data.sha });
    } catch (err) {
      throw toApiError(err, `upload ${path}`);
    }
  }
  try {
    const res = await octokit.rest.git.createTree({
      owner: o.owner,
      repo: o.repo,
      base_tree: baseTree,
      tree: entries,
    });
    return res.data.sha;
  } catch (err) {
    throw toApiError(err, "create the tree");
  }
}

async function findOpenPull(octokit: GitHubClient, o: RetrainPullRequestOptions) {
  try {
    const res = await octokit.rest.pulls.list({
      owner: o.owner,
      repo: o.repo,
      state: "open",
      head: `${o.owner}:${o.branch}`,
      base: o.base,
      per_page: 100,
    });
    return res.data[0];
  } catch (err) {
    throw toApiError(err, "list pull requests");
  }
}

export async function openRetrainPullRequest(
  octokit: GitHubClient,
  o: RetrainPullRequestOptions,
): Promise<RetrainPullRequest> {
  if (Object.keys(o.files).length === 0) throw new MlciError("INPUT", "no files to put in the pull request");
  const baseSha = await branchHead(octokit, o, o.base);
  if (!baseSha)
    throw new MlciError("NOT_FOUND", `the base branch ${o.base} does not exist in ${o.owner}/${o.repo}`);
  const existing = await branchHead(octokit, o, o.branch);
  const parent = existing ?? baseSha;
  const parentTree = await treeOf(octokit, o, parent);
  const tree = await writeTree(octokit, o, parentTree);
  if (!existing && tree === parentTree) {
    return {
      branch: o.branch,
      commit: baseSha,
      createdBranch: false,
      committed: false,
      createdPullRequest: false,
    };
  }
  let commit = parent;
  let committed = false;
  // The same files again (a rerun): nothing to commit on an existing branch.
  if (tree !== parentTree) {
    try {
      const res = await octokit.rest.git.createCommit({
        owner: o.owner,
        repo: o.repo,
        message: o.message ?? o.title,
        tree,
        parents: [parent],
      });
      commit = res.data.sha;
      committed = true;
    } catch (err) {
      throw toApiError(err, "create the commit");
    }
  }
  let createdBranch = false;
  if (!existing) {
    const ref = await createRef(octokit, {
      owner: o.owner,
      repo: o.repo,
      ref: `refs/heads/${o.branch}`,
      sha: commit,
    });
    if (ref.sha !== commit) {
      throw new MlciError("API", `branch ${o.branch} was created by someone else meanwhile`, {
        hint: "run again to add this commit on top of it, or pick another --branch",
      });
    }
    createdBranch = true;
  } else if (committed) {
    try {
      await octokit.rest.git.updateRef({
        owner: o.owner,
        repo: o.repo,
        ref: `heads/${o.branch}`,
        sha: commit,
      });
    } catch (err) {
      throw toApiError(err, `update branch ${o.branch}`);
    }
  }
  const withPull = (pr: { number: number; html_url: string }, created: boolean): RetrainPullRequest => ({
    branch: o.branch,
    commit,
    number: pr.number,
    url: pr.html_url,
    createdBranch,
    committed,
    createdPullRequest: created,
  });
  const open = await findOpenPull(octokit, o);
  if (open) return withPull(open, false);
  try {
    const pr = await octokit.rest.pulls.create({
      owner: o.owner,
      repo: o.repo,
      base: o.base,
      head: o.branch,
      title: o.title,
      body: o.body,
    });
    return withPull(pr.data, true);
  } catch (err) {
    // Another run opened it between our look and our create.
    if (statusOf(err) === 422) {
      const raced = await findOpenPull(octokit, o);
      if (raced) return withPull(raced, false);
    }
    throw toApiError(err, "open the pull request");
  }
}

/** `mlci/retrain-2026-11-26`: one branch a day, reused by reruns on the same day. */
export function retrainBranchName(now: Date, prefix = "mlci/retrain-"): string {
  return `${prefix}${now.toISOString().slice(0, 10)}`;
}
