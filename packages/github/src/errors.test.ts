import { MlciError } from "@mlci/common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { createOctokit, type GitHubClient } from "./client";
import { isForkPermissionError, isNotFound, isRateLimitError, isServerError, toApiError } from "./errors";

let server: GitHubTestServer;
let octokit: GitHubClient;

beforeAll(async () => {
  server = await startGitHubServer();
  server.state.addRepo("octo-org/models");
  server.state.addIssue("octo-org/models");
  octokit = createOctokit({
    token: server.tokens.actions,
    baseUrl: server.url,
    log: { warn: () => {} },
    retries: 0,
  });
});

afterAll(async () => {
  await server.close();
});

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

describe("toApiError", () => {
  it("says what failed, where, the status and GitHub's message", async () => {
    const err = await failure(octokit.rest.repos.get({ owner: "octo-org", repo: "missing" }));
    expect(isNotFound(err)).toBe(true);
    const api = toApiError(err, "read the repository") as MlciError;
    expect(api).toBeInstanceOf(MlciError);
    expect(api.code).toBe("API");
    expect(api.message).toBe(
      "Could not read the repository: GitHub answered 404 to GET /repos/octo-org/missing: Not Found",
    );
    expect(api.hint).toMatch(/does not exist/);
    expect(isNotFound(api)).toBe(true);
  });

  it("includes GitHub's field errors for a 422", async () => {
    const err = await failure(
      octokit.rest.issues.createComment({
        owner: "octo-org",
        repo: "models",
        issue_number: 1,
        body: "x".repeat(65537),
      }),
    );
    expect(toApiError(err).message).toBe(
      "GitHub answered 422 to POST /repos/octo-org/models/issues/1/comments: Validation Failed: Body is too long (maximum is 65536 characters)",
    );
  });

  it("tells the read-only token of a fork PR from other refusals", async () => {
    const readOnly = createOctokit({ token: server.tokens.readOnly, baseUrl: server.url, retries: 0 });
    const err = await failure(
      readOnly.rest.issues.createComment({ owner: "octo-org", repo: "models", issue_number: 1, body: "x" }),
    );
    expect(isForkPermissionError(err)).toBe(true);
    expect(isForkPermissionError(toApiError(err))).toBe(true);
    expect(isRateLimitError(err)).toBe(false);
    const pat = createOctokit({ token: server.tokens.user, baseUrl: server.url, retries: 0 });
    const other = await failure(
      pat.rest.checks.create({ owner: "octo-org", repo: "models", name: "x", head_sha: "a".repeat(40) }),
    );
    expect(isForkPermissionError(other)).toBe(false);
    expect((toApiError(other) as MlciError).message).toContain("You must authenticate via a GitHub App.");
  });

  it("recognises server errors and rate limits", async () => {
    server.fault({
      method: "GET",
      route: "/repos/{owner}/{repo}",
      times: 1,
      effect: { kind: "status", status: 502 },
    });
    expect(isServerError(await failure(octokit.rest.repos.get({ owner: "octo-org", repo: "models" })))).toBe(
      true,
    );
    server.fault({
      method: "GET",
      route: "/repos/{owner}/{repo}",
      times: 1,
      effect: { kind: "rate-limit", resetInSeconds: 9999 },
    });
    const limited = await failure(octokit.rest.repos.get({ owner: "octo-org", repo: "models" }));
    expect(isRateLimitError(limited)).toBe(true);
    expect((toApiError(limited) as MlciError).hint).toMatch(/try again after \d{4}-/);
  });

  it("passes our own errors and bugs through unchanged", () => {
    const ours = new MlciError("INPUT", "bad");
    expect(toApiError(ours)).toBe(ours);
    const bug = new TypeError("x is undefined");
    expect(toApiError(bug)).toBe(bug);
  });
});
