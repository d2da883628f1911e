import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { webhookExample } from "../helpers/payloads";
import { runAction } from "../helpers/run-action";
import { type GateRepo, penguinsGateRepo } from "./gate-fixture";

const DEPLOYMENTS = "/repos/{owner}/{repo}/deployments";

let server: GitHubTestServer;
let better: GateRepo;
let worse: GateRepo;

beforeAll(() => {
  better = penguinsGateRepo({ epochs: 150 });
  worse = penguinsGateRepo({ epochs: 3 });
}, 120_000);

afterAll(async () => {
  better?.repo.remove();
  worse?.repo.remove();
  await server?.close();
});

beforeEach(async () => {
  await server?.close();
  server = await startGitHubServer();
});

/** A push of the feature commit onto main, as after a merge. */
function push(p: GateRepo) {
  const event = webhookExample("push");
  event.before = p.baseSha;
  event.after = p.headSha;
  event.ref = "refs/heads/main";
  server.state.seedFromEvent(event);
  return { event, full: event.repository.full_name as string };
}

function action(
  name: "gate" | "deploy",
  p: GateRepo,
  event: unknown,
  full: string,
  inputs: Record<string, string>,
) {
  return runAction({
    action: name,
    workspace: p.repo.dir,
    apiUrl: server.url,
    event,
    eventName: "push",
    repository: full,
    sha: p.headSha,
    ref: "refs/heads/main",
    inputs: { token: server.tokens.actions, ...inputs },
  });
}

const deployInputs = (
  gateResult: string,
  command = 'echo "$MLCI_DEPLOYMENT_ID $MLCI_MODEL $MLCI_VERSION" > deployed.txt',
) => ({
  "gate-result": gateResult,
  environment: "production",
  model: "penguins-classifier",
  version: "v1.3.0",
  "environment-url": "https://models.example.com/penguins",
  command,
});

describe("deploy action (bundled, Node 24, against the test server)", () => {
  it("after a passing gate: records the deployment with in_progress then success around the command", async () => {
    const { event, full } = push(better);
    const gate = await action("gate", better, event, full, {});
    expect(gate.code).toBe(0);
    expect(gate.outputs.passed).toBe("true");

    const run = await action("deploy", better, event, full, deployInputs(gate.outputs["result-json"] ?? ""));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [d] = server.state.repo(full).deployments;
    expect(d?.json).toMatchObject({ sha: better.headSha, ref: better.headSha, environment: "production" });
    expect(d?.json.payload).toMatchObject({
      model: "penguins-classifier",
      version: "v1.3.0",
      sha: better.headSha,
      metrics_digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(server.callsTo("POST", DEPLOYMENTS)[0]?.body).toMatchObject({
      required_contexts: [],
      auto_merge: false,
    });
    expect(d?.statuses.map((s) => s.state)).toEqual(["in_progress", "success"]);
    expect(d?.statuses[1]).toMatchObject({
      environment_url: "https://models.example.com/penguins",
      log_url: `https://github.com/${full}/actions/runs/4242`,
    });
    expect(run.outputs).toMatchObject({ "deployment-id": String(d?.json.id), status: "success" });
    expect(readFileSync(join(better.repo.dir, "deployed.txt"), "utf8")).toBe(
      `${d?.json.id} penguins-classifier v1.3.0\n`,
    );
  });

  it("marks the deployment failed when the command fails, and fails the step", async () => {
    const { event, full } = push(better);
    const gate = await action("gate", better, event, full, {});
    const run = await action(
      "deploy",
      better,
      event,
      full,
      deployInputs(gate.outputs["result-json"] ?? "", "echo deploying; exit 4"),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("deploying\n");
    expect(run.stdout).toMatch(
      /::error::the deploy command exited with code 4; deployment \d+ is marked failure/,
    );
    const [d] = server.state.repo(full).deployments;
    expect(d?.statuses.map((s) => s.state)).toEqual(["in_progress", "failure"]);
    expect(run.outputs).toMatchObject({ "deployment-id": String(d?.json.id), status: "failure" });
  });

  it("refuses after a failing gate and creates no deployment", async () => {
    const { event, full } = push(worse);
    const gate = await action("gate", worse, event, full, { "fail-on-violation": "false" });
    expect(gate.outputs.passed).toBe("false");
    const run = await action("deploy", worse, event, full, deployInputs(gate.outputs["result-json"] ?? ""));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::the gate failed, so the deployment may not start: /);
    expect(run.outputs).toMatchObject({ "deployment-id": "", status: "refused" });
    expect(server.callsTo("POST", DEPLOYMENTS)).toHaveLength(0);
    expect(server.state.repo(full).deployments).toHaveLength(0);
  });

  it.each([
    ["missing", "", /no gate result was given/],
    ["malformed", '{"version": 1, "passed": true', /not JSON/],
    ["a file that is not there", "gate-result.json", /does not exist/],
  ])("refuses a %s gate result and creates no deployment", async (_name, gateResult, message) => {
    const { event, full } = push(better);
    const run = await action(
      "deploy",
      better,
      event,
      full,
      deployInputs(gateResult, "touch should-not-exist"),
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(message);
    expect(run.outputs.status).toBe("refused");
    expect(server.calls.filter((c) => c.method !== "GET")).toHaveLength(0);
    expect(server.state.repo(full).deployments).toHaveLength(0);
  });

  it("refuses a passing result for another commit", async () => {
    const { event, full } = push(better);
    const gate = await action("gate", better, event, full, {});
    const run = await action("deploy", better, event, full, {
      ...deployInputs(gate.outputs["result-json"] ?? ""),
      sha: better.baseSha,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`the gate result is for ${better.headSha}, not ${better.baseSha}`));
    expect(server.state.repo(full).deployments).toHaveLength(0);
  });
});
