import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitEnv, TempRepo } from "../helpers/git-repo";

/** The bundled `mlci registry …` commands on real temporary repositories, with a bare remote for --push. */

const cli = join(import.meta.dirname, "..", "..", "packages", "cli", "dist", "mlci.js");
const cleanup: Array<() => void> = [];
afterAll(() => {
  for (const f of cleanup) f();
});

function mlci(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, env: gitEnv(), encoding: "utf8" });
  return { code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
}

function repo(): TempRepo {
  const r = new TempRepo("mlci-cli-registry-");
  cleanup.push(() => r.remove());
  return r;
}

/** A bare repository as `origin`, and a second clone of it. */
function withRemote(r: TempRepo): { bare: string; clone: TempRepo } {
  const bare = mkdtempSync(join(tmpdir(), "mlci-bare-"));
  cleanup.push(() => rmSync(bare, { recursive: true, force: true }));
  execFileSync("git", ["init", "-q", "--bare", bare], { env: gitEnv() });
  r.git("remote", "add", "origin", bare);
  r.git("push", "-q", "origin", "main");
  const clone = repo();
  clone.git("remote", "add", "origin", bare);
  clone.git("fetch", "-q", "origin");
  clone.git("checkout", "-q", "-B", "main", "origin/main");
  return { bare, clone };
}

function taggerDates(r: TempRepo): number[] {
  return r
    .git("for-each-ref", "--sort=taggerdate", "--format=%(taggerdate:unix)", "refs/tags")
    .trim()
    .split("\n")
    .map(Number);
}

describe("mlci registry (bundled CLI)", () => {
  it("registers, bumps, assigns and shows the registry as a table and as documented JSON", () => {
    const r = repo();
    const c1 = r.commit("model 1", { "model.pkl": "1" });
    expect(mlci(r.dir, "registry", "register", "churn")).toMatchObject({
      code: 0,
      stdout: `Created tag churn@v0.0.1 (churn v0.0.1 at ${c1.slice(0, 7)})\n`,
    });
    const c2 = r.commit("model 2", { "model.pkl": "2" });
    expect(mlci(r.dir, "registry", "register", "churn", "--bump", "minor").stdout).toContain("churn@v0.1.0");
    expect(mlci(r.dir, "registry", "register", "churn").stdout).toBe(
      `Nothing to do: commit ${c2.slice(0, 7)} already holds churn v0.1.0\n`,
    );
    const assigned = mlci(r.dir, "registry", "assign", "churn", "--stage", "prod", "--version", "v0.0.1");
    expect(assigned.stdout).toBe(`Created tag churn#prod#1 (churn v0.0.1 at ${c1.slice(0, 7)})\n`);
    // A commit without a version is registered first, as GTO does.
    const c3 = r.commit("model 3", { "model.pkl": "3" });
    const staged = mlci(r.dir, "registry", "assign", "churn", "--stage", "staging", "--json");
    expect(JSON.parse(staged.stdout)).toMatchObject({
      created: true,
      tag: "churn#staging#2",
      version: "v0.1.1",
      commit: c3,
      registered: { created: true, tag: "churn@v0.1.1" },
    });
    expect(r.git("tag", "-l", "-n1", "churn#prod#1").trim()).toMatch(
      /Assigning stage prod to artifact churn version v0\.0\.1$/,
    );
    expect(r.git("cat-file", "-t", "churn@v0.1.1").trim()).toBe("tag");
    const dates = taggerDates(r);
    expect(dates).toHaveLength(5);
    expect(new Set(dates).size).toBe(5);

    const table = mlci(r.dir, "registry", "show");
    expect(table.stdout).toMatch(/^artifact\s+latest\s+stages\s+versions\s+deprecated\n/);
    expect(table.stdout).toMatch(/churn\s+v0\.1\.1\s+prod=v0\.0\.1 staging=v0\.1\.1\s+3/);
    const detail = mlci(r.dir, "registry", "show", "churn", "--sort", "semver").stdout;
    expect(detail.split("\n").slice(2, 3)[0]).toMatch(/^version\s+commit\s+created\s+stages\s+active\s+tag$/);
    expect(detail).toMatch(/v0\.1\.1\s+\w{7}\s+\S+Z\s+staging\s+yes\s+churn@v0\.1\.1/);

    const json = JSON.parse(mlci(r.dir, "registry", "show", "--json").stdout);
    expect(json).toMatchObject({ version: 1, sort: "timestamp", warnings: [] });
    expect(json.artifacts.churn).toMatchObject({
      latest: "v0.1.1",
      deprecated: false,
      stages: { prod: "v0.0.1", staging: "v0.1.1" },
    });
    expect(json.artifacts.churn.versions[0]).toEqual({
      version: "v0.1.1",
      commit: c3,
      registered: true,
      active: true,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      tag: "churn@v0.1.1",
      message: "Registering artifact churn version v0.1.1",
      author: "Test Committer",
      authorEmail: "committer@example.com",
      stages: ["staging"],
    });

    const history = JSON.parse(mlci(r.dir, "registry", "history", "churn", "--json").stdout);
    expect(history.version).toBe(1);
    expect(history.events.map((e: { tag: string }) => e.tag)).toEqual([
      "churn@v0.0.1",
      "churn@v0.1.0",
      "churn#prod#1",
      "churn@v0.1.1",
      "churn#staging#2",
    ]);
    expect(mlci(r.dir, "registry", "history").stdout).toMatch(/assign\s+v0\.0\.1\s+prod/);
  });

  it("unassigns, deregisters and deprecates, and writes nothing for what is true already", () => {
    const r = repo();
    r.commit("model 1", { "model.pkl": "1" });
    mlci(r.dir, "registry", "register", "churn");
    mlci(r.dir, "registry", "assign", "churn", "--stage", "prod");
    expect(mlci(r.dir, "registry", "unassign", "churn", "--stage", "prod").stdout).toContain(
      "Created tag churn#prod!#2",
    );
    expect(mlci(r.dir, "registry", "unassign", "churn", "--stage", "prod").stdout).toMatch(
      /^Nothing to do: churn v0\.0\.1 is not in stage prod/,
    );
    expect(mlci(r.dir, "registry", "deregister", "churn", "--version", "v0.0.1").stdout).toContain(
      "Created tag churn@v0.0.1!",
    );
    expect(mlci(r.dir, "registry", "deprecate", "churn", "-m", "retired").stdout).toContain(
      "Created tag churn@deprecated",
    );
    const json = JSON.parse(mlci(r.dir, "registry", "show", "churn", "--json").stdout);
    expect(json.artifacts.churn).toMatchObject({ latest: null, deprecated: true, stages: {} });
    expect(json.artifacts.churn.versions[0]).toMatchObject({ version: "v0.0.1", active: false });
    expect(r.git("tag", "-l", "-n1", "churn@deprecated").trim()).toMatch(/retired$/);
  });

  it("pushes tags to the remote, and refuses a version another clone pushed first", () => {
    const r = repo();
    r.commit("model 1", { "model.pkl": "1" });
    const { clone } = withRemote(r);
    const pushed = mlci(r.dir, "registry", "register", "churn", "--push");
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain("pushed to origin");
    expect(r.git("ls-remote", "--tags", "origin").trim()).toMatch(/refs\/tags\/churn@v0\.0\.1$/m);

    // The other clone has not fetched: it also picks v0.0.1, for its own commit, and the push fails.
    clone.commit("model 2", { "model.pkl": "2" });
    const refused = mlci(clone.dir, "registry", "register", "churn", "--push");
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /tag "churn@v0\.0\.1" already exists on origin; the local tag was removed/,
    );
    expect(refused.stderr).toMatch(/hint: .*git fetch --tags/);
    expect(clone.git("tag", "-l").trim()).toBe("");

    clone.git("fetch", "-q", "--tags", "origin");
    const retry = mlci(clone.dir, "registry", "register", "churn", "--push", "--json");
    expect(JSON.parse(retry.stdout)).toMatchObject({ created: true, tag: "churn@v0.0.2", pushed: true });
    expect(r.git("ls-remote", "--tags", "origin")).toContain("refs/tags/churn@v0.0.2");
  });

  it("answers mistakes with one line and the documented exit codes", () => {
    const r = repo();
    r.commit("c1", { f: "1" });
    const both = mlci(r.dir, "registry", "register", "churn", "--version", "v1.0.0", "--bump", "minor");
    expect(both.code).toBe(2);
    expect(both.stderr).toBe("mlci: give either a version or a bump, not both\n");
    expect(mlci(r.dir, "registry", "register", "churn", "--version", "1.0.0")).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/must start with "v"/),
    });
    expect(mlci(r.dir, "registry", "register", "bad name").code).toBe(2);
    expect(mlci(r.dir, "registry", "register").stderr).toMatch(/takes one artifact name/);
    expect(mlci(r.dir, "registry", "show", "nothing")).toMatchObject({
      code: 3,
      stderr: 'mlci: artifact "nothing" has no registry tags\n',
    });
    expect(mlci(r.dir, "registry", "show", "--sort", "alpha").code).toBe(2);
    expect(mlci(r.dir, "registry", "deregister", "churn").stderr).toMatch(/--version v1\.2\.3 or --ref/);
    expect(mlci(r.dir, "registry", "assign", "churn", "--stage", "prod", "--tagger", "nobody").code).toBe(2);
    expect(mlci(r.dir, "registry", "frobnicate")).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown registry subcommand "frobnicate"/),
    });
    const outside = mkdtempSync(join(tmpdir(), "mlci-not-a-repo-"));
    cleanup.push(() => rmSync(outside, { recursive: true, force: true }));
    expect(mlci(outside, "registry", "show").stderr).toMatch(/is not inside a git repository/);
    const help = mlci(r.dir, "registry", "register", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--bump <value>\s+which part of the greatest version to bump/);
  });
});
