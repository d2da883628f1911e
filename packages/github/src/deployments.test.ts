import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { createOctokit, type GitHubClient } from "./client";
import { createDeployment, createDeploymentStatus, DEPLOYMENT_REQUEST_ID_KEY } from "./deployments";

const REPO = "octo-org/models";
const DEPLOYMENTS = "/repos/{owner}/{repo}/deployments";
const STATUSES = "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses";
let server: GitHubTestServer;
let octokit: GitHubClient;
let sha: string;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  sha = server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
  octokit = createOctokit({ token: server.tokens.actions, baseUrl: server.url, log: { warn: () => {} } });
});

afterEach(async () => {
  await server.close();
});

const base = { owner: "octo-org", repo: "models" };

describe("createDeployment", () => {
  it("records the commit, environment and payload, with no required contexts and no auto-merge", async () => {
    const d = await createDeployment(octokit, {
      ...base,
      ref: sha,
      environment: "staging",
      payload: { model: "clf", version: "v1.0.0" },
      description: "x".repeat(200),
      transientEnvironment: true,
      productionEnvironment: false,
    });
    expect(d.sha).toBe(sha);
    const [call] = server.callsTo("POST", DEPLOYMENTS);
    expect(call?.body).toMatchObject({
      ref: sha,
      environment: "staging",
      required_contexts: [],
      auto_merge: false,
      transient_environment: true,
      production_environment: false,
      payload: { model: "clf", version: "v1.0.0" },
    });
    expect(String((call?.body as { description?: string } | undefined)?.description)).toHaveLength(140);
    const stored = server.state.repo(REPO).deployments;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.json.id).toBe(d.id);
  });

  it("is not blocked by a failing check of the same commit (required_contexts: [])", async () => {
    server.state.repo(REPO).checkRuns.push({
      json: { id: 1, head_sha: sha, name: "deploy", status: "in_progress", conclusion: null },
      annotations: [],
    });
    await expect(
      createDeployment(octokit, { ...base, ref: sha, environment: "production", payload: {} }),
    ).resolves.toMatchObject({ sha });
  });

  it("creates exactly one deployment when GitHub stores the first try but answers 502", async () => {
    server.fault({ method: "POST", route: DEPLOYMENTS, times: 1, effect: { kind: "apply-then-502" } });
    const d = await createDeployment(octokit, {
      ...base,
      ref: sha,
      environment: "production",
      payload: {},
      retryDelayMs: 1,
    });
    const stored = server.state.repo(REPO).deployments;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.json.id).toBe(d.id);
    expect(stored[0]?.json.payload[DEPLOYMENT_REQUEST_ID_KEY]).toMatch(/^mlci-/);
  });

  it("retries a create that GitHub did not store", async () => {
    server.fault({ method: "POST", route: DEPLOYMENTS, times: 1, effect: { kind: "status", status: 500 } });
    await createDeployment(octokit, {
      ...base,
      ref: sha,
      environment: "production",
      payload: {},
      retryDelayMs: 1,
    });
    expect(server.state.repo(REPO).deployments).toHaveLength(1);
    expect(server.callsTo("POST", DEPLOYMENTS)).toHaveLength(2);
  });

  it("says what it was doing when GitHub refuses", async () => {
    await expect(
      createDeployment(octokit, { ...base, ref: "no-such-ref", environment: "production", payload: {} }),
    ).rejects.toThrow(/Could not create a deployment of no-such-ref to production: GitHub answered 422/);
  });
});

describe("createDeploymentStatus", () => {
  it("adds in_progress then success with the environment and log URLs", async () => {
    const d = await createDeployment(octokit, { ...base, ref: sha, environment: "production", payload: {} });
    await createDeploymentStatus(octokit, {
      ...base,
      deploymentId: d.id,
      state: "in_progress",
      logUrl: "https://github.com/octo-org/models/actions/runs/1",
    });
    await createDeploymentStatus(octokit, {
      ...base,
      deploymentId: d.id,
      state: "success",
      environmentUrl: "https://models.example.com",
      logUrl: "https://github.com/octo-org/models/actions/runs/1",
    });
    const statuses = server.state.repo(REPO).deployments[0]?.statuses ?? [];
    expect(statuses.map((s) => s.state)).toEqual(["in_progress", "success"]);
    expect(statuses[1]).toMatchObject({
      environment_url: "https://models.example.com",
      log_url: "https://github.com/octo-org/models/actions/runs/1",
    });
  });

  it("does not add a status twice when GitHub stores it but answers 502", async () => {
    const d = await createDeployment(octokit, { ...base, ref: sha, environment: "production", payload: {} });
    server.fault({ method: "POST", route: STATUSES, times: 1, effect: { kind: "apply-then-502" } });
    await createDeploymentStatus(octokit, {
      ...base,
      deploymentId: d.id,
      state: "failure",
      description: "the deploy command failed",
      retryDelayMs: 1,
    });
    expect(server.state.repo(REPO).deployments[0]?.statuses.map((s) => s.state)).toEqual(["failure"]);
  });
});
