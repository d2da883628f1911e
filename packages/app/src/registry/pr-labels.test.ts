import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../../test/github-server";
import { labelsForCommit } from "./pr-labels";

const REPO = "octo-org/models";
const PULLS = "/repos/{owner}/{repo}/commits/{commit_sha}/pulls";
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let server: GitHubTestServer;
let octokit: Octokit;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  octokit = new Octokit({ auth: server.tokens.actions, baseUrl: server.url, log: quiet });
});

afterEach(async () => {
  await server.close();
});

describe("labelsForCommit", () => {
  it("reads the labels of the pull request a merge commit came from", async () => {
    const merged = server.state.addPullRequest(REPO, { head: "feature" });
    const sha = server.state.addCommit(REPO, { message: "Merge", branch: "main" });
    Object.assign(merged, { state: "closed", merged_at: "2026-03-01T00:00:00Z", merge_commit_sha: sha });
    merged.labels = [{ name: "release:minor" }, { name: "ml" }];
    expect(await labelsForCommit(octokit, { owner: "octo-org", repo: "models", sha })).toEqual({
      labels: ["release:minor", "ml"],
      pulls: [merged.number],
    });
  });

  it("falls back to no labels, with a warning, when the token may not read pull requests", async () => {
    server.fault({ method: "GET", route: PULLS, effect: { kind: "status", status: 403 } });
    const warnings: string[] = [];
    const out = await labelsForCommit(
      octokit,
      { owner: "octo-org", repo: "models", sha: "a".repeat(40) },
      { warning: (m) => warnings.push(m) },
    );
    expect(out).toEqual({ labels: [], pulls: [] });
    expect(warnings[0]).toMatch(/using the default bump \(patch\)/);
  });
});
