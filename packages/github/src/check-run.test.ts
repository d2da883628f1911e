import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { type CheckAnnotation, createCheckRun, truncateForCheckRun, updateCheckRun } from "./check-run";
import { createOctokit, type GitHubClient } from "./client";

const REPO = "octo-org/models";
const CREATE = "/repos/{owner}/{repo}/check-runs";
const UPDATE = "/repos/{owner}/{repo}/check-runs/{check_run_id}";

let server: GitHubTestServer;
let octokit: GitHubClient;
let headSha: string;

function annotations(n: number): CheckAnnotation[] {
  return Array.from({ length: n }, (_, i) => ({
    path: "train.py",
    startLine: i + 1,
    endLine: i + 1,
    level: "warning",
    message: `metric regressed (${i})`,
  }));
}

const base = () => ({ owner: "octo-org", repo: "models", name: "mlci / metrics", headSha, retryDelayMs: 50 });
const stored = () => server.state.repo(REPO).checkRuns;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  headSha = server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
  octokit = createOctokit({ token: server.tokens.actions, baseUrl: server.url, log: { warn: () => {} } });
});

afterEach(async () => {
  await server.close();
});

describe("createCheckRun", () => {
  it("sends 120 annotations as one create with 50 and two updates appending 50 and 20", async () => {
    const res = await createCheckRun(octokit, {
      ...base(),
      conclusion: "failure",
      output: { title: "2 metrics regressed", summary: "see below", annotations: annotations(120) },
    });
    expect(res.annotations).toBe(120);
    const run = stored()[0];
    expect(run?.json).toMatchObject({
      id: res.id,
      status: "completed",
      conclusion: "failure",
      output: { annotations_count: 120 },
    });
    expect(run?.annotations.map((a) => a.message)).toEqual(annotations(120).map((a) => a.message));
    const sizes = server.calls
      .filter((c) => c.route === CREATE || c.route === UPDATE)
      .map((c) => (c.body as { output: { annotations: unknown[] } }).output.annotations.length);
    expect(sizes).toEqual([50, 50, 20]);
  });

  it("cuts a summary and text over 65,535 (bytes) with a note that GitHub accepts", async () => {
    const res = await createCheckRun(octokit, {
      ...base(),
      output: { title: "big", summary: "| a | b |\n".repeat(8000), text: "é".repeat(40_000) },
    });
    expect(res.truncated).toEqual(["summary", "text"]);
    const out = stored()[0]?.json.output;
    expect(out.summary.length).toBeLessThanOrEqual(65535);
    expect(out.summary).toMatch(/\| a \| b \|\n\n> \[!NOTE\]\n> Cut to fit/);
    expect(Buffer.byteLength(out.text)).toBeLessThanOrEqual(65535);
  });

  it("drops columns from a multi-line annotation, as GitHub requires", async () => {
    await createCheckRun(octokit, {
      ...base(),
      output: {
        title: "t",
        summary: "s",
        annotations: [
          {
            path: "a.py",
            startLine: 1,
            endLine: 3,
            startColumn: 2,
            endColumn: 4,
            level: "notice",
            message: "m",
          },
          {
            path: "a.py",
            startLine: 5,
            endLine: 5,
            startColumn: 2,
            endColumn: 4,
            level: "failure",
            message: "n",
          },
        ],
      },
    });
    const [multi, single] = stored()[0]?.annotations ?? [];
    expect(multi).not.toHaveProperty("start_column");
    expect(single).toMatchObject({ start_column: 2, end_column: 4 });
  });

  it("leaves one check run when GitHub stores the create but answers 502", async () => {
    server.fault({ method: "POST", route: CREATE, times: 1, effect: { kind: "apply-then-502" } });
    const res = await createCheckRun(octokit, {
      ...base(),
      output: { title: "t", summary: "s", annotations: annotations(70) },
    });
    expect(stored()).toHaveLength(1);
    expect(res.id).toBe(stored()[0]?.json.id);
    expect(stored()[0]?.annotations).toHaveLength(70);
  });

  it("does not send an annotation batch twice when GitHub stores it but answers 502", async () => {
    server.fault({ method: "PATCH", route: UPDATE, times: 1, effect: { kind: "apply-then-502" } });
    const res = await createCheckRun(octokit, {
      ...base(),
      output: { title: "t", summary: "s", annotations: annotations(120) },
    });
    expect(res.annotations).toBe(120);
    expect(stored()[0]?.annotations).toHaveLength(120);
  });

  it("sends a batch again when the 502 stored nothing", async () => {
    server.fault({ method: "PATCH", route: UPDATE, times: 1, effect: { kind: "status", status: 502 } });
    await createCheckRun(octokit, {
      ...base(),
      output: { title: "t", summary: "s", annotations: annotations(60) },
    });
    expect(stored()[0]?.annotations).toHaveLength(60);
    expect(server.callsTo("PATCH", UPDATE).map((c) => c.status)).toEqual([502, 200]);
  });
});

describe("updateCheckRun", () => {
  it("completes a run and appends annotations to those it has", async () => {
    const created = await createCheckRun(octokit, {
      ...base(),
      status: "in_progress",
      output: { title: "t", summary: "running", annotations: annotations(10) },
    });
    const res = await updateCheckRun(octokit, {
      owner: "octo-org",
      repo: "models",
      checkRunId: created.id,
      conclusion: "success",
      output: { title: "t", summary: "done", annotations: annotations(55) },
    });
    expect(res.annotations).toBe(55);
    expect(stored()[0]?.json).toMatchObject({
      conclusion: "success",
      output: { summary: "done", annotations_count: 65 },
    });
  });
});

describe("truncateForCheckRun", () => {
  it("leaves short text alone and never splits a character", () => {
    expect(truncateForCheckRun("short")).toEqual({ text: "short", truncated: false });
    const cut = truncateForCheckRun("😀".repeat(20), 30);
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(30);
    expect(cut.text).not.toContain("\uFFFD");
  });
});
