import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../../test/github-server";
import { assignRemote, type RemoteRegistryDeps, registerRemote } from "./remote-registry";
import { RemoteTags } from "./remote-tags";
import { ACTIONS_TAGGER } from "./remote-writer";

const REPO = "octo-org/models";
const REFS = "/repos/{owner}/{repo}/git/refs";
const T0 = Date.parse("2026-03-01T12:00:00Z") / 1000;
let server: GitHubTestServer;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
});

afterEach(async () => {
  await server.close();
});

/**
 * One CI run: its own client and its own cache of tag objects, as separate processes have. A plain
 * Octokit (no write pacing, so the races are tight and the tests quick); the end-to-end tests run
 * the bundled action with the real client.
 */
function run(now = () => T0 + 0.5): RemoteRegistryDeps {
  const octokit = new Octokit({ auth: server.tokens.actions, baseUrl: server.url, log: quiet });
  const repo = { octokit, owner: "octo-org", repo: "models" };
  return { repo, tags: new RemoteTags(repo), tagger: ACTIONS_TAGGER, now };
}

function commit(n: number): string {
  return server.state.addCommit(REPO, {
    message: `c${n}`,
    files: { "model.pkl": String(n) },
    branch: "main",
  });
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const message = (v: string) => `Registering artifact churn version ${v}\n\ncard`;

/** Tag name -> { commit, tagger date (s) }, read from the server's store. */
function tags(): Map<string, { commit: string; date: number; message: string }> {
  const repo = server.state.repo(REPO);
  const out = new Map<string, { commit: string; date: number; message: string }>();
  for (const [ref, sha] of repo.refs) {
    if (!ref.startsWith("refs/tags/")) continue;
    const o = repo.git.get(sha);
    if (o?.type !== "tag") continue;
    out.set(ref.slice("refs/tags/".length), {
      commit: o.object.sha,
      date: Date.parse(o.tagger.date) / 1000,
      message: o.message,
    });
  }
  return out;
}

/** Makes both runs read before either writes: their ref creates wait, then land one after the other. */
function holdRefCreates(times = 2): void {
  server.fault({ method: "POST", route: REFS, times, effect: { kind: "delay", ms: 300 } });
}

describe("registerRemote", () => {
  it("creates the tag object, then the ref; a re-run writes nothing", async () => {
    const c1 = commit(1);
    const first = await registerRemote(run(), { name: "churn", commit: c1, message });
    expect(first).toMatchObject({ created: true, version: "v0.0.1", tag: "churn@v0.0.1", commit: c1 });
    expect(server.callsTo("POST", "/repos/{owner}/{repo}/git/tags")).toHaveLength(1);
    expect(server.callsTo("POST", REFS)).toHaveLength(1);
    const tag = tags().get("churn@v0.0.1");
    expect(tag).toEqual({ commit: c1, date: T0, message: message("v0.0.1") });
    const body = server.callsTo("POST", "/repos/{owner}/{repo}/git/tags")[0]?.body as { tagger: unknown };
    expect(body.tagger).toEqual({ ...ACTIONS_TAGGER, date: "2026-03-01T12:00:00Z" });

    const again = await registerRemote(run(), { name: "churn", commit: c1, bump: "major", message });
    expect(again).toMatchObject({ created: false, version: "v0.0.1", tag: "churn@v0.0.1" });
    expect(again.note).toMatch(/already holds churn v0\.0\.1/);
    expect(server.callsTo("POST", "/repos/{owner}/{repo}/git/tags")).toHaveLength(1);
    expect(server.callsTo("POST", REFS)).toHaveLength(1);
  });

  it("bumps from the greatest version and dates each tag after the newest, even one in the future", async () => {
    const c1 = commit(1);
    await registerRemote(run(), { name: "churn", commit: c1, version: "v1.4.0", message });
    // Someone else's tag, dated an hour ahead of our clock.
    const c2 = commit(2);
    const repo = server.state.repo(REPO);
    const future = repo.git.tag({
      tag: "other@v1.0.0",
      message: "x",
      object: { type: "commit", sha: c2 },
      tagger: { name: "x", email: "x@example.com", date: "2026-03-01T13:00:00Z" },
    });
    repo.refs.set("refs/tags/other@v1.0.0", future);
    const c3 = commit(3);
    const out = await registerRemote(run(), { name: "churn", commit: c3, bump: "minor", message });
    expect(out).toMatchObject({ created: true, version: "v1.5.0" });
    expect(tags().get("churn@v1.5.0")?.date).toBe(T0 + 3601);
  });

  it("gives two concurrent runs for two commits two distinct versions", async () => {
    const [c1, c2] = [commit(1), commit(2)];
    holdRefCreates();
    const [a, b] = await Promise.all([
      registerRemote(run(), { name: "churn", commit: c1, message }),
      registerRemote(run(), { name: "churn", commit: c2, message }),
    ]);
    expect([a.version, b.version].sort()).toEqual(["v0.0.1", "v0.0.2"]);
    expect(a.created && b.created).toBe(true);
    const all = tags();
    expect(new Set([all.get("churn@v0.0.1")?.commit, all.get("churn@v0.0.2")?.commit])).toEqual(
      new Set([c1, c2]),
    );
    // The loser read again and dated its tag after the winner's.
    expect(all.get("churn@v0.0.2")!.date).toBeGreaterThan(all.get("churn@v0.0.1")!.date);
    // Both tried v0.0.1 first: three ref creates, one refused.
    expect(server.callsTo("POST", REFS).map((c) => c.status)).toContain(422);
  });

  it("gives two concurrent runs for one commit one version; the other reports it", async () => {
    const c1 = commit(1);
    holdRefCreates();
    const results = await Promise.all([
      registerRemote(run(), { name: "churn", commit: c1, message }),
      registerRemote(run(), { name: "churn", commit: c1, message }),
    ]);
    expect(results.map((r) => r.version)).toEqual(["v0.0.1", "v0.0.1"]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.find((r) => !r.created)?.note).toMatch(/another run registered commit/);
    expect([...tags().keys()]).toEqual(["churn@v0.0.1"]);
  });

  it("keeps one version when two runs for one commit chose different bumps", async () => {
    const c0 = commit(0);
    await registerRemote(run(), { name: "churn", commit: c0, message });
    const c1 = commit(1);
    holdRefCreates();
    const results = await Promise.all([
      registerRemote(
        run(() => T0 + 10),
        { name: "churn", commit: c1, bump: "minor", message },
      ),
      registerRemote(
        run(() => T0 + 20),
        { name: "churn", commit: c1, bump: "major", message },
      ),
    ]);
    expect(results.map((r) => r.version)).toEqual(["v0.1.0", "v0.1.0"]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect([...tags().keys()].sort()).toEqual(["churn@v0.0.1", "churn@v0.1.0"]);
  });

  it("stops with a clear message when other runs keep taking the name", async () => {
    const c1 = commit(1);
    await registerRemote(run(), { name: "churn", commit: c1, message });
    // A registry read that never sees the existing tag: every try collides.
    server.handle("git/list-matching-refs", () => ({ status: 200, body: [] }));
    const c2 = commit(2);
    await expect(
      registerRemote({ ...run(), maxAttempts: 3 }, { name: "churn", commit: c2, message }),
    ).rejects.toThrow(/other runs took the name 3 times in a row/);
    expect(server.callsTo("POST", REFS).filter((c) => c.status === 422)).toHaveLength(3);
  });

  it("refuses an explicit version that another commit holds", async () => {
    const c1 = commit(1);
    await registerRemote(run(), { name: "churn", commit: c1, version: "v1.0.0", message });
    const c2 = commit(2);
    await expect(
      registerRemote(run(), { name: "churn", commit: c2, version: "v1.0.0", message }),
    ).rejects.toThrow(/v1\.0\.0 is registered at commit/);
    await expect(registerRemote(run(), { name: "bad name", commit: c2, message })).rejects.toThrow(/name/);
  });
});

describe("assignRemote", () => {
  const stageMessage = (v: string) => `Assigning stage prod to artifact churn version ${v}`;

  it("registers a commit without a version first, then assigns; a re-run writes nothing", async () => {
    const c1 = commit(1);
    const out = await assignRemote(run(), {
      name: "churn",
      stage: "prod",
      commit: c1,
      register: { message },
      message: stageMessage,
    });
    expect(out).toMatchObject({ created: true, tag: "churn#prod#1", version: "v0.0.1", stage: "prod" });
    expect(out.registered).toMatchObject({ created: true, tag: "churn@v0.0.1" });
    const all = tags();
    expect(all.get("churn#prod#1")!.date).toBeGreaterThan(all.get("churn@v0.0.1")!.date);

    const again = await assignRemote(run(), {
      name: "churn",
      stage: "prod",
      version: "v0.0.1",
      message: stageMessage,
    });
    expect(again).toMatchObject({ created: false, tag: "churn#prod#1" });
    expect(tags().size).toBe(2);
  });

  it("gives two concurrent assigns distinct counters", async () => {
    const [c1, c2] = [commit(1), commit(2)];
    await registerRemote(run(), { name: "churn", commit: c1, message });
    await registerRemote(run(), { name: "churn", commit: c2, message });
    holdRefCreates();
    const [a, b] = await Promise.all([
      assignRemote(run(), { name: "churn", stage: "prod", version: "v0.0.1", message: stageMessage }),
      assignRemote(run(), { name: "churn", stage: "prod", version: "v0.0.2", message: stageMessage }),
    ]);
    expect([a.tag, b.tag].sort()).toEqual(["churn#prod#1", "churn#prod#2"]);
    expect(a.created && b.created).toBe(true);
    const all = tags();
    expect(all.get("churn#prod#2")!.date).toBeGreaterThan(all.get("churn#prod#1")!.date);
  });

  it("refuses unknown versions and bad stages", async () => {
    await expect(
      assignRemote(run(), { name: "churn", stage: "prod", version: "v9.0.0", message: stageMessage }),
    ).rejects.toThrow(/churn v9\.0\.0 is not registered/);
    await expect(
      assignRemote(run(), { name: "churn", stage: "prod!", version: "v9.0.0", message: stageMessage }),
    ).rejects.toThrow(/stage/);
  });
});
