import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateGate, parsePolicy, serializeGateResult } from "@mlci/gate";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { pullRequestEvent, workflowRunEvent } from "../helpers/payloads";
import { makePenguinsRepo, type PenguinsRepo } from "../helpers/penguins-repo";
import { runAction } from "../helpers/run-action";

const COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments";
const MARKER = "<!-- mlci:report:mlci -->";

let server: GitHubTestServer;
let project: PenguinsRepo;

beforeAll(async () => {
  project = makePenguinsRepo();
}, 120_000);

afterAll(() => project?.repo.remove());

beforeEach(async () => {
  await server?.close();
  server = await startGitHubServer();
});

afterAll(async () => server?.close());

function setup(opts: { fork?: boolean } = {}) {
  const event = pullRequestEvent({
    baseSha: project.baseSha,
    headSha: project.headSha,
    ...(opts.fork ? { forkRepo: "forker/Hello-World" } : {}),
  });
  server.state.seedFromEvent(event);
  const full = event.repository.full_name as string;
  return { event, full, number: event.number as number };
}

function report(event: unknown, full: string, token: string, inputs: Record<string, string> = {}) {
  return runAction({
    action: "report",
    workspace: project.repo.dir,
    apiUrl: server.url,
    event,
    eventName: "pull_request",
    repository: full,
    sha: project.headSha,
    inputs: {
      token,
      mode: "report",
      head: "workspace",
      "outside-pr": "check-run",
      summary: "true",
      ...inputs,
    },
  });
}

function ourComments(full: string, number: number) {
  return server.state.issueComments(full, number).filter((c) => String(c.body).includes(MARKER));
}

describe("report action (bundled, Node 24, against the test server)", () => {
  it("creates one sticky comment, then updates it; writes the summary and outputs", async () => {
    const { event, full, number } = setup();
    const first = await report(event, full, server.tokens.actions);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const created = ourComments(full, number);
    expect(created).toHaveLength(1);
    expect(created[0]?.user.login).toBe("github-actions[bot]");
    expect(String(created[0]?.body)).toMatch(/improved/);
    expect(first.outputs["comment-url"]).toBe(created[0]?.html_url);
    expect(Number(first.outputs.improved)).toBeGreaterThan(0);
    expect(first.outputs.posted).toBe("true");
    expect(first.summary).toContain("mlci report");
    expect(existsSync(first.outputs["report-path"] ?? "")).toBe(true);
    expect(JSON.parse(first.outputs["diff-json"] ?? "{}").counts.improved).toBe(
      Number(first.outputs.improved),
    );

    const second = await report(event, full, server.tokens.actions);
    expect(second.code).toBe(0);
    expect(ourComments(full, number)).toHaveLength(1);
    expect(server.callsTo("POST", COMMENTS)).toHaveLength(1);
    expect(
      server.callsTo("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}").length,
    ).toBeLessThanOrEqual(1);
    expect(second.outputs["comment-url"]).toBe(first.outputs["comment-url"]);
  });

  it("finds its comment on the second page among 150 comments, ignoring a planted marker", async () => {
    const { event, full, number } = setup();
    for (let i = 0; i < 100; i++)
      server.state.addIssueComment(full, number, { body: `comment ${i}`, user: "reviewer" });
    server.state.addIssueComment(full, number, {
      body: `${MARKER}\nplanted by someone else`,
      user: "mallory",
    });
    const ours = server.state.addIssueComment(full, number, {
      body: `${MARKER}\nold report`,
      user: "github-actions[bot]",
    });
    for (let i = 0; i < 48; i++)
      server.state.addIssueComment(full, number, { body: `later ${i}`, user: "reviewer" });
    expect(server.state.issueComments(full, number)).toHaveLength(150);

    const run = await report(event, full, server.tokens.actions);
    expect(run.code).toBe(0);
    expect(server.callsTo("POST", COMMENTS)).toHaveLength(0);
    const pages = server.callsTo("GET", COMMENTS).map((c) => c.query.page ?? "1");
    expect(pages).toContain("2");
    const updated = server.state.issueComments(full, number).find((c) => c.id === ours.id);
    expect(String(updated?.body)).not.toContain("old report");
    const planted = server.state.issueComments(full, number).find((c) => c.user.login === "mallory");
    expect(String(planted?.body)).toContain("planted by someone else");
  });

  it("posts exactly once through a 502, a stored-but-502 create, and a secondary rate limit", async () => {
    const { event, full, number } = setup();
    server.fault({ method: "POST", route: COMMENTS, times: 1, effect: { kind: "status", status: 502 } });
    const a = await report(event, full, server.tokens.actions);
    expect(a.code).toBe(0);
    expect(ourComments(full, number)).toHaveLength(1);

    server.state.repo(full).issueComments.length = 0;
    server.clearFaults();
    server.fault({ method: "POST", route: COMMENTS, times: 1, effect: { kind: "apply-then-502" } });
    const b = await report(event, full, server.tokens.actions);
    expect(b.code).toBe(0);
    expect(ourComments(full, number)).toHaveLength(1);

    server.state.repo(full).issueComments.length = 0;
    server.clearFaults();
    const limit = server.fault({
      method: "POST",
      route: COMMENTS,
      times: 1,
      effect: { kind: "secondary-rate-limit", retryAfter: 1 },
    });
    const started = Date.now();
    const c = await report(event, full, server.tokens.actions);
    expect(c.code).toBe(0);
    expect(limit.fired).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(ourComments(full, number)).toHaveLength(1);
  });

  it("on a fork (read-only token) stays green with summary and bundle; workflow_run posts only a genuine bundle", async () => {
    const { event, full, number } = setup({ fork: true });
    // The gate ran in the fork's job: its result travels in the bundle and is re-checked when posted.
    const policy = parsePolicy("version: 1\nrules:\n  - metric: eval.accuracy\n    min: 0.5\n", "gates.yml");
    const gate = evaluateGate(policy, {
      head: { "eval.accuracy": 0.99 },
      directionOf: () => "higher",
      sha: project.headSha,
    });
    const gateFile = join(project.repo.dir, "..", `gate-${number}.json`);
    writeFileSync(gateFile, serializeGateResult(gate));
    const forkRun = await report(event, full, server.tokens.readOnly, { "gate-result": gateFile });
    expect(forkRun.code).toBe(0);
    expect(forkRun.outputs.posted).toBe("false");
    expect(forkRun.summary).toContain("mlci report");
    expect(forkRun.stdout).toMatch(/::warning::.*read-only/);
    expect(ourComments(full, number)).toHaveLength(0);
    const bundlePath = forkRun.outputs["bundle-path"] ?? "";
    const bundle = JSON.parse(readFileSync(bundlePath, "utf8"));
    expect(bundle).toMatchObject({ version: 1, pullRequest: number, headSha: project.headSha });
    expect(bundle.gate).toMatchObject({ version: 1, passed: true });

    const runEvent = workflowRunEvent({
      repository: event.repository,
      headSha: project.headSha,
      headBranch: "feature",
      headRepo: event.pull_request.head.repo,
    });
    server.state.seedFromEvent(runEvent);
    const post = (path: string) =>
      runAction({
        action: "report",
        workspace: project.repo.dir,
        apiUrl: server.url,
        event: runEvent,
        eventName: "workflow_run",
        repository: full,
        sha: "0000000000000000000000000000000000000001",
        inputs: { token: server.tokens.actions, mode: "post-bundle", "bundle-path": path, summary: "true" },
      });

    // A forged bundle naming another open pull request is refused.
    const other = server.state.addPullRequest(full, { head: "other-branch", title: "Another PR" });
    const forgedPr = join(forkRun.runnerTemp, "forged-pr.json");
    writeFileSync(forgedPr, JSON.stringify({ ...bundle, pullRequest: other.number }));
    const refusedPr = await post(forgedPr);
    expect(refusedPr.code).not.toBe(0);
    expect(refusedPr.stdout).toMatch(/refusing the bundle: it names pull request #/);
    expect(server.state.issueComments(full, other.number as number)).toHaveLength(0);

    // A forged bundle naming another SHA is refused.
    const forgedSha = join(forkRun.runnerTemp, "forged-sha.json");
    const sha = "1234567890123456789012345678901234567890";
    writeFileSync(forgedSha, JSON.stringify({ ...bundle, headSha: sha, head: { ...bundle.head, sha } }));
    const refusedSha = await post(forgedSha);
    expect(refusedSha.code).not.toBe(0);
    expect(refusedSha.stdout).toMatch(/refusing the bundle: it names commit/);
    expect(ourComments(full, number)).toHaveLength(0);

    // A bundle whose gate result was tampered with is refused as a whole.
    const forgedGate = join(forkRun.runnerTemp, "forged-gate.json");
    writeFileSync(forgedGate, JSON.stringify({ ...bundle, gate: { ...bundle.gate, passed: "yes" } }));
    const refusedGate = await post(forgedGate);
    expect(refusedGate.code).not.toBe(0);
    expect(refusedGate.stdout).toMatch(/refusing the bundle: its gate result is not valid/);
    expect(ourComments(full, number)).toHaveLength(0);

    // The genuine bundle is posted, re-rendered from its data, with the gate section.
    const genuine = await post(bundlePath);
    expect(genuine.stderr).toBe("");
    expect(genuine.code).toBe(0);
    const posted = ourComments(full, number);
    expect(posted).toHaveLength(1);
    expect(String(posted[0]?.body)).toMatch(/improved/);
    expect(String(posted[0]?.body)).toMatch(/Gate passed: 1 rule/);
  });
});
