/**
 * Realistic `github` contexts for evaluating workflow conditions: real webhook payloads from
 * @octokit/webhooks-examples, adjusted to a same-repository or a fork pull request.
 */
import { pullRequestEvent, webhookExample } from "../helpers/payloads";
import type { Json } from "./files";

const BASE_SHA = "a".repeat(40);
const HEAD_SHA = "b".repeat(40);

export interface PrOptions {
  fork?: boolean;
  /** `opened` (default), `synchronize`, `reopened`, `labeled`. */
  action?: string;
  /** The label just added (`labeled`). */
  label?: string;
  /** Labels on the pull request. */
  labels?: string[];
  eventName?: "pull_request" | "pull_request_target";
  number?: number;
}

/** The `github` context of a run for a pull request event. */
export function prContext(o: PrOptions = {}): Json {
  const payload = pullRequestEvent({
    baseSha: BASE_SHA,
    headSha: HEAD_SHA,
    number: o.number ?? 7,
    ...(o.fork ? { forkRepo: "forker/hello-world" } : {}),
  });
  payload.action = o.action ?? "opened";
  const labelTemplate = webhookExample("pull_request", "labeled").label;
  const label = (name: string) => ({ ...labelTemplate, name });
  const labels = [...(o.labels ?? []), ...(o.label ? [o.label] : [])];
  payload.pull_request.labels = [...new Set(labels)].map(label);
  if (o.label) payload.label = label(o.label);
  return {
    event_name: o.eventName ?? "pull_request",
    event: payload,
    repository: payload.repository.full_name,
    repository_owner: payload.repository.owner.login,
    ref: `refs/pull/${payload.number}/merge`,
    ref_name: `${payload.number}/merge`,
    ref_type: "branch",
    sha: HEAD_SHA,
    run_id: 4242,
  };
}

/** A push of a branch or of a tag. */
export function pushContext(ref: string): Json {
  const payload = webhookExample("push");
  payload.ref = ref;
  const tag = ref.startsWith("refs/tags/");
  return {
    event_name: "push",
    event: payload,
    repository: payload.repository.full_name,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ""),
    ref_type: tag ? "tag" : "branch",
    sha: HEAD_SHA,
    run_id: 4243,
  };
}

/** A `workflow_run` (completed) event for a run of some event with some conclusion. */
export function workflowRunContext(event: string, conclusion: string | null): Json {
  const payload = webhookExample("workflow_run", "completed");
  payload.workflow_run.event = event;
  payload.workflow_run.conclusion = conclusion;
  return {
    event_name: "workflow_run",
    event: payload,
    repository: payload.repository.full_name,
    ref: "refs/heads/main",
    ref_type: "branch",
    run_id: 4244,
  };
}

/** `schedule` and `workflow_dispatch` runs carry little event data. */
export function simpleContext(eventName: "schedule" | "workflow_dispatch"): Json {
  return {
    event_name: eventName,
    event: eventName === "schedule" ? { schedule: "17 3 * * *" } : { inputs: {} },
    repository: "Codertocat/Hello-World",
    ref: "refs/heads/main",
    ref_name: "main",
    ref_type: "branch",
    run_id: 4245,
  };
}
