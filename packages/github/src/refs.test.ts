import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { createOctokit, type GitHubClient } from "./client";
import { createRef, createTagObject, deleteRef, getTagObject, listMatchingRefs } from "./refs";

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

  it("does not count a ref another run made with an identical object as ours", async () => {
    const opts = { owner: "octo-org", repo: "models", ref: "refs/tags/model@v1.0.0", sha: main };
    expect(await createRef(octokit, opts)).toEqual({ created: true, sha: main });
    expect(await createRef(octokit, opts)).toEqual({ created: false, sha: main });
  });
});

describe("tag objects", () => {
  it("creates an annotated tag object with the given tagger date and reads it back", async () => {
    const tagger = { name: "github-actions[bot]", email: "bot@example.com", date: "2026-03-01T12:00:05Z" };
    const made = await createTagObject(octokit, {
      owner: "octo-org",
      repo: "models",
      tag: "model@v1.0.0",
      message: "Registering artifact model version v1.0.0",
      commit: main,
      tagger,
    });
    expect(made).toMatchObject({ tag: "model@v1.0.0", tagger, object: { sha: main, type: "commit" } });
    // Not a tag until a ref points at it.
    expect(server.state.repo(REPO).refs.has("refs/tags/model@v1.0.0")).toBe(false);
    const read = await getTagObject(octokit, { owner: "octo-org", repo: "models", sha: made.sha });
    expect(read).toEqual(made);
    await expect(
      getTagObject(octokit, { owner: "octo-org", repo: "models", sha: "0".repeat(40) }),
    ).rejects.toThrow(/Could not read tag object/);
  });

  it("deletes a ref, and says false for one that is not there", async () => {
    const o = { owner: "octo-org", repo: "models", ref: "refs/tags/model@v1.0.0" };
    await createRef(octokit, { ...o, sha: main });
    expect(await deleteRef(octokit, o)).toBe(true);
    expect(await deleteRef(octokit, o)).toBe(false);
    expect(server.state.repo(REPO).refs.has(o.ref)).toBe(false);
  });
});
