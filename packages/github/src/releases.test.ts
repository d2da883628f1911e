import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { createOctokit, type GitHubClient } from "./client";
import { createRef } from "./refs";
import { createRelease, findReleaseByTag } from "./releases";

const REPO = "octo-org/models";
const RELEASES = "/repos/{owner}/{repo}/releases";
const o = { owner: "octo-org", repo: "models" };
let server: GitHubTestServer;
let octokit: GitHubClient;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  const main = server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
  octokit = createOctokit({ token: server.tokens.actions, baseUrl: server.url, log: { warn: () => {} } });
  await createRef(octokit, { ...o, ref: "refs/tags/model@v1.0.0", sha: main });
});

afterEach(async () => {
  await server.close();
});

describe("releases", () => {
  it("creates a release for a tag, and finds it by tag", async () => {
    const made = await createRelease(octokit, {
      ...o,
      tagName: "model@v1.0.0",
      name: "model v1.0.0",
      body: "## card",
    });
    expect(made).toMatchObject({ created: true, tagName: "model@v1.0.0" });
    expect(made.url).toBe("https://github.com/octo-org/models/releases/tag/model%40v1.0.0");
    expect(await findReleaseByTag(octokit, { ...o, tagName: "model@v1.0.0" })).toEqual({
      id: made.id,
      url: made.url,
      tagName: "model@v1.0.0",
    });
    expect(await findReleaseByTag(octokit, { ...o, tagName: "model@v2.0.0" })).toBeUndefined();
  });

  it("never makes two releases for one tag, even through a create stored but answered 502", async () => {
    server.fault({ method: "POST", route: RELEASES, times: 1, effect: { kind: "apply-then-502" } });
    const first = await createRelease(octokit, { ...o, tagName: "model@v1.0.0", name: "a", body: "a" });
    expect(first.created).toBe(false); // the retry met the release the first try had stored
    const second = await createRelease(octokit, { ...o, tagName: "model@v1.0.0", name: "b", body: "b" });
    expect(second).toMatchObject({ created: false, id: first.id });
    expect(server.state.repo(REPO).releases).toHaveLength(1);
  });
});
