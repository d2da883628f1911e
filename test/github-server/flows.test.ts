import { execFileSync } from "node:child_process";
import examples from "@octokit/webhooks-examples";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "./index";
import { call } from "./test-client";

const REPO = "octo-org/models";
const API = `/repos/${REPO}`;

let server: GitHubTestServer;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
});

afterEach(async () => {
  await server.close();
});

function mainSha(): string {
  return server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
}

describe("git database and pull requests", () => {
  it("creates a branch with a commit and opens a PR, as a bot would", async () => {
    const blob = await call(server, "POST", `${API}/git/blobs`, {
      body: { content: "lr: 0.1\n", encoding: "utf-8" },
    });
    expect(blob.json.sha).toBe(
      execFileSync("git", ["hash-object", "--stdin"], { input: "lr: 0.1\n" }).toString().trim(),
    );
    const base = await call(server, "GET", `${API}/git/commits/${mainSha()}`);
    const tree = await call(server, "POST", `${API}/git/trees`, {
      body: {
        base_tree: base.json.tree.sha,
        tree: [{ path: "params/train.yaml", mode: "100644", type: "blob", sha: blob.json.sha }],
      },
    });
    expect(tree.status).toBe(201);
    const commit = await call(server, "POST", `${API}/git/commits`, {
      body: { message: "Tune lr", tree: tree.json.sha, parents: [mainSha()] },
    });
    expect(commit.json.author.name).toBe("github-actions[bot]");
    const ref = await call(server, "POST", `${API}/git/refs`, {
      body: { ref: "refs/heads/mlci/tune", sha: commit.json.sha },
    });
    expect(ref.status).toBe(201);
    const pr = await call(server, "POST", `${API}/pulls`, {
      body: { title: "Tune", head: "mlci/tune", base: "main" },
    });
    expect(pr.status).toBe(201);
    expect(pr.json).toMatchObject({
      number: 1,
      state: "open",
      head: { ref: "mlci/tune", sha: commit.json.sha },
    });
    const again = await call(server, "POST", `${API}/pulls`, {
      body: { title: "Tune", head: "mlci/tune", base: "main" },
    });
    expect(again.json.errors[0].message).toBe("A pull request already exists for octo-org:mlci/tune.");
    const listed = await call(server, "GET", `${API}/pulls?head=octo-org:mlci/tune&state=open`);
    expect(listed.json.map((p: { number: number }) => p.number)).toEqual([1]);
    const forCommit = await call(server, "GET", `${API}/commits/${commit.json.sha}/pulls`);
    expect(forCommit.json).toHaveLength(1);
    const recursive = await call(server, "GET", `${API}/git/trees/${tree.json.sha}?recursive=1`);
    expect(recursive.json.tree.map((e: { path: string }) => e.path)).toEqual([
      "README.md",
      "params",
      "params/train.yaml",
    ]);
  });

  it("refuses a non-fast-forward ref update unless forced", async () => {
    const other = server.state.addCommit(REPO, { message: "unrelated", parents: [] });
    const res = await call(server, "PATCH", `${API}/git/refs/heads/main`, { body: { sha: other } });
    expect(res.json.message).toBe("Update is not a fast forward");
    expect(
      (await call(server, "PATCH", `${API}/git/refs/heads/main`, { body: { sha: other, force: true } }))
        .status,
    ).toBe(200);
  });

  it("creates annotated tags whose refs show type tag", async () => {
    const tag = await call(server, "POST", `${API}/git/tags`, {
      body: {
        tag: "model@v1.0.0",
        message: "Registering artifact model version v1.0.0",
        object: mainSha(),
        type: "commit",
        tagger: { name: "mlci", email: "mlci@example.com", date: "2026-01-02T03:04:05Z" },
      },
    });
    expect(tag.status).toBe(201);
    await call(server, "POST", `${API}/git/refs`, {
      body: { ref: "refs/tags/model@v1.0.0", sha: tag.json.sha },
    });
    const refs = await call(server, "GET", `${API}/git/matching-refs/tags/model@`);
    expect(refs.json).toHaveLength(1);
    expect(refs.json[0].object).toMatchObject({ type: "tag", sha: tag.json.sha });
    const got = await call(server, "GET", `${API}/git/tags/${tag.json.sha}`);
    expect(got.json).toMatchObject({
      tag: "model@v1.0.0",
      tagger: { date: "2026-01-02T03:04:05Z" },
      object: { sha: mainSha() },
    });
  });
});

describe("checks, releases, deployments, dispatches", () => {
  it("appends annotations on update and lists the latest run per name for a ref", async () => {
    const a = { path: "train.py", start_line: 1, end_line: 1, annotation_level: "warning", message: "m" };
    const run = await call(server, "POST", `${API}/check-runs`, {
      body: {
        name: "mlci",
        head_sha: mainSha(),
        status: "in_progress",
        output: { title: "t", summary: "s", annotations: [a] },
      },
    });
    await call(server, "PATCH", `${API}/check-runs/${run.json.id}`, {
      body: { conclusion: "success", output: { summary: "s2", annotations: [a, a] } },
    });
    const list = await call(server, "GET", `${API}/commits/main/check-runs?check_name=mlci`);
    expect(list.json.total_count).toBe(1);
    expect(list.json.check_runs[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { annotations_count: 3 },
    });
    const pat = await call(server, "POST", `${API}/check-runs`, {
      token: server.tokens.user,
      body: { name: "x", head_sha: mainSha() },
    });
    expect(pat.json.message).toBe("You must authenticate via a GitHub App.");
  });

  it("creates a release (and its tag), finds it by tag and refuses a duplicate", async () => {
    const rel = await call(server, "POST", `${API}/releases`, {
      body: { tag_name: "v1.0.0", name: "First" },
    });
    expect(rel.status).toBe(201);
    expect(server.state.repo(REPO).refs.get("refs/tags/v1.0.0")).toBe(mainSha());
    expect((await call(server, "GET", `${API}/releases/tags/v1.0.0`)).json.id).toBe(rel.json.id);
    const dup = await call(server, "POST", `${API}/releases`, { body: { tag_name: "v1.0.0" } });
    expect(dup.json.errors[0]).toMatchObject({ code: "already_exists", field: "tag_name" });
  });

  it("records deployments and statuses, marking the previous success inactive", async () => {
    const first = await call(server, "POST", `${API}/deployments`, {
      body: { ref: "main", environment: "staging" },
    });
    await call(server, "POST", `${API}/deployments/${first.json.id}/statuses`, {
      body: { state: "success" },
    });
    const second = await call(server, "POST", `${API}/deployments`, {
      body: { ref: "main", environment: "staging" },
    });
    await call(server, "POST", `${API}/deployments/${second.json.id}/statuses`, {
      body: { state: "success" },
    });
    const statuses = await call(server, "GET", `${API}/deployments/${first.json.id}/statuses`);
    expect(statuses.json.map((s: { state: string }) => s.state)).toEqual(["inactive", "success"]);
    const listed = await call(server, "GET", `${API}/deployments?environment=staging`);
    expect(listed.json.map((d: { id: number }) => d.id)).toEqual([second.json.id, first.json.id]);
  });

  it("refuses to deploy a commit whose checks failed unless required_contexts is given", async () => {
    await call(server, "POST", `${API}/check-runs`, {
      body: { name: "gate", head_sha: mainSha(), conclusion: "failure" },
    });
    const refused = await call(server, "POST", `${API}/deployments`, { body: { ref: "main" } });
    expect(refused.status).toBe(409);
    const forced = await call(server, "POST", `${API}/deployments`, {
      body: { ref: "main", required_contexts: [] },
    });
    expect(forced.status).toBe(201);
  });

  it("records workflow and repository dispatches", async () => {
    const wf = await call(server, "POST", `${API}/actions/workflows/deploy.yml/dispatches`, {
      body: { ref: "main", inputs: { model: "churn" } },
    });
    expect(wf.status).toBe(204);
    const bad = await call(server, "POST", `${API}/actions/workflows/deploy.yml/dispatches`, {
      body: { ref: "nope" },
    });
    expect(bad.status).toBe(422);
    await call(server, "POST", `${API}/dispatches`, {
      body: { event_type: "model-registered", client_payload: { v: 1 } },
    });
    expect(server.state.repo(REPO).dispatches).toMatchObject([
      {
        kind: "workflow",
        workflowId: "deploy.yml",
        ref: "main",
        inputs: { model: "churn" },
        by: "github-actions[bot]",
      },
      { kind: "repository", eventType: "model-registered", clientPayload: { v: 1 } },
    ]);
  });
});

describe("seeding from webhook payloads", () => {
  it("makes the API agree with a pull_request payload", async () => {
    const payload = examples.find((e) => e.name === "pull_request")?.examples[0] as unknown as {
      pull_request: { number: number; head: { sha: string } };
      repository: { full_name: string };
    };
    const { pull } = server.state.seedFromEvent(payload);
    const pr = payload.pull_request;
    expect(pull?.number).toBe(pr.number);
    const repo = payload.repository.full_name;
    const got = await call(server, "GET", `/repos/${repo}/pulls/${pr.number}`);
    expect(got.json.head.sha).toBe(pr.head.sha);
    const run = await call(server, "POST", `/repos/${repo}/check-runs`, {
      body: { name: "mlci", head_sha: pr.head.sha },
    });
    expect(run.status).toBe(201);
  });
});
