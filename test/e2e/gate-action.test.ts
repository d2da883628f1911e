import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { pullRequestEvent } from "../helpers/payloads";
import { runAction } from "../helpers/run-action";
import { type GateRepo, LOOSENED_POLICY, penguinsGateRepo } from "./gate-fixture";

const CHECK_RUNS = "/repos/{owner}/{repo}/check-runs";
const REPORT_MARKER = "<!-- mlci:report:mlci -->";

let server: GitHubTestServer;
let better: GateRepo;
let worse: GateRepo;
let loosening: GateRepo;

beforeAll(() => {
  better = penguinsGateRepo({ epochs: 150 });
  worse = penguinsGateRepo({ epochs: 3 });
  loosening = penguinsGateRepo({ epochs: 3, headPolicy: LOOSENED_POLICY });
}, 120_000);

afterAll(async () => {
  for (const p of [better, worse, loosening]) p?.repo.remove();
  await server?.close();
});

beforeEach(async () => {
  await server?.close();
  server = await startGitHubServer();
});

function pr(p: GateRepo) {
  const event = pullRequestEvent({ baseSha: p.baseSha, headSha: p.headSha });
  server.state.seedFromEvent(event);
  return { event, full: event.repository.full_name as string, number: event.number as number };
}

function gate(p: GateRepo, event: unknown, full: string, inputs: Record<string, string> = {}) {
  return runAction({
    action: "gate",
    workspace: p.repo.dir,
    apiUrl: server.url,
    event,
    repository: full,
    sha: p.headSha,
    inputs: { token: server.tokens.actions, ...inputs },
  });
}

const checkRuns = (full: string) => server.state.repo(full).checkRuns.map((r) => r.json);

describe("gate action (bundled, Node 24, against the test server)", () => {
  it("a better model passes: success check run, summary, outputs, exit 0", async () => {
    const { event, full } = pr(better);
    const run = await gate(better, event, full);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs.passed).toBe("true");
    expect(JSON.parse(run.outputs["failed-rules"] ?? "")).toEqual([]);
    const result = JSON.parse(run.outputs["result-json"] ?? "");
    expect(result).toMatchObject({ version: 1, passed: true, sha: better.headSha });
    expect(result.policy).toEqual({
      source: "base",
      path: ".mlci/gates.yml",
      rev: better.baseSha,
      changed: false,
    });
    expect(readFileSync(run.outputs["result-path"] ?? "", "utf8").trim()).toBe(run.outputs["result-json"]);
    const [check] = checkRuns(full);
    expect(check).toMatchObject({ name: "mlci / gate", head_sha: better.headSha, conclusion: "success" });
    expect(check?.output.title).toBe("Gate passed: 3 rules");
    expect(run.outputs["check-run-url"]).toBe(check?.html_url);
    expect(run.summary).toMatch(/## mlci gate\n\n✅ \*\*Gate passed: 3 rules\*\*/);
    expect(run.summary).toContain("| accuracy | metrics.json:eval.accuracy | 1 | 0.985075 |");
  });

  it("a worse model fails: failure check run, summary, outputs, exit 1", async () => {
    const { event, full } = pr(worse);
    const run = await gate(worse, event, full);
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe("false");
    const failed = JSON.parse(run.outputs["failed-rules"] ?? "") as Array<{ id: string; reason: string }>;
    expect(failed.map((f) => f.id)).toEqual(expect.arrayContaining(["accuracy", "log-loss"]));
    expect(failed.find((f) => f.id === "accuracy")?.reason).toMatch(
      /eval\.accuracy .*below the minimum 0\.95/,
    );
    expect(run.commands).toContainEqual(expect.stringMatching(/^::error::accuracy: /));
    expect(run.stdout).toMatch(/::error::Gate failed: \d of 3 rules/);
    const [check] = checkRuns(full);
    expect(check).toMatchObject({ head_sha: worse.headSha, conclusion: "failure" });
    expect(check?.output.summary).toContain("❌ fail");
    expect(run.summary).toContain("❌ **Gate failed:");
  });

  it("an inline policy with a warning gives a neutral check run", async () => {
    const { event, full } = pr(better);
    const policy = "version: 1\nrules:\n  - metric: train.accuracy\n    min: 0.99\n    severity: warn\n";
    const run = await gate(better, event, full, { policy });
    expect(run.code).toBe(0);
    expect(checkRuns(full)[0]?.conclusion).toBe("neutral");
    expect(JSON.parse(run.outputs.warnings ?? "")).toHaveLength(1);
    expect(JSON.parse(run.outputs["result-json"] ?? "").policy).toEqual({ source: "inline" });
  });

  it.each([500, 403] as const)(
    "an API error %i while creating the check run does not turn a failing gate into a pass",
    async (status) => {
      const { event, full } = pr(worse);
      server.fault({ method: "POST", route: CHECK_RUNS, effect: { kind: "status", status } });
      const run = await gate(worse, event, full, { "fail-on-violation": "false" });
      expect(run.code).not.toBe(0);
      expect(run.outputs.passed).toBe("false");
      expect(run.stdout).toMatch(
        new RegExp(`::error::.*GitHub answered ${status} to POST /repos/.*/check-runs`),
      );
      expect(checkRuns(full).filter((c) => c.conclusion === "success")).toHaveLength(0);
      expect(run.summary).toContain("Gate failed");
    },
  );

  it("a fork's read-only token: no check run, summary and outputs written, the violation fails", async () => {
    const event = pullRequestEvent({ baseSha: worse.baseSha, headSha: worse.headSha, forkRepo: "forker/ml" });
    server.state.seedFromEvent(event);
    const full = event.repository.full_name as string;
    const run = await runAction({
      action: "gate",
      workspace: worse.repo.dir,
      apiUrl: server.url,
      event,
      repository: full,
      inputs: { token: server.tokens.readOnly },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe("false");
    expect(run.stdout).toMatch(/::warning::the token cannot create check runs/);
    expect(checkRuns(full)).toHaveLength(0);
    expect(run.summary).toContain("Gate failed");
  });

  it("a pull request that loosens the policy is judged by the base's, and the summary and report say so", async () => {
    const { event, full, number } = pr(loosening);
    const run = await gate(loosening, event, full, { "fail-on-violation": "false" });
    expect(run.code).toBe(0);
    expect(run.outputs.passed).toBe("false");
    const result = JSON.parse(run.outputs["result-json"] ?? "");
    expect(result.policy).toEqual({
      source: "base",
      path: ".mlci/gates.yml",
      rev: loosening.baseSha,
      changed: true,
    });
    expect(run.summary).toMatch(
      /This pull request changes .*gates\.yml; the gate applied the base revision's policy/,
    );
    expect(run.summary).toContain('+    max_drop: "50%"');
    expect(checkRuns(full)[0]?.conclusion).toBe("failure");
    expect(checkRuns(full)[0]?.output.summary).toContain("the pull request changes it");

    const report = await runAction({
      action: "report",
      workspace: loosening.repo.dir,
      apiUrl: server.url,
      event,
      repository: full,
      inputs: { token: server.tokens.actions, "gate-result": run.outputs["result-path"] ?? "" },
    });
    expect(report.stderr).toBe("");
    expect(report.code).toBe(0);
    const comments = server.state
      .issueComments(full, number)
      .filter((c) => String(c.body).includes(REPORT_MARKER));
    expect(comments).toHaveLength(1);
    const body = String(comments[0]?.body);
    expect(body).toContain("### Gate");
    expect(body).toMatch(/❌ \*\*Gate failed: \d of 3 rules\*\*/);
    expect(body).toContain("from the base revision (`");
    expect(body).toContain("; the pull request changes it.");
    expect(report.summary).toContain("the pull request changes it");
  });

  it("the report fails closed on a missing gate result: it says so and the step fails", async () => {
    const { event, full, number } = pr(better);
    const report = await runAction({
      action: "report",
      workspace: better.repo.dir,
      apiUrl: server.url,
      event,
      repository: full,
      inputs: { token: server.tokens.actions, "gate-result": "/nonexistent/gate-result.json" },
    });
    expect(report.code).not.toBe(0);
    expect(report.stdout).toMatch(
      /::error::.*the gate result is unavailable: \/nonexistent\/gate-result\.json does not exist/,
    );
    const body = String(server.state.issueComments(full, number)[0]?.body);
    expect(body).toContain("The gate result is unavailable");
    expect(body).not.toContain("Gate passed");
  });
});
