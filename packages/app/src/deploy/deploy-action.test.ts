import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateGate, parsePolicy, serializeGateResult } from "@mlci/gate";
import { createOctokit, parseEventContext } from "@mlci/github";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../../test/github-server";
import { webhookExample } from "../../../../test/helpers/payloads";
import { type DeployActionInputs, runDeployAction } from "./deploy-action";
import { metricsDigest } from "./metrics-digest";
import type { CommandRunner } from "./run-command";

const DEPLOYMENTS = "/repos/{owner}/{repo}/deployments";
const STATUSES = "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses";
const SHA = "1234567890abcdef1234567890abcdef12345678";
const policy = parsePolicy("version: 1\nrules:\n  - metric: eval.acc\n    min: 0.9\n", ".mlci/gates.yml");
const gateJson = (acc: number, sha = SHA) =>
  serializeGateResult(evaluateGate(policy, { head: { "eval.acc": acc }, directionOf: () => "higher", sha }));

let server: GitHubTestServer;
let full: string;
beforeEach(async () => {
  server = await startGitHubServer();
});
afterEach(async () => server.close());

function pushEvent() {
  const event = webhookExample("push");
  event.after = SHA;
  event.before = "0000000000000000000000000000000000000000";
  event.ref = "refs/heads/main";
  server.state.seedFromEvent(event);
  full = event.repository.full_name as string;
  return event;
}

async function deploy(over: Partial<DeployActionInputs>, runCommand?: CommandRunner) {
  const event = pushEvent();
  const calls: Array<{ command: string; env: NodeJS.ProcessEnv }> = [];
  const runner: CommandRunner =
    runCommand ??
    (async (command, o) => {
      calls.push({ command, env: o.env });
      return { code: 0, signal: null };
    });
  const outcome = await runDeployAction({
    inputs: {
      gateResult: gateJson(0.95),
      environment: "production",
      model: "penguins-classifier",
      version: "v1.2.0",
      command: "./deploy.sh",
      environmentUrl: "https://models.example.com/penguins",
      sha: "",
      description: "",
      transientEnvironment: false,
      productionEnvironment: undefined,
      workingDirectory: ".",
      ...over,
    },
    ctx: parseEventContext({
      env: { GITHUB_REPOSITORY: full, GITHUB_EVENT_NAME: "push", GITHUB_RUN_ID: "99" },
      payload: event,
    }),
    octokit: createOctokit({ token: server.tokens.actions, baseUrl: server.url, log: { warn: () => {} } }),
    workspace: tmpdir(),
    env: { PATH: "/usr/bin" },
    runCommand: runner,
    log: { info: () => {}, warning: () => {}, error: () => {} },
  });
  return { outcome, calls, deployments: server.state.repo(full).deployments };
}

describe("runDeployAction", () => {
  it("records the deployment around the command: in_progress, then success", async () => {
    const { outcome, calls, deployments } = await deploy({});
    expect(outcome).toEqual({ status: "success", deploymentId: deployments[0]?.json.id });
    expect(deployments).toHaveLength(1);
    const d = deployments[0];
    expect(d?.json).toMatchObject({ sha: SHA, ref: SHA, environment: "production" });
    expect(d?.json.payload).toMatchObject({
      model: "penguins-classifier",
      version: "v1.2.0",
      sha: SHA,
      metrics_digest: metricsDigest(JSON.parse(gateJson(0.95))),
      gate: { passed: true },
    });
    expect(server.callsTo("POST", DEPLOYMENTS)[0]?.body).toMatchObject({
      required_contexts: [],
      auto_merge: false,
    });
    expect(d?.statuses.map((s) => s.state)).toEqual(["in_progress", "success"]);
    expect(d?.statuses[1]).toMatchObject({
      environment_url: "https://models.example.com/penguins",
      log_url: `https://github.com/${full}/actions/runs/99`,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.env).toMatchObject({
      PATH: "/usr/bin",
      MLCI_DEPLOYMENT_ID: String(d?.json.id),
      MLCI_MODEL: "penguins-classifier",
      MLCI_VERSION: "v1.2.0",
      MLCI_ENVIRONMENT: "production",
      MLCI_SHA: SHA,
    });
  });

  it("marks the deployment failed when the command fails", async () => {
    const { outcome, deployments } = await deploy({}, async () => ({ code: 3, signal: null }));
    expect(outcome).toMatchObject({ status: "failure", failure: { code: "FAILED" } });
    expect(outcome.failure?.message).toMatch(/exited with code 3/);
    expect(deployments[0]?.statuses.map((s) => s.state)).toEqual(["in_progress", "failure"]);
  });

  it.each([
    ["a failing gate", gateJson(0.5), /the gate failed, so the deployment may not start/],
    ["no gate result", "", /no gate result was given/],
    ["a malformed gate result", '{"version":1,"passed":true}', /malformed/],
    ["a result for another commit", gateJson(0.95, "f".repeat(40)), /is for f{40}, not 1234567/],
    ["a missing result file", "/nonexistent/gate-result.json", /does not exist/],
  ])("refuses %s and creates no deployment", async (_name, gateResult, message) => {
    let ran = false;
    const { outcome, deployments } = await deploy({ gateResult }, async () => {
      ran = true;
      return { code: 0, signal: null };
    });
    expect(outcome.status).toBe("refused");
    expect(outcome.failure?.message).toMatch(message);
    expect(ran).toBe(false);
    expect(deployments).toHaveLength(0);
    expect(server.calls.filter((c) => c.method !== "GET")).toHaveLength(0);
  });

  it("reads the gate result from a file", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mlci-deploy-")), "gate-result.json");
    writeFileSync(path, `${gateJson(0.95)}\n`);
    const { outcome } = await deploy({ gateResult: path });
    expect(outcome.status).toBe("success");
  });

  it("does not run the command when the start cannot be recorded", async () => {
    server.fault({ method: "POST", route: STATUSES, times: 1, effect: { kind: "status", status: 403 } });
    let ran = false;
    const { outcome, deployments } = await deploy({}, async () => {
      ran = true;
      return { code: 0, signal: null };
    });
    expect(ran).toBe(false);
    expect(outcome).toMatchObject({ status: "failure", failure: { code: "API" } });
    expect(deployments[0]?.statuses.map((s) => s.state)).toEqual(["failure"]);
  });
});
