import { Git, type GitRunner, spawnGit } from "@mlci/git";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../../test/github-server";
import { gitEnv, TempRepo } from "../../../../test/helpers/git-repo";
import { RemoteTags } from "./remote-tags";

const REPO = "octo-org/models";
const GET_TAG = "/repos/{owner}/{repo}/git/tags/{tag_sha}";
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const runner: GitRunner = (args, o) => spawnGit(args, { ...o, env: { ...gitEnv(), ...o.env } });
let server: GitHubTestServer;
let local: TempRepo;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  local = new TempRepo("mlci-remote-tags-");
});

afterEach(async () => {
  await server.close();
  local.remove();
});

function remote(git?: Git): RemoteTags {
  const octokit = new Octokit({ auth: server.tokens.actions, baseUrl: server.url, log: quiet });
  return new RemoteTags({ octokit, owner: "octo-org", repo: "models", ...(git ? { git } : {}) });
}

/** The same annotated tag in the clone and on the server: git and the server hash it alike. */
function sharedTag(name: string, commit: string, date: string): string {
  local.tag(name, `Registering ${name}`, commit, date);
  const repo = server.state.repo(REPO);
  const sha = repo.git.tag({
    tag: name,
    message: `Registering ${name}\n`,
    object: { type: "commit", sha: commit },
    tagger: { name: "Test Committer", email: "committer@example.com", date },
  });
  expect(sha).toBe(local.git("rev-parse", name).trim());
  repo.refs.set(`refs/tags/${name}`, sha);
  return sha;
}

describe("RemoteTags", () => {
  it("lists registry tags from the API and reads tag objects from the clone when it has them", async () => {
    const c1 = local.commit("c1", { f: "1" });
    server.state.addCommit(REPO, { sha: c1, message: "c1" });
    sharedTag("churn@v0.0.1", c1, "2026-03-01T12:00:00Z");
    // Only on the server: read through the API.
    const repo = server.state.repo(REPO);
    const onlyRemote = repo.git.tag({
      tag: "churn#prod#1",
      message: "Assigning stage prod to artifact churn version v0.0.1",
      object: { type: "commit", sha: c1 },
      tagger: { name: "bot", email: "bot@example.com", date: "2026-03-01T12:00:01Z" },
    });
    repo.refs.set("refs/tags/churn#prod#1", onlyRemote);
    repo.refs.set("refs/tags/release-1", c1); // not a registry tag: never read further
    repo.refs.set("refs/tags/light@v1.0.0", c1); // lightweight: listed as such

    const viaApi = await remote().list();
    const withClone = remote(new Git(local.dir, runner));
    const viaClone = await withClone.list();
    expect(withClone.apiReads).toBe(1);
    expect(server.callsTo("GET", GET_TAG)).toHaveLength(3);
    const byName = (xs: typeof viaApi) => new Map(xs.map((t) => [t.name, t]));
    expect(byName(viaClone).get("churn@v0.0.1")).toMatchObject({
      objectType: "tag",
      commit: c1,
      taggerDate: Date.parse("2026-03-01T12:00:00Z") / 1000,
      taggerName: "Test Committer",
    });
    expect(byName(viaApi).get("churn@v0.0.1")).toMatchObject({ commit: c1, taggerDate: 1772366400 });
    expect(byName(viaApi).get("churn#prod#1")).toMatchObject({ commit: c1, taggerName: "bot" });
    expect(byName(viaApi).get("light@v1.0.0")).toEqual({
      name: "light@v1.0.0",
      objectName: c1,
      objectType: "commit",
      commit: c1,
    });
    expect(byName(viaApi).has("release-1")).toBe(false);

    // Tag objects never change: a second read lists the refs again but fetches no object.
    await withClone.list();
    expect(withClone.apiReads).toBe(1);
  });
});
