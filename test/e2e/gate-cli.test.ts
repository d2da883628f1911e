import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { gitEnv } from "../helpers/git-repo";
import { pullRequestEvent } from "../helpers/payloads";
import { runAction } from "../helpers/run-action";
import { type GateRepo, LOOSENED_POLICY, penguinsGateRepo } from "./gate-fixture";

const cli = join(import.meta.dirname, "..", "..", "packages", "cli", "dist", "mlci.js");

function mlci(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, env: gitEnv(), encoding: "utf8" });
  return { code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
}

let server: GitHubTestServer;
let better: GateRepo;
let worse: GateRepo;

beforeAll(async () => {
  better = penguinsGateRepo({ epochs: 150 });
  worse = penguinsGateRepo({ epochs: 3, headPolicy: LOOSENED_POLICY });
}, 120_000);

afterAll(async () => {
  better?.repo.remove();
  worse?.repo.remove();
  await server?.close();
});

async function actionResult(p: GateRepo) {
  // A fresh server: the test server keeps the first pull request #7 it was told about.
  await server?.close();
  server = await startGitHubServer();
  const event = pullRequestEvent({ baseSha: p.baseSha, headSha: p.headSha });
  server.state.seedFromEvent(event);
  const run = await runAction({
    action: "gate",
    workspace: p.repo.dir,
    apiUrl: server.url,
    event,
    repository: event.repository.full_name,
    inputs: { token: server.tokens.actions, "fail-on-violation": "false" },
  });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(run.outputs["result-json"] ?? "");
}

describe("mlci gate (bundled CLI) on the penguins example", () => {
  it.each([
    ["passes", () => better, 0],
    ["fails, with the base's policy although the branch loosens it", () => worse, 1],
  ] as const)("%s, with the same verdict as the gate action", async (_name, project, exitCode) => {
    const p = project();
    const json = mlci(p.repo.dir, "gate", "--base", "main", "--json");
    expect(json.stderr).toBe("");
    expect(json.code).toBe(exitCode);
    expect(JSON.parse(json.stdout)).toEqual(await actionResult(p));
  });

  it("prints the verdict table as plain text, and the policy change", () => {
    const out = mlci(worse.repo.dir, "gate", "--base", "main");
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^Gate failed: \d of 3 rules\n/);
    expect(out.stdout).toMatch(/\nRULE +METRIC +VALUE +BASELINE +THRESHOLD +VERDICT +REASON\n/);
    expect(out.stdout).toMatch(
      /\naccuracy +metrics\.json:eval\.accuracy +0\.880597 +0\.985075 +min 0\.95, max_drop 1% +FAIL +/,
    );
    expect(out.stdout).toContain(
      "This pull request changes .mlci/gates.yml; the gate applied the base revision's policy",
    );
    expect(out.stdout).not.toContain("\u001b");
  });

  it("applies a policy file given with --policy, and reports a bad one with its file and line", () => {
    const loose = mlci(worse.repo.dir, "gate", "--base", "main", "--policy", ".mlci/gates.yml");
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/^Gate passed: 3 rules/);
    const bad = mlci(worse.repo.dir, "gate", "--base", "main", "--policy", "params.yaml");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mlci: params\.yaml:1 \(key `version`\): 3 problems:\n/);
    expect(bad.stderr).toContain('Unrecognized keys: "split", "train"');
  });
});
