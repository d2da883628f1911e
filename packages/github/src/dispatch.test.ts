import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../../../test/github-server";
import { createOctokit, type GitHubClient } from "./client";
import { dispatchWorkflow } from "./dispatch";
import { createRef } from "./refs";

const REPO = "octo-org/models";
const DISPATCHES = "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
const o = { owner: "octo-org", repo: "models" };
let server: GitHubTestServer;
let octokit: GitHubClient;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO, { workflows: ["deploy.yml"] });
  octokit = createOctokit({ token: server.tokens.actions, baseUrl: server.url, log: { warn: () => {} } });
});

afterEach(async () => {
  await server.close();
});

describe("dispatchWorkflow", () => {
  it("starts a workflow_dispatch run on a tag with string inputs", async () => {
    const main = server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
    await createRef(octokit, { ...o, ref: "refs/tags/model#prod#1", sha: main });
    const inputs = { artifact: "model", version: "v1.0.0", stage: "prod", tag: "model#prod#1" };
    await dispatchWorkflow(octokit, { ...o, workflow: "deploy.yml", ref: "refs/tags/model#prod#1", inputs });
    expect(server.state.repo(REPO).dispatches).toEqual([
      expect.objectContaining({
        kind: "workflow",
        workflowId: "deploy.yml",
        ref: "refs/tags/model#prod#1",
        inputs,
      }),
    ]);
  });

  it("is not retried on a 5xx (a second dispatch would deploy twice) and says what failed", async () => {
    server.fault({ method: "POST", route: DISPATCHES, times: 1, effect: { kind: "apply-then-502" } });
    await expect(
      dispatchWorkflow(octokit, { ...o, workflow: "deploy.yml", ref: "main", inputs: {} }),
    ).rejects.toThrow(/Could not dispatch workflow deploy\.yml on main: GitHub answered 502/);
    expect(server.callsTo("POST", DISPATCHES)).toHaveLength(1);
    await expect(
      dispatchWorkflow(octokit, { ...o, workflow: "missing.yml", ref: "main", inputs: {} }),
    ).rejects.toThrow(/404/);
  });
});
