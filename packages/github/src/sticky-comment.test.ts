import { MlciError } from "@mlci/common";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { createOctokit, type GitHubClient } from "./client";
import { isForkPermissionError } from "./errors";
import { stickyMarker, upsertCommitComment, upsertStickyComment } from "./sticky-comment";

const REPO = "octo-org/models";
const ROUTE = "/repos/{owner}/{repo}/issues/{issue_number}/comments";
const MARKER = stickyMarker("report");
const quiet = { warn: () => {}, error: () => {} };

let server: GitHubTestServer;
let octokit: GitHubClient;

function client(token = server.tokens.actions): GitHubClient {
  return createOctokit({ token, baseUrl: server.url, log: quiet });
}

function upsert(body: string, extra: { author?: string } = {}) {
  return upsertStickyComment(octokit, {
    owner: "octo-org",
    repo: "models",
    issueNumber: 1,
    marker: MARKER,
    body,
    retryDelayMs: 50,
    ...extra,
  });
}

const bodies = () => server.state.issueComments(REPO, 1).map((c) => c.body as string);
const posts = () => server.callsTo("POST", ROUTE).length;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  server.state.addPullRequest(REPO, { head: "tune" });
  octokit = client();
});

afterEach(async () => {
  await server.close();
});

describe("upsertStickyComment", () => {
  it("creates the comment with the marker, then updates the same comment", async () => {
    const first = await upsert("metrics v1");
    expect(first).toMatchObject({ action: "created", duplicates: [] });
    expect(first.url).toContain("#issuecomment-");
    const second = await upsert("metrics v2");
    expect(second).toMatchObject({ action: "updated", id: first.id });
    expect(bodies()).toEqual([`${MARKER}\nmetrics v2`]);
  });

  it("finds our comment on page 2 of 150, reading every page 100 at a time", async () => {
    for (let i = 0; i < 120; i++) server.state.addIssueComment(REPO, 1, { body: `chatter ${i}` });
    const ours = server.state.addIssueComment(REPO, 1, {
      body: `${MARKER}\nold`,
      user: "github-actions[bot]",
    });
    for (let i = 0; i < 29; i++) server.state.addIssueComment(REPO, 1, { body: `more ${i}` });
    const res = await upsert("new");
    expect(res).toMatchObject({ action: "updated", id: ours.id });
    expect(bodies()).toHaveLength(150);
    const lists = server.callsTo("GET", ROUTE);
    expect(lists.map((c) => c.query)).toEqual([{ per_page: "100" }, { per_page: "100", page: "2" }]);
  });

  it("ignores a marker planted by someone else", async () => {
    const planted = server.state.addIssueComment(REPO, 1, { body: `${MARKER}\nfake`, user: "mallory" });
    const res = await upsert("real");
    expect(res.action).toBe("created");
    expect(res.id).not.toBe(planted.id);
    expect(bodies()).toEqual([`${MARKER}\nfake`, `${MARKER}\nreal`]);
  });

  it("accepts a configured author (a PAT or an app's bot)", async () => {
    const mine = server.state.addIssueComment(REPO, 1, { body: `${MARKER}\nold`, user: "octo-user" });
    octokit = client(server.tokens.user);
    const res = await upsert("new", { author: "octo-user" });
    expect(res).toMatchObject({ action: "updated", id: mine.id });
  });

  it("updates the newest of several of ours and reports the others", async () => {
    const older = server.state.addIssueComment(REPO, 1, {
      body: `${MARKER}\na`,
      user: "github-actions[bot]",
    });
    const newer = server.state.addIssueComment(REPO, 1, {
      body: `${MARKER}\nb`,
      user: "github-actions[bot]",
    });
    const res = await upsert("c");
    expect(res).toMatchObject({ action: "updated", id: newer.id, duplicates: [older.id] });
  });

  it("leaves exactly one comment when GitHub stores the create but answers 502", async () => {
    server.fault({ method: "POST", route: ROUTE, times: 1, effect: { kind: "apply-then-502" } });
    const res = await upsert("report");
    expect(res.action).toBe("created");
    expect(bodies()).toEqual([`${MARKER}\nreport`]);
    expect(posts()).toBe(1);
  });

  it("posts exactly once after one 502 that stored nothing", async () => {
    server.fault({ method: "POST", route: ROUTE, times: 1, effect: { kind: "status", status: 502 } });
    const res = await upsert("report");
    expect(res.action).toBe("created");
    expect(bodies()).toHaveLength(1);
    expect(posts()).toBe(2);
  });

  it("waits out a secondary rate limit (retry-after: 1), then posts", async () => {
    server.fault({
      method: "POST",
      route: ROUTE,
      times: 1,
      effect: { kind: "secondary-rate-limit", retryAfter: 1 },
    });
    const started = Date.now();
    const res = await upsert("report");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(res.action).toBe("created");
    expect(bodies()).toHaveLength(1);
    expect(posts()).toBe(2);
  });

  it("gives up after the configured attempts with an API error", async () => {
    server.fault({ method: "POST", route: ROUTE, effect: { kind: "status", status: 503 } });
    const err = await upsert("report").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlciError);
    expect((err as MlciError).code).toBe("API");
    expect((err as MlciError).message).toMatch(
      /^Could not post the comment on octo-org\/models#1: GitHub answered 503/,
    );
    expect(posts()).toBe(3);
  });

  it("explains the read-only token of a fork PR", async () => {
    octokit = client(server.tokens.readOnly);
    const err = await upsert("report").catch((e: unknown) => e);
    expect(isForkPermissionError(err)).toBe(true);
    expect((err as MlciError).hint).toMatch(/workflow_run/);
    const e = err as MlciError & { cause: { request: { headers: Record<string, string> } } };
    expect(`${e.message} ${e.hint}`).not.toContain(server.tokens.readOnly);
    expect(e.cause.request.headers.authorization).toBe("token [REDACTED]");
  });

  it("refuses a body over GitHub's limit before sending anything", async () => {
    const err = await upsert("x".repeat(70_000)).catch((e: unknown) => e);
    expect((err as MlciError).code).toBe("INPUT");
    expect(server.calls).toHaveLength(0);
  });
});

describe("upsertCommitComment", () => {
  it("creates, then updates, our comment on a commit", async () => {
    const sha = server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
    const opts = { owner: "octo-org", repo: "models", commitSha: sha, marker: MARKER };
    const first = await upsertCommitComment(octokit, { ...opts, body: "one" });
    const second = await upsertCommitComment(octokit, { ...opts, body: "two" });
    expect([first.action, second.action]).toEqual(["created", "updated"]);
    expect(server.state.repo(REPO).commitComments.map((c) => c.body)).toEqual([`${MARKER}\ntwo`]);
  });
});
