import type { TreeEntry } from "./git-store";
import { seedFromEvent } from "./seed-event";
import { GitHubState, type Json, type RepoState } from "./state";

/** Seeding helpers: build the world a test needs in a few lines. */

export interface PullSeed {
  number?: number;
  title?: string;
  body?: string;
  /** Author login (default `octo-user`). */
  user?: string;
  /** Head branch; `owner:branch` or `headRepo` puts it in a fork. */
  head: string;
  /** Head repository when it is a fork (`owner/name`); created as a fork on first use. */
  headRepo?: string;
  /** Head commit; one is made (on top of the base) when absent. */
  headSha?: string;
  /** Base branch (default: the default branch). */
  base?: string;
  state?: "open" | "closed";
  draft?: boolean;
}

export interface CommitSeed {
  /** Store the commit under this SHA (e.g. one from a webhook payload) instead of hashing it. */
  sha?: string;
  message?: string;
  /** Parents (default: the branch's current head, if `branch` is given). */
  parents?: string[];
  /** Files written on top of the first parent's tree. */
  files?: Record<string, string>;
  /** Move this branch to the new commit. */
  branch?: string;
}

export class ServerState extends GitHubState {
  /** Make the state agree with a webhook payload: repository, PR (fork or not), push or workflow run. */
  seedFromEvent(payload: Json): { repo: RepoState; pull?: Json } {
    return seedFromEvent(this, payload);
  }

  /** A repository with one commit on its default branch; `forkOf` makes it a fork. */
  addRepo(
    fullName: string,
    options: { private?: boolean; defaultBranch?: string; forkOf?: string; workflows?: string[] } = {},
  ): RepoState {
    const existing = this.repos.get(fullName.toLowerCase());
    if (existing) return existing;
    const parent = options.forkOf ? this.repo(options.forkOf) : undefined;
    const repo = this.createRepoRecord(fullName, {
      ...(options.private !== undefined ? { private: options.private } : {}),
      ...(options.defaultBranch ? { defaultBranch: options.defaultBranch } : {}),
      ...(parent ? { forkOf: parent } : {}),
    });
    repo.workflows = options.workflows;
    if (parent) {
      for (const [ref, sha] of parent.refs) if (ref.startsWith("refs/heads/")) repo.refs.set(ref, sha);
    } else {
      this.addCommit(fullName, {
        message: "Initial commit",
        files: { "README.md": `# ${repo.json.name}\n` },
        branch: repo.json.default_branch,
        parents: [],
      });
    }
    return repo;
  }

  /** A commit (and optionally a branch pointing at it); returns its SHA. */
  addCommit(fullName: string, seed: CommitSeed = {}): string {
    const repo = this.repo(fullName);
    const branchSha = seed.branch ? repo.refs.get(`refs/heads/${seed.branch}`) : undefined;
    const parents = seed.parents ?? (branchSha ? [branchSha] : []);
    const first = parents[0] ? repo.git.get(parents[0]) : undefined;
    const files = first?.type === "commit" ? repo.git.flatten(first.tree) : new Map<string, TreeEntry>();
    for (const [path, content] of Object.entries(seed.files ?? {})) {
      files.set(path, { path, mode: "100644", type: "blob", sha: repo.git.blob(Buffer.from(content)) });
    }
    const who = this.signature("Octo User", "octo-user@users.noreply.github.com");
    const sha = repo.git.commit({
      tree: repo.git.buildTree(files),
      parents,
      message: seed.message ?? "Commit",
      author: who,
      committer: who,
      ...(seed.sha ? { sha: seed.sha } : {}),
    });
    if (seed.branch) repo.refs.set(`refs/heads/${seed.branch}`, sha);
    return sha;
  }

  /** A branch at `sha` (default: the default branch's head). */
  addBranch(fullName: string, branch: string, sha?: string): string {
    const repo = this.repo(fullName);
    const at = sha ?? repo.refs.get(`refs/heads/${repo.json.default_branch}`);
    if (!at) throw new Error(`test server: ${fullName} has no default branch to branch from`);
    repo.refs.set(`refs/heads/${branch}`, at);
    return at;
  }

  /** An issue (not a pull request). */
  addIssue(
    fullName: string,
    seed: { title?: string; body?: string; user?: string; number?: number } = {},
  ): Json {
    const repo = this.repo(fullName);
    const number = seed.number ?? repo.nextNumber;
    repo.nextNumber = Math.max(repo.nextNumber, number + 1);
    const json = this.issueJson(
      repo,
      number,
      seed.title ?? `Issue ${number}`,
      seed.body ?? "",
      seed.user ?? "octo-user",
    );
    repo.issues.set(number, json);
    return json;
  }

  issueJson(repo: RepoState, number: number, title: string, body: string, login: string): Json {
    const id = this.nextId();
    return {
      id,
      node_id: `I_${id}`,
      number,
      title,
      body,
      user: this.user(login),
      state: "open",
      locked: false,
      comments: 0,
      url: `${this.apiUrl}/repos/${repo.json.full_name}/issues/${number}`,
      html_url: `${repo.json.html_url}/issues/${number}`,
      created_at: this.now(),
      updated_at: this.now(),
      closed_at: null,
    };
  }

  /** A pull request, with its head branch (in a fork when asked) and head commit. */
  addPullRequest(fullName: string, seed: PullSeed): Json {
    const base = this.repo(fullName);
    const baseRef = seed.base ?? base.json.default_branch;
    const baseSha = base.refs.get(`refs/heads/${baseRef}`);
    if (!baseSha) throw new Error(`test server: ${fullName} has no branch ${baseRef}`);
    let headName = seed.head;
    let headFull = seed.headRepo ?? fullName;
    const colon = headName.indexOf(":");
    if (colon > 0) {
      const owner = headName.slice(0, colon);
      headName = headName.slice(colon + 1);
      if (owner.toLowerCase() !== base.json.owner.login.toLowerCase())
        headFull = seed.headRepo ?? `${owner}/${base.json.name}`;
    }
    const head = this.repos.get(headFull.toLowerCase()) ?? this.addRepo(headFull, { forkOf: fullName });
    let headSha = seed.headSha ?? head.refs.get(`refs/heads/${headName}`);
    if (!headSha || (seed.headSha && !head.git.get(seed.headSha))) {
      headSha = this.addCommit(headFull, {
        ...(seed.headSha ? { sha: seed.headSha } : {}),
        message: seed.title ?? `Change on ${headName}`,
        parents: [baseSha],
        files: { [`${headName.replace(/\W+/g, "-")}.txt`]: `${headName}\n` },
      });
    }
    head.refs.set(`refs/heads/${headName}`, headSha);
    return this.createPull(base, {
      number: seed.number,
      title: seed.title ?? `Pull request from ${headName}`,
      body: seed.body ?? "",
      user: seed.user ?? "octo-user",
      head,
      headRef: headName,
      headSha,
      baseRef,
      baseSha,
      state: seed.state ?? "open",
      draft: seed.draft ?? false,
    });
  }

  /** Record a PR (the caller has checked the branches); used by seeding and POST /pulls. */
  createPull(
    base: RepoState,
    p: {
      number: number | undefined;
      title: string;
      body: string;
      user: string;
      head: RepoState;
      headRef: string;
      headSha: string;
      baseRef: string;
      baseSha: string;
      state: "open" | "closed";
      draft: boolean;
    },
  ): Json {
    const number = p.number ?? base.nextNumber;
    base.nextNumber = Math.max(base.nextNumber, number + 1);
    const issue = this.issueJson(base, number, p.title, p.body, p.user);
    const api = `${this.apiUrl}/repos/${base.json.full_name}`;
    // A PR's issue record links to the PR page, so its comments' html_url do too.
    issue.html_url = `${base.json.html_url}/pull/${number}`;
    issue.pull_request = { url: `${api}/pulls/${number}`, html_url: issue.html_url };
    const side = (repo: RepoState, ref: string, sha: string): Json => ({
      label: `${repo.json.owner.login}:${ref}`,
      ref,
      sha,
      user: repo.json.owner,
      repo: repo.json,
    });
    const pull: Json = {
      ...issue,
      id: this.nextId(),
      node_id: `PR_${number}`,
      url: `${api}/pulls/${number}`,
      html_url: `${base.json.html_url}/pull/${number}`,
      diff_url: `${base.json.html_url}/pull/${number}.diff`,
      patch_url: `${base.json.html_url}/pull/${number}.patch`,
      issue_url: `${api}/issues/${number}`,
      state: p.state,
      draft: p.draft,
      merged: false,
      merged_at: null,
      merge_commit_sha: null,
      head: side(p.head, p.headRef, p.headSha),
      base: side(base, p.baseRef, p.baseSha),
      author_association: p.head === base ? "OWNER" : "CONTRIBUTOR",
    };
    delete pull.pull_request;
    base.issues.set(number, issue);
    base.pulls.set(number, pull);
    return pull;
  }

  /** A comment on an issue or PR, by `user` (default `octo-user`). */
  addIssueComment(fullName: string, issueNumber: number, seed: { body: string; user?: string }): Json {
    const repo = this.repo(fullName);
    const issue = repo.issues.get(issueNumber);
    if (!issue) throw new Error(`test server: ${fullName} has no issue or PR #${issueNumber}`);
    const id = this.nextId();
    const json: Json = {
      id,
      node_id: `IC_${id}`,
      url: `${this.apiUrl}/repos/${repo.json.full_name}/issues/comments/${id}`,
      html_url: `${issue.html_url}#issuecomment-${id}`,
      issue_url: issue.url,
      body: seed.body,
      user: this.user(seed.user ?? "octo-user"),
      created_at: this.now(),
      updated_at: this.now(),
      author_association: "NONE",
    };
    repo.issueComments.push({ issueNumber, json });
    issue.comments = (issue.comments as number) + 1;
    return json;
  }

  /** A workflow run that GET /actions/runs/{id} will answer with. */
  addWorkflowRun(fullName: string, run: Json & { id: number }): Json {
    const repo = this.repo(fullName);
    const json: Json = {
      name: "CI",
      status: "completed",
      conclusion: "success",
      event: "pull_request",
      head_branch: repo.json.default_branch,
      pull_requests: [],
      run_attempt: 1,
      html_url: `${repo.json.html_url}/actions/runs/${run.id}`,
      url: `${this.apiUrl}/repos/${repo.json.full_name}/actions/runs/${run.id}`,
      repository: repo.json,
      head_repository: repo.json,
      created_at: this.now(),
      updated_at: this.now(),
      ...run,
    };
    repo.workflowRuns.set(run.id, json);
    return json;
  }
}
