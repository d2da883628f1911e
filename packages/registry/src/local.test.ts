import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MlciError } from "@mlci/common";
import { Git, type GitRunner, spawnGit } from "@mlci/git";
import { afterAll, describe, expect, it } from "vitest";
import { gitEnv, TempRepo } from "../../../test/helpers/git-repo";
import { assign, register } from "./local";
import { history, readRegistry, show } from "./local-read";
import { deprecate, deregister, unassign } from "./local-retire";
import { nextTaggerDate, TagExistsError } from "./tag-writer";

/** git with the test identity and no user configuration. */
const runner: GitRunner = (args, o) => spawnGit(args, { ...o, env: { ...gitEnv(), ...o.env } });

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const f of cleanup) f();
});

function setup(): { repo: TempRepo; git: Git } {
  const repo = new TempRepo("mlci-local-");
  cleanup.push(() => repo.remove());
  return { repo, git: new Git(repo.dir, runner) };
}

/** A frozen clock: every tag is made "in the same second". */
const NOW = Date.parse("2026-03-01T12:00:00Z") / 1000;
const frozen = () => NOW + 0.25;

async function taggerDates(git: Git): Promise<Map<string, number>> {
  return new Map((await git.listTags()).map((t) => [t.name, t.taggerDate ?? Number.NaN]));
}

describe("local register", () => {
  it("registers v0.0.1 with GTO's message, then refuses a second version on the same commit", async () => {
    const { repo, git } = setup();
    const c1 = repo.commit("c1", { "model.pkl": "1" });
    const first = await register(git, { name: "churn", now: frozen });
    expect(first).toEqual({
      created: true,
      name: "churn",
      version: "v0.0.1",
      commit: c1,
      tag: "churn@v0.0.1",
      pushed: false,
    });
    const [info] = await git.listTags("churn@v0.0.1");
    expect(info).toMatchObject({ objectType: "tag", commit: c1, taggerDate: NOW });
    expect(info?.message?.trim()).toBe("Registering artifact churn version v0.0.1");

    const again = await register(git, { name: "churn", version: "v5.0.0", now: frozen });
    expect(again).toMatchObject({ created: false, version: "v0.0.1", tag: "churn@v0.0.1" });
    expect(again.note).toMatch(/already holds churn v0\.0\.1/);
    expect((await git.listTags()).map((t) => t.name)).toEqual(["churn@v0.0.1"]);
  });

  it("bumps patch by default, minor or major on request, and refuses a taken version", async () => {
    const { repo, git } = setup();
    repo.commit("c1", { f: "1" });
    await register(git, { name: "m", now: frozen });
    repo.commit("c2", { f: "2" });
    expect((await register(git, { name: "m", bump: "minor", now: frozen })).version).toBe("v0.1.0");
    repo.commit("c3", { f: "3" });
    expect((await register(git, { name: "m", now: frozen })).version).toBe("v0.1.1");
    const c4 = repo.commit("c4", { f: "4" });
    await expect(register(git, { name: "m", version: "v0.1.0", now: frozen })).rejects.toThrow(
      /v0\.1\.0 is registered at commit/,
    );
    await expect(register(git, { name: "m", version: "1.0.0" })).rejects.toThrow(/must start with "v"/);
    await expect(register(git, { name: "bad name" })).rejects.toThrow(MlciError);
    expect(
      await register(git, { name: "m", version: "v2.0.0-rc.1", commit: c4, message: "custom", now: frozen }),
    ).toMatchObject({
      created: true,
      tag: "m@v2.0.0-rc.1",
    });
    const [rc] = await git.listTags("m@v2.0.0-rc.1");
    expect(rc?.message?.trim()).toBe("custom");
  });

  it("gives tags made in the same second strictly increasing tagger dates", async () => {
    const { repo, git } = setup();
    for (let i = 0; i < 4; i++) {
      repo.commit(`c${i}`, { f: String(i) });
      await register(git, { name: "m", now: frozen });
    }
    await assign(git, { name: "m", stage: "prod", version: "v0.0.2", now: frozen });
    const dates = await taggerDates(git);
    expect([...dates.entries()].sort((a, b) => a[1] - b[1])).toEqual([
      ["m@v0.0.1", NOW],
      ["m@v0.0.2", NOW + 1],
      ["m@v0.0.3", NOW + 2],
      ["m@v0.0.4", NOW + 3],
      ["m#prod#1", NOW + 4],
    ]);
    const state = await readRegistry(git);
    expect(state.warnings).toEqual([]);
    expect(state.artifacts.get("m")?.stages.get("prod")?.version).toBe("v0.0.2");
  });

  it("registers folder-prefixed artifacts under dir=name tags", async () => {
    const { repo, git } = setup();
    repo.commit("c1", { "sub/dir/dvc.yaml": "artifacts: {m: {path: m.pkl}}\n" });
    expect(await register(git, { name: "sub/dir:m", now: frozen })).toMatchObject({
      tag: "sub/dir=m@v0.0.1",
    });
    expect((await show(git, { name: "sub/dir:m" })).artifacts.get("sub/dir:m")?.latest?.version).toBe(
      "v0.0.1",
    );
  });
});

describe("tagger dates", () => {
  it("uses now, or one second after the newest tag when that is not in the past", () => {
    const t = (d: number | undefined) => ({
      name: "x",
      objectName: "o",
      objectType: "tag",
      commit: "c",
      taggerDate: d,
    });
    expect(nextTaggerDate([], 100.9)).toBe(100);
    expect(nextTaggerDate([t(50), t(undefined)], 100)).toBe(100);
    expect(nextTaggerDate([t(100)], 100)).toBe(101);
    expect(nextTaggerDate([t(150), t(120)], 100)).toBe(151);
  });
});

describe("local assign, unassign, deregister, deprecate", () => {
  it("assigning a stage to a commit without a version registers one first", async () => {
    const { repo, git } = setup();
    const c1 = repo.commit("c1", { f: "1" });
    const out = await assign(git, { name: "m", stage: "prod", commit: "HEAD", now: frozen });
    expect(out).toMatchObject({
      created: true,
      stage: "prod",
      version: "v0.0.1",
      commit: c1,
      tag: "m#prod#1",
    });
    expect(out.registered).toMatchObject({ created: true, tag: "m@v0.0.1" });
    const dates = await taggerDates(git);
    expect(dates.get("m#prod#1")).toBeGreaterThan(dates.get("m@v0.0.1")!);
    const [info] = await git.listTags("m#prod#1");
    expect(info?.message?.trim()).toBe("Assigning stage prod to artifact m version v0.0.1");

    const again = await assign(git, { name: "m", stage: "prod", version: "v0.0.1", now: frozen });
    expect(again).toMatchObject({ created: false, tag: "m#prod#1" });
    const forced = await assign(git, {
      name: "m",
      stage: "prod",
      version: "v0.0.1",
      force: true,
      now: frozen,
    });
    expect(forced).toMatchObject({ created: true, tag: "m#prod#2" });
    await expect(assign(git, { name: "m", stage: "prod" })).rejects.toThrow(
      /exactly one of a version or a commit/,
    );
    await expect(assign(git, { name: "m", stage: "prod", version: "v9.0.0" })).rejects.toThrow(
      /not registered/,
    );
    await expect(assign(git, { name: "m", stage: "bad stage", version: "v0.0.1" })).rejects.toThrow(
      /stage "bad stage"/,
    );
  });

  it("moves a stage, unassigns it, and takes the next counter each time", async () => {
    const { repo, git } = setup();
    repo.commit("c1", { f: "1" });
    await register(git, { name: "m", now: frozen });
    repo.commit("c2", { f: "2" });
    await register(git, { name: "m", now: frozen });
    await assign(git, { name: "m", stage: "prod", version: "v0.0.1", now: frozen });
    await assign(git, { name: "m", stage: "prod", version: "v0.0.2", now: frozen });
    let m = (await readRegistry(git)).artifacts.get("m")!;
    expect(m.stages.get("prod")?.version).toBe("v0.0.2");

    const un = await unassign(git, { name: "m", stage: "prod", version: "v0.0.2", now: frozen });
    expect(un).toMatchObject({ created: true, tag: "m#prod!#3" });
    const [info] = await git.listTags("m#prod!#3");
    expect(info?.message?.trim()).toBe("Unassigning stage prod from artifact m version v0.0.2");
    m = (await readRegistry(git)).artifacts.get("m")!;
    expect(m.stages.get("prod")?.version).toBe("v0.0.1");
    expect(await unassign(git, { name: "m", stage: "prod", version: "v0.0.2", now: frozen })).toMatchObject({
      created: false,
    });
  });

  it("deregisters, registers the same version again at that commit, and deprecates", async () => {
    const { repo, git } = setup();
    const c1 = repo.commit("c1", { f: "1" });
    await register(git, { name: "m", now: frozen });
    const dereg = await deregister(git, { name: "m", version: "v0.0.1", now: frozen });
    expect(dereg).toMatchObject({ created: true, tag: "m@v0.0.1!" });
    const [info] = await git.listTags("m@v0.0.1!");
    expect(info?.message?.trim()).toBe("Deregistering artifact m version v0.0.1");
    expect(await deregister(git, { name: "m", commit: c1, now: frozen })).toMatchObject({ created: false });

    const again = await register(git, { name: "m", now: frozen });
    expect(again).toMatchObject({ created: true, version: "v0.0.1", tag: "m@v0.0.1#1" });
    expect((await readRegistry(git)).artifacts.get("m")?.latest?.version).toBe("v0.0.1");

    const dep = await deprecate(git, { name: "m", now: frozen });
    expect(dep).toMatchObject({ created: true, tag: "m@deprecated", commit: c1 });
    expect((await readRegistry(git)).artifacts.get("m")?.deprecated).toBe(true);
    expect(await deprecate(git, { name: "m", now: frozen })).toMatchObject({ created: false });
    await expect(deprecate(git, { name: "nothing" })).rejects.toThrow(/has no registry tags/);

    const events = await history(git, "m");
    expect(events.map((e) => e.action)).toEqual(["register", "deregister", "register", "deprecate"]);
    await expect(history(git, "nothing")).rejects.toThrow(/has no registry tags/);
  });
});

describe("races with another process on the same repository", () => {
  /** A git whose first `git tag -a <name>` is beaten by another process creating `name` first. */
  function racing(repo: TempRepo, name: string, rev: string): Git {
    let raced = false;
    const racer: GitRunner = (args, o) => {
      if (!raced && args[0] === "tag" && args[1] === "-a" && args[2] === name) {
        raced = true;
        repo.tag(name, "made by someone else", rev);
      }
      return runner(args, o);
    };
    return new Git(repo.dir, racer);
  }

  it("register reads the registry again and takes the next version: never two tags for one version", async () => {
    const { repo } = setup();
    const c0 = repo.commit("c0", { f: "0" });
    const c1 = repo.commit("c1", { f: "1" });
    const git = racing(repo, "m@v0.0.1", c0);
    const out = await register(git, { name: "m", now: frozen });
    expect(out).toMatchObject({ created: true, version: "v0.0.2", commit: c1, tag: "m@v0.0.2" });
    const versions = (await readRegistry(git)).artifacts.get("m")!.versions;
    expect(versions.map((v) => [v.version, v.commit])).toEqual([
      ["v0.0.1", c0],
      ["v0.0.2", c1],
    ]);
  });

  it("assign takes the next counter when its counter was taken in between", async () => {
    const { repo, git: plain } = setup();
    const c1 = repo.commit("c1", { f: "1" });
    await register(plain, { name: "m", now: frozen });
    const git = racing(repo, "m#prod#1", c1);
    const out = await assign(git, { name: "m", stage: "prod", version: "v0.0.1", force: true, now: frozen });
    expect(out).toMatchObject({ created: true, tag: "m#prod#2" });
  });
});

describe("push", () => {
  function remoteAndClones() {
    const bare = mkdtempSync(join(tmpdir(), "mlci-remote-"));
    cleanup.push(() => rmSync(bare, { recursive: true, force: true }));
    execFileSync("git", ["init", "-q", "--bare", bare], { env: gitEnv() });
    const { repo, git } = setup();
    repo.commit("c1", { f: "1" });
    repo.git("remote", "add", "origin", bare);
    repo.git("push", "-q", "origin", "main");
    return { bare, repo, git };
  }

  it("pushes the new tag to the remote", async () => {
    const { bare, git } = remoteAndClones();
    const out = await register(git, { name: "m", push: true, now: frozen });
    expect(out.pushed).toBe(true);
    const remoteTags = execFileSync("git", ["tag", "-l"], { cwd: bare, env: gitEnv(), encoding: "utf8" });
    expect(remoteTags.trim()).toBe("m@v0.0.1");
  });

  it("a push rejected because the tag exists there is a clear error, and the local tag goes", async () => {
    const { bare, repo, git } = remoteAndClones();
    // Someone else registered v0.0.1 of m on another commit and pushed first.
    const other = new TempRepo("mlci-other-");
    cleanup.push(() => other.remove());
    other.git("remote", "add", "origin", bare);
    other.git("fetch", "-q", "origin", "main");
    other.git("checkout", "-q", "-b", "work", "FETCH_HEAD");
    other.commit("theirs", { g: "2" });
    other.tag("m@v0.0.1", "Registering artifact m version v0.0.1");
    other.git("push", "-q", "origin", "m@v0.0.1");

    const err = await register(git, { name: "m", push: true, now: frozen }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TagExistsError);
    expect(err).toBeInstanceOf(MlciError);
    expect((err as MlciError).code).toBe("GIT");
    expect((err as MlciError).message).toMatch(/tag "m@v0\.0\.1" already exists on origin/);
    expect((err as MlciError).hint).toMatch(/git fetch --tags/);
    expect(repo.git("tag", "-l").trim()).toBe("");
  });
});
