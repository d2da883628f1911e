import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { gitEnv, TempRepo } from "../helpers/git-repo";
import { pullRequestEvent } from "../helpers/payloads";
import { makePenguinsRepo, type PenguinsRepo } from "../helpers/penguins-repo";
import { runAction } from "../helpers/run-action";

const cli = join(import.meta.dirname, "..", "..", "packages", "cli", "dist", "mlci.js");

function mlci(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, env: gitEnv(), encoding: "utf8" });
  return { code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
}

let project: PenguinsRepo;
let server: GitHubTestServer;

beforeAll(async () => {
  project = makePenguinsRepo();
  server = await startGitHubServer();
}, 120_000);

afterAll(async () => {
  project?.repo.remove();
  await server?.close();
});

describe("mlci report (bundled CLI)", () => {
  it("gives the same numbers as the report action on a dvc.yaml project", async () => {
    const local = mlci(project.repo.dir, "report", "--base", "main", "--json");
    expect(local.stderr).toBe("");
    expect(local.code).toBe(0);
    const cliDiff = JSON.parse(local.stdout).diff;
    expect(cliDiff.metrics.length).toBeGreaterThan(5);
    expect(cliDiff.metrics.map((m: { key: string }) => m.key)).toContain("eval.accuracy");

    const event = pullRequestEvent({ baseSha: project.baseSha, headSha: project.headSha });
    server.state.seedFromEvent(event);
    const run = await runAction({
      action: "report",
      workspace: project.repo.dir,
      apiUrl: server.url,
      event,
      repository: event.repository.full_name,
      sha: project.headSha,
      inputs: { token: server.tokens.actions },
    });
    expect(run.code).toBe(0);
    const actionDiff = JSON.parse(run.outputs["diff-json"] ?? "{}");
    expect(actionDiff.counts).toEqual(cliDiff.counts);
    expect(actionDiff.metrics).toEqual(cliDiff.metrics);
    expect(actionDiff.params).toEqual(cliDiff.params);
  });

  it("prints markdown with the verdict, and renders hostile names and values as plain text", () => {
    const repo = new TempRepo();
    try {
      repo.commit("base", {
        "dvc.yaml": "metrics:\n  - metrics.json\nparams:\n  - params.yaml\n",
        "metrics.json": JSON.stringify({ "<img src=x onerror=alert(1)>": 0.5, acc: 0.9 }),
        "params.yaml": "note: hello\n",
      });
      repo.write({
        "metrics.json": JSON.stringify({ "<img src=x onerror=alert(1)>": 0.7, acc: 0.8 }),
        "params.yaml": "note: '@everyone [x](http://evil)'\n",
      });
      const out = mlci(repo.dir, "report", "--base", "main");
      expect(out.code).toBe(0);
      expect(out.stdout).toContain("<!-- mlci:report:mlci -->");
      expect(out.stdout).toMatch(/1 improved, \*\*1 regressed\*\*/);
      // The metric name is shown in a code span, where GitHub renders HTML as text.
      expect(out.stdout).toContain("| `<img src=x onerror=alert(1)>` |");
      const outsideCode = out.stdout.replace(/`[^`\n]*`/g, "");
      expect(outsideCode).not.toContain("<img");
      // The mention and the autolink are broken by an invisible word joiner; the link's brackets are escaped.
      expect(out.stdout).not.toMatch(/@everyone/);
      expect(out.stdout).toContain("@\u2060everyone \\[x\\](http:\u2060//evil)");
    } finally {
      repo.remove();
    }
  });

  it("explains a missing base revision without a stack trace and exits 3", () => {
    const repo = new TempRepo();
    try {
      repo.commit("only", { "metrics.json": "{}" });
      const out = mlci(repo.dir, "report", "--base", "does-not-exist");
      expect(out.code).toBe(3);
      expect(out.stderr).toMatch(/base branch "does-not-exist" not found/);
      expect(out.stderr).toMatch(/fetch-depth: 0/);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    } finally {
      repo.remove();
    }
  });

  it("lists commands with examples and documents exit codes", () => {
    const out = mlci(process.cwd(), "--help");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/report\s+Diff metrics/);
    expect(out.stdout).toMatch(/mlci report --base main/);
    expect(out.stdout).toMatch(/Exit codes: 0 ok/);
    const bad = mlci(process.cwd(), "reprot");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "reprot"/);
  });

  it("runs through npx from the repository root", () => {
    const out = execFileSync("npx", ["--no-install", "mlci", "--version"], { encoding: "utf8" });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
