import type { ServerState } from "./seed";
import type { Json, RepoState } from "./state";

/**
 * Make the server agree with a webhook payload (such as one from @octokit/webhooks-examples):
 * the repository, the pull request with its head and base commits (in a fork when the payload
 * says so), the pushed commit, or the workflow run. End-to-end tests give an action the payload
 * as GITHUB_EVENT_PATH and this state as GITHUB_API_URL, and both tell the same story.
 */
export function seedFromEvent(state: ServerState, payload: Json): { repo: RepoState; pull?: Json } {
  const repoJson = payload.repository as Json | undefined;
  if (!repoJson?.full_name) throw new Error("test server: the payload has no repository.full_name");
  const fullName = String(repoJson.full_name);
  const repo = state.addRepo(fullName, {
    private: repoJson.private === true,
    ...(repoJson.default_branch ? { defaultBranch: String(repoJson.default_branch) } : {}),
  });
  if (payload.sender?.login) state.user(String(payload.sender.login));

  const pr = payload.pull_request as Json | undefined;
  if (pr?.head?.sha && pr.base?.sha) {
    return { repo, pull: seedPull(state, repo, pr) };
  }
  if (
    payload.issue?.pull_request &&
    typeof payload.issue.number === "number" &&
    !repo.pulls.has(payload.issue.number)
  ) {
    const pull = state.addPullRequest(fullName, {
      number: payload.issue.number,
      head: `issue-${payload.issue.number}`,
      title: String(payload.issue.title ?? ""),
      user: String(payload.issue.user?.login ?? "octo-user"),
    });
    return { repo, pull };
  }
  if (payload.issue && typeof payload.issue.number === "number" && !repo.issues.has(payload.issue.number)) {
    state.addIssue(fullName, { number: payload.issue.number, title: String(payload.issue.title ?? "") });
  }
  if (typeof payload.after === "string" && typeof payload.ref === "string" && !/^0+$/.test(payload.after)) {
    const before =
      typeof payload.before === "string" && !/^0+$/.test(payload.before) ? payload.before : undefined;
    ensureCommit(state, repo, before, []);
    ensureCommit(state, repo, payload.after, before ? [before] : []);
    repo.refs.set(payload.ref, payload.after.toLowerCase());
  }
  const run = payload.workflow_run as Json | undefined;
  if (run && typeof run.id === "number") {
    const headFull = String(run.head_repository?.full_name ?? fullName);
    const head =
      headFull.toLowerCase() === fullName.toLowerCase()
        ? repo
        : state.addRepo(headFull, { forkOf: fullName });
    ensureCommit(state, head, run.head_sha, []);
    if (run.head_branch && run.head_sha)
      head.refs.set(`refs/heads/${run.head_branch}`, String(run.head_sha).toLowerCase());
    state.addWorkflowRun(fullName, { ...run, id: run.id });
  }
  return { repo };
}

function ensureCommit(state: ServerState, repo: RepoState, sha: unknown, parents: string[]): void {
  if (typeof sha !== "string" || repo.git.get(sha)) return;
  state.addCommit(repo.json.full_name, { sha, parents, message: "Commit from the event payload" });
}

function seedPull(state: ServerState, repo: RepoState, pr: Json): Json {
  const existing = repo.pulls.get(pr.number);
  if (existing) return existing;
  const baseRef = String(pr.base.ref ?? repo.json.default_branch);
  ensureCommit(state, repo, pr.base.sha, []);
  repo.refs.set(`refs/heads/${baseRef}`, String(pr.base.sha).toLowerCase());
  const headFull = String(pr.head.repo?.full_name ?? repo.json.full_name);
  const head =
    headFull.toLowerCase() === repo.json.full_name.toLowerCase()
      ? repo
      : state.addRepo(headFull, { forkOf: repo.json.full_name });
  ensureCommit(state, head, pr.head.sha, [String(pr.base.sha).toLowerCase()]);
  head.refs.set(`refs/heads/${pr.head.ref}`, String(pr.head.sha).toLowerCase());
  const pull = state.createPull(repo, {
    number: pr.number,
    title: String(pr.title ?? ""),
    body: String(pr.body ?? ""),
    user: String(pr.user?.login ?? "octo-user"),
    head,
    headRef: String(pr.head.ref),
    headSha: String(pr.head.sha).toLowerCase(),
    baseRef,
    baseSha: String(pr.base.sha).toLowerCase(),
    state: pr.state === "closed" ? "closed" : "open",
    draft: pr.draft === true,
  });
  return pull;
}
