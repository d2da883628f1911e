import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { createOctokit, type GitHubClient } from "./client";
import { createRef, listMatchingRefs } from "./refs";

const REPO = "octo-org/models";
let server: GitHubTestServer;
let octokit: GitHubClient;
let main: string;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  main = server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
  octokit = createOctokit({ token: server.tokens.actions, baseUrl: server.url, log: { warn: () => {} } });
});

afterEach(async () => {
  await server.close();
});

describe("createRef", () => {
  it("lets exactly one of two concurrent creators win", async () => {
    const other = server.state.addCommit(REPO, { message: "other" });
    const opts = { owner: "octo-org", repo: "models", ref: "refs/tags/model@v1.0.0" };
    const [a, b] = await Promise.all([
      createRef(octokit, { ...opts, sha: main }),
      createRef(octokit, { ...opts, sha: other }),
    ]);
    expect([a?.created, b?.created].filter(Boolean)).toHaveLength(1);
    expect(a?.sha).toBe(b?.sha);
  });

  it("counts a create that was stored but answered 502 as ours", async () => {
    server.fault({
      method: "POST",
      route: "/repos/{owner}/{repo}/git/refs",
      times: 1,
      effect: { kind: "apply-then-502" },
    });
    const res = await createRef(octokit, {
      owner: "octo-org",
      repo: "models",
      ref: "refs/tags/v1",
      sha: main,
    });
    expect(res).toEqual({ created: true, sha: main });
  });

  it("lists refs under a prefix", async () => {
    await createRef(octokit, { owner: "octo-org", repo: "models", ref: "refs/tags/model@v1.0.0", sha: main });
    await createRef(octokit, { owner: "octo-org", repo: "models", ref: "refs/tags/other@v1.0.0", sha: main });
    const refs = await listMatchingRefs(octokit, {
      owner: "octo-org",
      repo: "models",
      prefix: "refs/tags/model@",
    });
    expect(refs).toEqual([{ ref: "refs/tags/model@v1.0.0", sha: main, type: "commit" }]);
  });
});
