import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { TempRepo } from "../helpers/git-repo";
import { webhookExample } from "../helpers/payloads";
import { runAction } from "../helpers/run-action";

/**
 * Concurrent runs of the bundled register action (separate Node 24 processes) against one test
 * server. The first ref creates are held for a moment, so every run reads the registry before any
 * run's tag lands: the races the action must survive happen every time, not by luck.
 */

const FULL = "octo-org/ml-project";
const REFS = "/repos/{owner}/{repo}/git/refs";
const RELEASES = "/repos/{owner}/{repo}/releases";

let server: GitHubTestServer;
const repos: TempRepo[] = [];

beforeEach(async () => {
  server = await startGitHubServer();
});
afterEach(async () => server.close());
afterAll(() => {
  for (const r of repos) r.remove();
});

function lock(n: number): string {
  return `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: models/churn.pkl\n      md5: ${String(n).padStart(32, "a")}\n      size: 10\n`;
}

/** A project with commits c0 (set up) and c1..cn, each a newly trained model. */
function project(n: number): { repo: TempRepo; commits: string[] } {
  const repo = new TempRepo("mlci-register-race-");
  repos.push(repo);
  const commits = [
    repo.commit("Set up", {
      "dvc.yaml": "artifacts:\n  churn:\n    path: models/churn.pkl\n    type: model\n",
      "dvc.lock": lock(0),
    }),
  ];
  for (let i = 1; i <= n; i++) commits.push(repo.commit(`Train ${i}`, { "dvc.lock": lock(i) }));
  return { repo, commits };
}

function push(before: string, after: string) {
  const event = webhookExample("push");
  Object.assign(event, { ref: "refs/heads/main", before, after, created: false });
  Object.assign(event.repository, { full_name: FULL, name: "ml-project", default_branch: "main" });
  server.state.seedFromEvent(event);
  return event;
}

function register(
  repo: TempRepo,
  o: { event: unknown; eventName?: string; sha: string; runId: string; inputs?: Record<string, string> },
) {
  return runAction({
    action: "register",
    workspace: repo.dir,
    apiUrl: server.url,
    event: o.event,
    eventName: o.eventName ?? "push",
    repository: FULL,
    sha: o.sha,
    ref: "refs/heads/main",
    inputs: { token: server.tokens.actions, ...o.inputs },
    env: { GITHUB_RUN_ID: o.runId },
  });
}

/** Holds the next `times` ref creates, so concurrent runs all read before any of them writes. */
function holdRefCreates(times = 2): void {
  server.fault({ method: "POST", route: REFS, times, effect: { kind: "delay", ms: 2500 } });
}

/** Registry tags on the server: name -> commit and tagger date (seconds). */
function serverTags(): Map<string, { commit: string; date: number }> {
  const state = server.state.repo(FULL);
  const out = new Map<string, { commit: string; date: number }>();
  for (const [ref, sha] of state.refs) {
    const o = state.git.get(sha);
    if (ref.startsWith("refs/tags/") && o?.type === "tag") {
      out.set(ref.slice(10), { commit: o.object.sha, date: Date.parse(o.tagger.date) / 1000 });
    }
  }
  return out;
}

/** The tagger dates of the tags in the order their refs were created: must strictly increase. */
function datesInCreationOrder(): number[] {
  const tags = serverTags();
  return server
    .callsTo("POST", REFS)
    .filter((c) => c.status === 201)
    .map((c) => tags.get(String((c.body as { ref: string }).ref).slice(10))?.date ?? Number.NaN);
}

const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

describe("register action under concurrency (bundled, Node 24)", () => {
  it("gives two concurrent runs for two different commits two distinct versions", async () => {
    const { repo, commits } = project(2);
    const [c0, c1, c2] = commits as [string, string, string];
    const e1 = push(c0, c1);
    const e2 = push(c1, c2);
    holdRefCreates();
    const [a, b] = await Promise.all([
      register(repo, { event: e1, sha: c1, runId: "101" }),
      register(repo, { event: e2, sha: c2, runId: "102" }),
    ]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""]);
    expect([a.outputs.version, b.outputs.version].sort()).toEqual(["v0.0.1", "v0.0.2"]);
    expect([a.outputs.created, b.outputs.created]).toEqual(["true", "true"]);
    const tags = serverTags();
    expect(new Set([tags.get("churn@v0.0.1")?.commit, tags.get("churn@v0.0.2")?.commit])).toEqual(
      new Set([c1, c2]),
    );
    // The race really happened: one ref create was refused, and its run took the next version.
    expect(server.callsTo("POST", REFS).filter((c) => c.status === 422)).toHaveLength(1);
    expect(`${a.stdout}${b.stdout}`).toMatch(/churn@v0\.0\.1 was just taken by commit/);
    expect(
      server.state
        .repo(FULL)
        .releases.map((r) => r.tag_name)
        .sort(),
    ).toEqual(["churn@v0.0.1", "churn@v0.0.2"]);
    expect(increasing(datesInCreationOrder())).toBe(true);
  });

  it("gives two concurrent runs for the same commit one version; the other reports it", async () => {
    const { repo, commits } = project(1);
    const [c0, c1] = commits as [string, string];
    const event = push(c0, c1);
    holdRefCreates();
    const runs = await Promise.all([
      register(repo, { event, sha: c1, runId: "201" }),
      register(repo, { event, sha: c1, runId: "202" }),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(runs.map((r) => r.outputs.version)).toEqual(["v0.0.1", "v0.0.1"]);
    expect(runs.map((r) => r.outputs.created).sort()).toEqual(["false", "true"]);
    const loser = runs.find((r) => r.outputs.created === "false")!;
    expect(JSON.parse(loser.outputs.registered ?? "[]")[0].notes[0]).toMatch(
      /another run registered commit .* as churn v0\.0\.1/,
    );
    expect([...serverTags().keys()]).toEqual(["churn@v0.0.1"]);
    expect(server.callsTo("POST", REFS).filter((c) => c.status === 422)).toHaveLength(1);
    expect(server.callsTo("POST", RELEASES)).toHaveLength(1);

    // A third run later creates nothing at all.
    const before = server.calls.filter((c) => c.method === "POST").length;
    const rerun = await register(repo, { event, sha: c1, runId: "203" });
    expect(rerun.outputs).toMatchObject({ version: "v0.0.1", created: "false" });
    expect(server.calls.filter((c) => c.method === "POST").length).toBe(before);
  });

  it("gives two concurrent assigns distinct counters, with strictly increasing tagger dates", async () => {
    const { repo, commits } = project(2);
    const [c0, c1, c2] = commits as [string, string, string];
    await register(repo, { event: push(c0, c1), sha: c1, runId: "301" });
    await register(repo, { event: push(c1, c2), sha: c2, runId: "302" });
    const dispatch = { inputs: {}, ref: "refs/heads/main", repository: { full_name: FULL } };
    holdRefCreates();
    const [a, b] = await Promise.all(
      ["v0.0.1", "v0.0.2"].map((version, i) =>
        register(repo, {
          event: dispatch,
          eventName: "workflow_dispatch",
          sha: c2,
          runId: `31${i}`,
          inputs: { artifact: "churn", version, stage: "prod" },
        }),
      ),
    );
    expect([a?.code, b?.code]).toEqual([0, 0]);
    expect([a?.outputs["stage-tag"], b?.outputs["stage-tag"]].sort()).toEqual([
      "churn#prod#1",
      "churn#prod#2",
    ]);
    const tags = serverTags();
    expect(tags.get("churn#prod#1")?.commit).not.toBe(tags.get("churn#prod#2")?.commit);
    expect(server.callsTo("POST", REFS).filter((c) => c.status === 422)).toHaveLength(1);
    expect(increasing(datesInCreationOrder())).toBe(true);
    expect(datesInCreationOrder()).toHaveLength(4);
  });
});
