// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dvc.yaml templating, not JS
/**
 * `mlci doctor` (the bundled CLI) on real temporary repositories: a fake nvidia-smi on PATH for
 * the GPU line, a shallow clone for the history line, broken config files, and the GitHub test
 * server for the token line.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok } from "../github-server/http";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { repoOf } from "../github-server/routes/context";
import { gitEnv, TempRepo } from "../helpers/git-repo";

const cli = join(import.meta.dirname, "..", "..", "packages", "cli", "dist", "mlci.js");
const FULL = "octo-org/models";
const cleanup: Array<() => void> = [];
let server: GitHubTestServer;

beforeAll(async () => {
  server = await startGitHubServer();
  server.state.addRepo(FULL, { private: true });
});
afterAll(async () => {
  await server.close();
  for (const f of cleanup) f();
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A bin folder with a fake nvidia-smi: one H100, and utilisation lines while it streams. */
function fakeGpuBin(): string {
  const bin = temp("mlci-fake-gpu-");
  writeFileSync(
    join(bin, "nvidia-smi"),
    [
      "#!/bin/sh",
      'case "$*" in',
      '  *-lms*) while true; do echo "0, 42, 2048"; sleep 0.1; done ;;',
      '  *--query-gpu=index,name,uuid*) echo "0, NVIDIA H100 80GB HBM3, GPU-0a1b2c3d-0000-1111-2222-333344445555, 81559, 580.159.04" ;;',
      '  *) echo "unexpected: $*" >&2; exit 2 ;;',
      "esac",
      "",
    ].join("\n"),
  );
  chmodSync(join(bin, "nvidia-smi"), 0o755);
  return bin;
}

/** PATH without any nvidia-smi: only the folders of git and node. */
function pathWithoutGpu(): string {
  const git = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  return [join(git, ".."), join(process.execPath, ".."), "/usr/bin", "/bin"].join(":");
}

function project(): TempRepo {
  const r = new TempRepo("mlci-doctor-");
  cleanup.push(() => r.remove());
  r.commit("project", {
    ".mlci/gates.yml": "version: 1\nrules:\n  - metric: eval.accuracy\n    min: 0.9\n",
    "dvc.yaml":
      "stages:\n  train:\n    cmd: python train.py --epochs ${train.epochs}\n    deps: [train.py]\n",
    "params.yaml": "train:\n  epochs: 3\n",
    "train.py": "print('hi')\n",
  });
  return r;
}

function doctor(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const full = gitEnv({ PATH: pathWithoutGpu(), GITHUB_API_URL: server.url, ...env });
  for (const key of ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "CUDA_VISIBLE_DEVICES"]) {
    if (!(key in env)) delete full[key];
  }
  // Not spawnSync: the GitHub test server answers from this process's event loop.
  const child = spawn(process.execPath, [cli, "doctor", ...args], { cwd, env: full });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const line = (stdout: string, label: string) =>
  stdout.split("\n").find((l) => new RegExp(`^ {2}\\S {2}${label.replace(/[.*]/g, "\\$&")}\\s`).test(l)) ??
  "";

describe("mlci doctor", () => {
  it("a healthy project on a GPU machine: every line ✓, exit 0", async () => {
    const r = project();
    const res = await doctor(r.dir, [], { PATH: `${fakeGpuBin()}:${pathWithoutGpu()}` });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(line(res.stdout, "node")).toMatch(/^ {2}✓ {2}node +v\d+\./);
    expect(line(res.stdout, "git")).toMatch(/✓ {2}git +\d+\.\d+/);
    expect(line(res.stdout, "repository")).toContain(`${r.dir} (main at `);
    expect(line(res.stdout, "history")).toContain("✓  history");
    expect(line(res.stdout, "gpu")).toMatch(
      /✓ {2}gpu +1 GPU: 0 NVIDIA H100 80GB HBM3 \(81559 MiB\), driver 580\.159\.04; telemetry ok/,
    );
    expect(line(res.stdout, "token")).toMatch(/- {2}token +no token/);
    expect(line(res.stdout, ".mlci/gates.yml")).toMatch(/✓ {2}\.mlci\/gates\.yml +1 rule$/);
    expect(line(res.stdout, "dvc.yaml")).toMatch(/✓ {2}dvc\.yaml +1 stage$/);
    expect(line(res.stdout, ".mlci/schema.yml")).toMatch(/- {2}\.mlci\/schema\.yml +not found/);
    expect(res.stdout).toContain("\nReady.\n");
  });

  it("CUDA_VISIBLE_DEVICES that hides the GPU warns; with --gpu it fails", async () => {
    const r = project();
    const env = { PATH: `${fakeGpuBin()}:${pathWithoutGpu()}`, CUDA_VISIBLE_DEVICES: "" };
    const warned = await doctor(r.dir, [], env);
    expect(warned.code).toBe(0);
    expect(line(warned.stdout, "gpu")).toMatch(
      /! {2}gpu +no usable GPU: CUDA_VISIBLE_DEVICES='' hides every GPU/,
    );
    const required = await doctor(r.dir, ["--gpu"], env);
    expect(required.code).toBe(1);
    expect(line(required.stdout, "gpu")).toContain("✗  gpu");
    expect(required.stdout).toContain("nvidia.com/gpu");
  });

  it("no nvidia-smi: the GPU line is skipped on a CPU machine, and fails with --gpu", async () => {
    const r = project();
    expect(line((await doctor(r.dir, [])).stdout, "gpu")).toMatch(
      /- {2}gpu +no NVIDIA GPU \(nvidia-smi not found on PATH\)/,
    );
    const required = await doctor(r.dir, ["--gpu"]);
    expect(required.code).toBe(1);
    expect(line(required.stdout, "gpu")).toMatch(/✗ {2}gpu +no GPU: nvidia-smi not found on PATH/);
  });

  it("a shallow clone warns with the fix; outside a repository fails", async () => {
    const r = project();
    r.commit("second", { "train.py": "print(2)\n" });
    const clone = temp("mlci-doctor-shallow-");
    execFileSync("git", ["clone", "-q", "--depth", "1", `file://${r.dir}`, clone], { env: gitEnv() });
    const shallow = await doctor(clone, []);
    expect(shallow.code).toBe(0);
    expect(line(shallow.stdout, "history")).toMatch(/! {2}history +shallow clone/);
    expect(shallow.stdout).toContain("hint: check out with `fetch-depth: 0`");
    const outside = await doctor(temp("mlci-doctor-nogit-"), []);
    expect(outside.code).toBe(1);
    expect(line(outside.stdout, "repository")).toContain("is not inside a git repository");
  });

  it("a broken config file fails with its file, line and key", async () => {
    const r = project();
    r.write({ ".mlci/gates.yml": "version: 1\nrules:\n  - metric: eval.accuracy\n    min: high\n" });
    const res = await doctor(r.dir, []);
    expect(res.code).toBe(1);
    expect(line(res.stdout, ".mlci/gates.yml")).toMatch(
      /✗ {2}\.mlci\/gates\.yml +\.mlci\/gates\.yml:4 \(key `rules\[0\]\.min`\): /,
    );
    expect(res.stdout).toContain("1 problem and 0 warnings");
  });

  it("GITHUB_TOKEN (an installation token) can see the repository; its permissions are the job's", async () => {
    const r = project();
    const res = await doctor(r.dir, [], { GITHUB_TOKEN: server.tokens.actions, GITHUB_REPOSITORY: FULL });
    expect(res.code, res.stdout).toBe(0);
    expect(line(res.stdout, "token")).toMatch(
      /✓ {2}token +octo-org\/models \(private\), installation token \(GITHUB_TOKEN or a GitHub App\), its permissions are the job's `permissions:`, \d+\/1000 requests left this hour/,
    );
    expect(server.callsTo("GET", "/user").length).toBe(0);
  });

  it("an installation token without the ghs_ prefix: /user is refused, which is no failure", async () => {
    server.tokens.add("v1.0123456789abcdef", { login: "mlci-app[bot]", kind: "installation" });
    const before = server.callsTo("GET", "/user").length;
    const res = await doctor(project().dir, ["--token", "v1.0123456789abcdef", "--repo", FULL]);
    expect(res.code, res.stdout).toBe(0);
    expect(line(res.stdout, "token")).toMatch(/✓ {2}token +octo-org\/models \(private\), token,/);
    const calls = server.callsTo("GET", "/user").slice(before);
    expect(calls.map((c) => c.status)).toEqual([403]);
  });

  it("a classic token: its login and scopes from x-oauth-scopes, and a warning without `repo`", async () => {
    const r = project();
    r.git("remote", "add", "origin", `https://github.com/${FULL}.git`);
    const repoWith = (scopes: string) =>
      server.handle("repos/get", (ctx) =>
        ok({ ...repoOf(ctx).json, permissions: { pull: true, push: true } }, { "x-oauth-scopes": scopes }),
      );
    repoWith("repo, workflow");
    const good = await doctor(r.dir, [], { GITHUB_TOKEN: server.tokens.user });
    expect(line(good.stdout, "token")).toMatch(
      /✓ {2}token +octo-org\/models \(private\), classic personal access token of octo-user, scopes repo, workflow, can write/,
    );
    repoWith("read:org");
    const narrow = await doctor(r.dir, [], { GITHUB_TOKEN: server.tokens.user });
    expect(narrow.code).toBe(0);
    expect(line(narrow.stdout, "token")).toMatch(/! {2}token +.*scopes read:org/);
    expect(narrow.stdout).toContain("without the `repo` scope mlci cannot comment, tag or create check runs");
    server.handle("repos/get", (ctx) => ok(repoOf(ctx).json)); // the server's own answer again
  });

  it("a token GitHub refuses, or a repository it cannot see, fails", async () => {
    const r = project();
    const bad = await doctor(r.dir, ["--repo", FULL], {
      GITHUB_TOKEN: "ghp_notARealToken0000000000000000000000",
    });
    expect(bad.code).toBe(1);
    expect(line(bad.stdout, "token")).toMatch(/✗ {2}token +GitHub refused the token \(401 /);
    const hidden = await doctor(r.dir, ["--repo", "octo-org/secret"], {
      GITHUB_TOKEN: server.tokens.actions,
    });
    expect(hidden.code).toBe(1);
    expect(line(hidden.stdout, "token")).toContain("octo-org/secret not found, or the token cannot see it");
    const usage = await doctor(r.dir, ["--repo", "not-a-repo"]);
    expect(usage.code).toBe(2);
  });

  it("--json gives every check for scripts", async () => {
    const res = await doctor(project().dir, ["--json"]);
    const report = JSON.parse(res.stdout) as {
      version: number;
      ok: boolean;
      checks: Array<{ id: string; status: string }>;
    };
    expect(report.version).toBe(1);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      "node",
      "git",
      "repository",
      "history",
      "gpu",
      "token",
      "config:.mlci/config.yml",
      "config:.mlci/gates.yml",
      "config:.mlci/schema.yml",
      "config:dvc.yaml",
      "config:params.yaml",
    ]);
  });
});
