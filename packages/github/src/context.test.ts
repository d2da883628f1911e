import { MlciError } from "@mlci/common";
import examples from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { parseEventContext } from "./context";

// biome-ignore lint/suspicious/noExplicitAny: webhook payloads are edited freely in these tests.
function example(name: string, pick: (p: any) => boolean = () => true): any {
  const found = examples.find((e) => e.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
}

const env = {
  GITHUB_REPOSITORY: "Codertocat/Hello-World",
  GITHUB_SHA: "f".repeat(40),
  GITHUB_REF: "refs/pull/2/merge",
  GITHUB_RUN_ID: "123",
  GITHUB_RUN_ATTEMPT: "2",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_API_URL: "http://127.0.0.1:9999",
  GITHUB_ACTOR: "octocat",
};

describe("parseEventContext", () => {
  it("reads a pull_request: the PR head, not the merge commit, and the run's URL", () => {
    const payload = example("pull_request");
    const ctx = parseEventContext({ env: { ...env, GITHUB_EVENT_NAME: "pull_request" }, payload });
    expect(ctx).toMatchObject({
      eventName: "pull_request",
      owner: "Codertocat",
      repo: "Hello-World",
      prNumber: payload.pull_request.number,
      headSha: payload.pull_request.head.sha,
      headRef: payload.pull_request.head.ref,
      baseRef: payload.pull_request.base.ref,
      headRepoFullName: "Codertocat/Hello-World",
      isFork: false,
      sha: env.GITHUB_SHA,
      runId: 123,
      runUrl: "https://github.com/Codertocat/Hello-World/actions/runs/123/attempts/2",
      apiUrl: "http://127.0.0.1:9999",
    });
  });

  it("tells a pull request from a fork", () => {
    const payload = example("pull_request");
    payload.pull_request.head.repo.full_name = "someone/Hello-World";
    const ctx = parseEventContext({ env: { ...env, GITHUB_EVENT_NAME: "pull_request_target" }, payload });
    expect(ctx.isFork).toBe(true);
    expect(ctx.headRepoFullName).toBe("someone/Hello-World");
  });

  it("reads a push (the pushed commit) and ignores the all-zero SHA of a deleted ref", () => {
    const payload = example("push");
    const push = parseEventContext({ env: { ...env, GITHUB_EVENT_NAME: "push" }, payload });
    expect(push.headSha).toBe(payload.after);
    expect(push.prNumber).toBeUndefined();
    const deleted = parseEventContext({
      env: { ...env, GITHUB_EVENT_NAME: "push" },
      payload: { ...payload, after: "0".repeat(40) },
    });
    expect(deleted.headSha).toBe(env.GITHUB_SHA);
  });

  it("reads a workflow_run: the triggering run's head and its PRs", () => {
    const payload = example("workflow_run");
    const run = payload.workflow_run;
    run.pull_requests = [
      { number: 5, head: { sha: run.head_sha } },
      { number: 6, head: { sha: "other" } },
    ];
    const ctx = parseEventContext({ env: { ...env, GITHUB_EVENT_NAME: "workflow_run" }, payload });
    expect(ctx.headSha).toBe(run.head_sha);
    expect(ctx.prNumber).toBe(5);
    expect(ctx.workflowRun).toMatchObject({ id: run.id, event: run.event, pullRequests: [5] });
  });

  it("reads the PR number of a comment on a pull request", () => {
    const payload = example("issue_comment");
    // The examples comment on plain issues; a PR's issue carries a `pull_request` link.
    payload.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
    const ctx = parseEventContext({ env: { ...env, GITHUB_EVENT_NAME: "issue_comment" }, payload });
    expect(ctx.prNumber).toBe(payload.issue.number);
  });

  it("refuses a missing or malformed GITHUB_REPOSITORY with a usage error", () => {
    expect(() => parseEventContext({ env: { GITHUB_EVENT_NAME: "push" }, payload: {} })).toThrow(MlciError);
    expect(() =>
      parseEventContext({ env: { GITHUB_EVENT_NAME: "push", GITHUB_REPOSITORY: "a/b/c" }, payload: {} }),
    ).toThrow(/owner\/name/);
  });
});
