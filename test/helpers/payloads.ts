import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: webhook payloads are untyped JSON here
type Json = Record<string, any>;

interface WebhookExample {
  name: string;
  examples: Json[];
}

const all = require("@octokit/webhooks-examples/api.github.com/index.json") as WebhookExample[];

/** A deep copy of a real webhook payload from @octokit/webhooks-examples. */
export function webhookExample(event: string, action?: string): Json {
  const group = all.find((g) => g.name === event);
  const found = group?.examples.find((e) => action === undefined || e.action === action);
  if (!found)
    throw new Error(`no ${event}${action ? `.${action}` : ""} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

/** A `pull_request` payload whose head and base are commits of a test repository. */
export function pullRequestEvent(o: {
  number?: number;
  baseSha: string;
  headSha: string;
  baseRef?: string;
  headRef?: string;
  /** `owner/name` of a fork the head lives in. */
  forkRepo?: string;
}): Json {
  const payload = webhookExample("pull_request", "opened");
  const pr = payload.pull_request;
  const number = o.number ?? 7;
  payload.number = number;
  pr.number = number;
  pr.state = "open";
  pr.base.sha = o.baseSha;
  pr.base.ref = o.baseRef ?? "main";
  pr.base.repo = payload.repository;
  pr.head.sha = o.headSha;
  pr.head.ref = o.headRef ?? "feature";
  if (o.forkRepo) {
    const [owner = "forker", name = "fork"] = o.forkRepo.split("/");
    pr.head.repo = {
      ...payload.repository,
      id: 999_001,
      name,
      full_name: o.forkRepo,
      fork: true,
      owner: { ...payload.repository.owner, login: owner, id: 999_002 },
    };
    pr.head.label = `${owner}:${pr.head.ref}`;
  } else {
    pr.head.repo = payload.repository;
  }
  return payload;
}

/** A `workflow_run` (completed) payload for a run of a pull request's head. */
export function workflowRunEvent(o: {
  repository: Json;
  headSha: string;
  headBranch: string;
  headRepo: Json;
}): Json {
  const payload = webhookExample("workflow_run", "completed");
  payload.repository = o.repository;
  payload.workflow_run.head_sha = o.headSha;
  payload.workflow_run.head_branch = o.headBranch;
  payload.workflow_run.head_repository = o.headRepo;
  payload.workflow_run.repository = o.repository;
  payload.workflow_run.event = "pull_request";
  payload.workflow_run.pull_requests = [];
  return payload;
}
