import { MlciError } from "@mlci/common";

/**
 * What a workflow run is about, from explicit inputs: the entry point passes the runner's
 * environment values and the parsed event payload, so nothing here reads process.env or disk.
 */

export interface ContextInput {
  /** GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_SHA, GITHUB_REF, GITHUB_RUN_ID, ... */
  env: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON of GITHUB_EVENT_PATH (or undefined when there is none). */
  payload: unknown;
}

export interface WorkflowRunInfo {
  id: number;
  name: string | undefined;
  /** The event that started the triggering run, e.g. `pull_request`. */
  event: string | undefined;
  conclusion: string | undefined;
  headSha: string | undefined;
  headBranch: string | undefined;
  headRepoFullName: string | undefined;
  /** PR numbers GitHub lists on the run: empty for PRs from forks, which is why the safe pattern checks the API. */
  pullRequests: number[];
}

export interface EventContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The pull request the event is about, if any. */
  prNumber: number | undefined;
  /**
   * The commit to report on: the PR head (not the merge commit in GITHUB_SHA), the pushed commit,
   * the triggering run's head, else GITHUB_SHA. For a comment on a PR (`issue_comment`) the payload
   * does not name the head and GITHUB_SHA is the default branch's: fetch the PR for its head.
   */
  headSha: string;
  headRef: string | undefined;
  baseRef: string | undefined;
  baseSha: string | undefined;
  /** `owner/name` of the PR's (or triggering run's) head repository. */
  headRepoFullName: string | undefined;
  /** The head lives in another repository: the token is read-only and secrets are absent. */
  isFork: boolean;
  /** GITHUB_SHA and GITHUB_REF as given. */
  sha: string | undefined;
  ref: string | undefined;
  actor: string | undefined;
  runId: number | undefined;
  runAttempt: number | undefined;
  runUrl: string | undefined;
  serverUrl: string;
  apiUrl: string;
  workflowRun: WorkflowRunInfo | undefined;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

const PR_EVENTS = new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "pull_request_review_thread",
]);

const ZERO_SHA = /^0+$/;

function workflowRunInfo(run: Obj): WorkflowRunInfo {
  const headSha = str(run.head_sha);
  const prs = Array.isArray(run.pull_requests) ? run.pull_requests.map(obj) : [];
  return {
    id: num(run.id) ?? 0,
    name: str(run.name),
    event: str(run.event),
    conclusion: str(run.conclusion),
    headSha,
    headBranch: str(run.head_branch),
    headRepoFullName: str(obj(run.head_repository)?.full_name),
    pullRequests: prs
      .filter((p) => !headSha || str(obj(p?.head)?.sha) === undefined || str(obj(p?.head)?.sha) === headSha)
      .map((p) => num(p?.number))
      .filter((n): n is number => n !== undefined),
  };
}

export function parseEventContext(input: ContextInput): EventContext {
  const env = input.env;
  const repository = str(env.GITHUB_REPOSITORY);
  const [owner, repo, extra] = repository?.split("/") ?? [];
  if (!owner || !repo || extra !== undefined) {
    throw new MlciError(
      "INPUT",
      `GITHUB_REPOSITORY must look like owner/name, not ${JSON.stringify(repository ?? "")}`,
      {
        hint: "outside GitHub Actions, pass the repository explicitly",
      },
    );
  }
  const eventName = str(env.GITHUB_EVENT_NAME);
  if (!eventName) throw new MlciError("INPUT", "GITHUB_EVENT_NAME is not set");
  const payload = obj(input.payload) ?? {};
  const serverUrl = (str(env.GITHUB_SERVER_URL) ?? "https://github.com").replace(/\/+$/, "");
  const apiUrl = (str(env.GITHUB_API_URL) ?? "https://api.github.com").replace(/\/+$/, "");
  const baseFullName = str(obj(payload.repository)?.full_name) ?? `${owner}/${repo}`;

  let prNumber: number | undefined;
  let headSha: string | undefined;
  let headRef: string | undefined;
  let baseRef: string | undefined;
  let baseSha: string | undefined;
  let headRepoFullName: string | undefined;
  let workflowRun: WorkflowRunInfo | undefined;

  const pr = obj(payload.pull_request);
  const issue = obj(payload.issue);
  if (PR_EVENTS.has(eventName) && pr) {
    prNumber = num(pr.number) ?? num(payload.number);
    const head = obj(pr.head);
    const base = obj(pr.base);
    headSha = str(head?.sha);
    headRef = str(head?.ref);
    baseRef = str(base?.ref);
    baseSha = str(base?.sha);
    headRepoFullName = str(obj(head?.repo)?.full_name);
  } else if (eventName === "issue_comment" && issue && obj(issue.pull_request)) {
    // The payload names the PR but not its commits: callers fetch them from the API.
    prNumber = num(issue.number);
  } else if (eventName === "push") {
    const after = str(payload.after);
    headSha = after && !ZERO_SHA.test(after) ? after : undefined;
  } else if (eventName === "workflow_run" && obj(payload.workflow_run)) {
    workflowRun = workflowRunInfo(obj(payload.workflow_run) as Obj);
    headSha = workflowRun.headSha;
    headRef = workflowRun.headBranch;
    headRepoFullName = workflowRun.headRepoFullName;
    prNumber = workflowRun.pullRequests[0];
  } else if (eventName === "check_run" || eventName === "check_suite") {
    headSha = str(obj(payload[eventName])?.head_sha);
  } else if (eventName === "merge_group") {
    headSha = str(obj(payload.merge_group)?.head_sha);
  }

  headSha ??= str(env.GITHUB_SHA);
  if (!headSha && prNumber === undefined) {
    throw new MlciError(
      "INPUT",
      `Cannot tell which commit the ${eventName} event is about: GITHUB_SHA is not set`,
    );
  }
  const runId = num(env.GITHUB_RUN_ID);
  const runAttempt = num(env.GITHUB_RUN_ATTEMPT);
  const runUrl =
    runId === undefined
      ? undefined
      : `${serverUrl}/${owner}/${repo}/actions/runs/${runId}${runAttempt && runAttempt > 1 ? `/attempts/${runAttempt}` : ""}`;

  return {
    eventName,
    owner,
    repo,
    prNumber,
    headSha: headSha ?? "",
    headRef: headRef ?? str(env.GITHUB_HEAD_REF),
    baseRef: baseRef ?? str(env.GITHUB_BASE_REF),
    baseSha,
    headRepoFullName,
    isFork: headRepoFullName !== undefined && headRepoFullName.toLowerCase() !== baseFullName.toLowerCase(),
    sha: str(env.GITHUB_SHA),
    ref: str(env.GITHUB_REF),
    actor: str(env.GITHUB_ACTOR),
    runId,
    runAttempt,
    runUrl,
    serverUrl,
    apiUrl,
    workflowRun,
  };
}
