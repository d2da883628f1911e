import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Git } from "@mlci/git";
import { createOctokit, parseEventContext } from "@mlci/github";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../../test/github-server";
import { TempRepo } from "../../../../test/helpers/git-repo";
import { pullRequestEvent } from "../../../../test/helpers/payloads";
import { type GateActionInputs, runGateAction } from "./gate-action";

const CHECK_RUNS = "/repos/{owner}/{repo}/check-runs";
const POLICY = `version: 1
rules:
  - id: accuracy
    metric: eval.acc
    min: 0.8
    max_drop: 0.02
  - id: latency
    metric: eval.latency_ms
    max: 50
    severity: warn
`;

let repo: TempRepo;
let baseSha: string;
let headSha: string;
let server: GitHubTestServer;

beforeAll(() => {
  repo = new TempRepo("mlci-gate-action-");
  baseSha = repo.commit("base", {
    "dvc.yaml": "metrics:\n  - metrics.json\n",
    "metrics.json": JSON.stringify({ eval: { acc: 0.9, latency_ms: 40 } }),
    ".mlci/gates.yml": POLICY,
  });
  repo.git("checkout", "-q", "-b", "feature");
  headSha = repo.commit("head");
});
afterAll(() => repo.remove());
beforeEach(async () => {
  server = await startGitHubServer();
});
afterEach(async () => server.close());

function inputs(over: Partial<GateActionInputs> = {}): GateActionInputs {
  return {
    policyPath: ".mlci/gates.yml",
    policy: "",
    policyFrom: "base",
    bootstrap: false,
    base: "",
    head: "workspace",
    metrics: [],
    baseline: "",
    workingDirectory: ".",
    failOnViolation: true,
    checkRun: "mlci / gate",
    resultPath: "",
    summary: true,
    ...over,
  };
}

async function run(o: { acc: number; latency?: number; token?: string; over?: Partial<GateActionInputs> }) {
  writeFileSync(
    join(repo.dir, "metrics.json"),
    JSON.stringify({ eval: { acc: o.acc, latency_ms: o.latency ?? 40 } }),
  );
  const event = pullRequestEvent({ baseSha, headSha });
  server.state.seedFromEvent(event);
  const ctx = parseEventContext({
    env: {
      GITHUB_REPOSITORY: event.repository.full_name,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_RUN_ID: "7",
    },
    payload: event,
  });
  const token = o.token ?? server.tokens.actions;
  const runnerTemp = mkdtempSync(join(tmpdir(), "mlci-gate-temp-"));
  let summary = "";
  const logs: string[] = [];
  const outcome = await runGateAction({
    inputs: inputs(o.over),
    ctx,
    octokit: createOctokit({ token, baseUrl: server.url, log: { warn: () => {} } }),
    gitFor: (dir) => new Git(dir),
    workspace: repo.dir,
    runnerTemp,
    appendSummary: async (m) => {
      summary += m;
    },
    log: {
      info: (m) => logs.push(`info ${m}`),
      warning: (m) => logs.push(`warning ${m}`),
      error: (m) => logs.push(`error ${m}`),
    },
  });
  const runs = server.state.repo(event.repository.full_name).checkRuns.map((r) => r.json);
  return { outcome, summary, logs, runs, runnerTemp };
}

describe("runGateAction", () => {
  it("passes: success check run on the PR head, summary, outputs and the result file", async () => {
    const { outcome, summary, runs } = await run({ acc: 0.91 });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.outputs.passed).toBe("true");
    expect(JSON.parse(outcome.outputs.resultJson)).toMatchObject({ version: 1, passed: true, sha: headSha });
    expect(readFileSync(outcome.outputs.resultPath, "utf8").trim()).toBe(outcome.outputs.resultJson);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "mlci / gate", head_sha: headSha, conclusion: "success" });
    expect(runs[0]?.output.title).toBe("Gate passed: 2 rules");
    expect(runs[0]?.output.summary).toContain("| accuracy | metrics.json:eval.acc | 0.91 | 0.9 |");
    expect(summary).toMatch(/^## mlci gate\n\n✅ \*\*Gate passed: 2 rules\*\*/);
    expect(outcome.outputs.checkRunUrl).toBe(runs[0]?.html_url);
  });

  it("passes with a warning: neutral check run, warning rows in the output", async () => {
    const { outcome, runs, logs } = await run({ acc: 0.9, latency: 80 });
    expect(outcome.failure).toBeUndefined();
    expect(runs[0]?.conclusion).toBe("neutral");
    expect(JSON.parse(outcome.outputs.warnings)).toEqual([
      expect.objectContaining({ id: "latency", metric: "eval.latency_ms" }),
    ]);
    expect(logs).toContainEqual(
      expect.stringMatching(/^warning latency: .*eval\.latency_ms 80 is above the maximum 50/),
    );
  });

  it("fails: failure check run, failed rules, a FAILED error; with fail-on-violation off the step passes", async () => {
    const failing = await run({ acc: 0.85 });
    expect(failing.outcome.outputs.passed).toBe("false");
    expect(failing.runs[0]?.conclusion).toBe("failure");
    expect(JSON.parse(failing.outcome.outputs.failedRules)).toEqual([
      expect.objectContaining({ id: "accuracy" }),
    ]);
    expect(failing.outcome.failure).toMatchObject({ code: "FAILED", message: "Gate failed: 1 of 2 rules" });
    const lenient = await run({ acc: 0.85, over: { failOnViolation: false } });
    expect(lenient.outcome.failure).toBeUndefined();
    expect(lenient.outcome.outputs.passed).toBe("false");
    expect(lenient.logs).toContainEqual(expect.stringMatching(/fail-on-violation is off/));
  });

  it("an API error on the check run never turns a failing gate into a pass", async () => {
    server.fault({ method: "POST", route: CHECK_RUNS, effect: { kind: "status", status: 403 } });
    const { outcome, runs } = await run({ acc: 0.85, over: { failOnViolation: false } });
    expect(runs).toHaveLength(0);
    expect(outcome.outputs.passed).toBe("false");
    expect(outcome.failure?.message).toMatch(
      /Could not create the check run "mlci \/ gate": GitHub answered 403/,
    );
  });

  it("an API error on a passing gate fails the step, with passed still true", async () => {
    server.fault({
      method: "POST",
      route: CHECK_RUNS,
      effect: { kind: "status", status: 422, message: "nope" },
    });
    const { outcome } = await run({ acc: 0.95 });
    expect(outcome.outputs.passed).toBe("true");
    expect(outcome.failure).toMatchObject({ code: "API" });
  });

  it("a fork's read-only token: no check run, a warning, and the violation still fails", async () => {
    const { outcome, runs, logs, summary } = await run({ acc: 0.5, token: server.tokens.readOnly });
    expect(runs).toHaveLength(0);
    expect(logs).toContainEqual(expect.stringMatching(/^warning the token cannot create check runs/));
    expect(summary).toContain("Gate failed");
    expect(outcome.failure).toMatchObject({ code: "FAILED" });
  });

  it("an unreadable policy: failing check run, passed false, no stale result file", async () => {
    const resultPath = join(mkdtempSync(join(tmpdir(), "mlci-stale-")), "gate-result.json");
    writeFileSync(resultPath, '{"passed": true}');
    const { outcome, runs, summary } = await run({
      acc: 0.95,
      over: { policy: "version: 1\nrules: 3\n", resultPath },
    });
    expect(outcome.outputs.passed).toBe("false");
    expect(outcome.failure).toMatchObject({ code: "CONFIG" });
    expect(existsSync(resultPath)).toBe(false);
    expect(runs[0]).toMatchObject({
      conclusion: "failure",
      output: { title: "The gate could not be evaluated" },
    });
    expect(summary).toContain("The gate could not be evaluated");
  });
});
