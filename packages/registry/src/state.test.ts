import { Git } from "@mlci/git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TempRepo } from "../../../test/helpers/git-repo";
import { buildRegistryState, registryHistory } from "./state";

/** Seconds into 2026-01-01, as a git date. */
const at = (s: number) =>
  `2026-01-01T00:${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}Z`;
const T0 = Date.parse("2026-01-01T00:00:00Z") / 1000;

async function stateOf(repo: TempRepo, sort: "timestamp" | "semver" = "timestamp") {
  return buildRegistryState(await new Git(repo.dir).listTags(), { sort });
}

const repos: TempRepo[] = [];
function newRepo(): TempRepo {
  const r = new TempRepo("mlci-registry-");
  repos.push(r);
  return r;
}
afterAll(() => {
  for (const r of repos) r.remove();
});

describe("registry state from real tags", () => {
  let repo: TempRepo;
  let c1: string;
  let c2: string;
  let c3: string;
  beforeAll(() => {
    repo = newRepo();
    c1 = repo.commit("one", { "a.txt": "1" }, at(0));
    c2 = repo.commit("two", { "a.txt": "2" }, at(0));
    c3 = repo.commit("three", { "a.txt": "3" }, at(0));
    repo.tag("churn@v0.0.1", "Registering artifact churn version v0.0.1", c1, at(1));
    repo.tag("churn@v0.0.2", "Registering artifact churn version v0.0.2", c2, at(2));
    repo.tag("churn#prod#1", "Assigning stage prod to artifact churn version v0.0.1", c1, at(3));
    repo.tag("churn#staging#2", "Assigning stage staging to artifact churn version v0.0.2", c2, at(4));
    repo.tag("churn#prod#3", "Assigning stage prod to artifact churn version v0.0.2", c2, at(5));
    repo.tag("churn#staging#4", "staging back to the first", c1, at(6));
    repo.tag("churn@v0.1.0", "Registering artifact churn version v0.1.0", c3, at(7));
    repo.tag("churn@v0.1.0!", "Deregistering artifact churn version v0.1.0", c3, at(8));
    // several artifacts, a folder-prefixed one, one deprecated
    repo.tag("nested/dir=model@v1.0.0", "Registering", c2, at(9));
    repo.tag("nested/dir=model#prod#1", "Assigning", c2, at(10));
    repo.tag("old@v0.0.1", "Registering", c1, at(11));
    repo.tag("old@deprecated", "Deprecating artifact old", c1, at(12));
    // noise: a lightweight registry tag, a broken one, a release tag
    repo.git("tag", "churn@v9.9.9", c3);
    repo.tag("churn@v1.0", "not semver", c3, at(13));
    repo.tag("v1.0.0", "a release, not a registry tag", c3, at(14));
  });

  it("lists versions with commit, activity, creation time, tag and message", async () => {
    const churn = (await stateOf(repo)).artifacts.get("churn")!;
    expect(churn.versions.map((v) => [v.version, v.commit, v.active, v.registered])).toEqual([
      ["v0.0.1", c1, true, true],
      ["v0.0.2", c2, true, true],
      ["v0.1.0", c3, false, true],
    ]);
    const v1 = churn.versions[0]!;
    expect(v1.createdAt).toBe(T0 + 1);
    expect(v1.tag).toBe("churn@v0.0.1");
    expect(v1.message).toBe("Registering artifact churn version v0.0.1");
    expect(v1.author).toBe("Test Committer");
  });

  it("moves stages: the stage shows the version assigned last among those holding it", async () => {
    const churn = (await stateOf(repo)).artifacts.get("churn")!;
    expect(Object.fromEntries([...churn.stages].map(([s, h]) => [s, h.version]))).toEqual({
      prod: "v0.0.2",
      staging: "v0.0.1",
    });
    // assigning a new version does not unassign the old one
    expect(churn.versions[0]!.stages.map((s) => s.stage)).toEqual(["prod", "staging"]);
    expect(churn.versions[1]!.stages.map((s) => s.stage)).toEqual(["staging", "prod"]);
  });

  it("with SemVer sort, a stage shows the greatest version holding it", async () => {
    const churn = (await stateOf(repo, "semver")).artifacts.get("churn")!;
    expect(churn.stages.get("staging")?.version).toBe("v0.0.2");
    expect(churn.stages.get("prod")?.version).toBe("v0.0.2");
  });

  it("latest is the greatest active registered version; a deregistered one does not count", async () => {
    const churn = (await stateOf(repo)).artifacts.get("churn")!;
    expect(churn.latest?.version).toBe("v0.0.2");
    expect(churn.deprecated).toBe(false);
  });

  it("reads folder-prefixed names as dir:name, and keeps artifacts apart", async () => {
    const state = await stateOf(repo);
    expect([...state.artifacts.keys()]).toEqual(["churn", "nested/dir:model", "old"]);
    const model = state.artifacts.get("nested/dir:model")!;
    expect(model.latest?.version).toBe("v1.0.0");
    expect(model.stages.get("prod")?.version).toBe("v1.0.0");
  });

  it("marks a deprecated artifact", async () => {
    const old = (await stateOf(repo)).artifacts.get("old")!;
    expect(old.deprecated).toBe(true);
    expect(old.events.map((e) => e.action)).toEqual(["register", "deprecate"]);
  });

  it("ignores lightweight tags and reports broken registry tags, not release tags", async () => {
    const state = await stateOf(repo);
    expect(state.artifacts.get("churn")!.versions.some((v) => v.version === "v9.9.9")).toBe(false);
    expect(state.warnings).toEqual([
      expect.stringMatching(/"churn@v1\.0" ignored: .*not SemVer/),
      expect.stringMatching(/"churn@v9\.9\.9" ignored: it is a lightweight tag/),
    ]);
  });

  it("keeps the full history in event order", async () => {
    const state = await stateOf(repo);
    const events = registryHistory(state);
    expect(events.map((e) => e.tag)).toEqual([
      "churn@v0.0.1",
      "churn@v0.0.2",
      "churn#prod#1",
      "churn#staging#2",
      "churn#prod#3",
      "churn#staging#4",
      "churn@v0.1.0",
      "churn@v0.1.0!",
      "nested/dir=model@v1.0.0",
      "nested/dir=model#prod#1",
      "old@v0.0.1",
      "old@deprecated",
    ]);
    const prod = events.find((e) => e.tag === "churn#prod#3")!;
    expect(prod).toMatchObject({
      action: "assign",
      stage: "prod",
      version: "v0.0.2",
      counter: 3,
      commit: c2,
    });
    expect(registryHistory(state, "old").map((e) => e.action)).toEqual(["register", "deprecate"]);
  });
});

describe("registry state: lifecycle cases", () => {
  it("re-registers a version after its deregistration", async () => {
    const repo = newRepo();
    const c = repo.commit("c", { f: "1" }, at(0));
    repo.tag("m@v1.0.0", "Registering", c, at(1));
    repo.tag("m@v1.0.0!", "Deregistering", c, at(2));
    let m = (await stateOf(repo)).artifacts.get("m")!;
    expect(m.versions[0]).toMatchObject({ version: "v1.0.0", active: false });
    expect(m.latest).toBeUndefined();
    repo.tag("m@v1.0.0#3", "Registering again", c, at(3));
    m = (await stateOf(repo)).artifacts.get("m")!;
    expect(m.versions).toHaveLength(1);
    expect(m.versions[0]).toMatchObject({
      version: "v1.0.0",
      active: true,
      createdAt: T0 + 3,
      tag: "m@v1.0.0#3",
    });
    expect(m.latest?.version).toBe("v1.0.0");
  });

  it("unassigns a stage, so the stage falls back to the other holder or disappears", async () => {
    const repo = newRepo();
    const c1 = repo.commit("c1", { f: "1" }, at(0));
    const c2 = repo.commit("c2", { f: "2" }, at(0));
    repo.tag("m@v0.0.1", "r", c1, at(1));
    repo.tag("m@v0.0.2", "r", c2, at(2));
    repo.tag("m#prod#1", "a", c1, at(3));
    repo.tag("m#prod#2", "a", c2, at(4));
    repo.tag("m#prod!#3", "u", c2, at(5));
    let m = (await stateOf(repo)).artifacts.get("m")!;
    expect(m.stages.get("prod")?.version).toBe("v0.0.1");
    expect(m.versions[1]!.stages).toEqual([]);
    repo.tag("m#prod!#4", "u", c1, at(6));
    m = (await stateOf(repo)).artifacts.get("m")!;
    expect(m.stages.has("prod")).toBe(false);
  });

  it("does not show a deregistered version in its stage", async () => {
    const repo = newRepo();
    const c1 = repo.commit("c1", { f: "1" }, at(0));
    const c2 = repo.commit("c2", { f: "2" }, at(0));
    repo.tag("m@v0.0.1", "r", c1, at(1));
    repo.tag("m@v0.0.2", "r", c2, at(2));
    repo.tag("m#prod#1", "a", c1, at(3));
    repo.tag("m#prod#2", "a", c2, at(4));
    repo.tag("m@v0.0.2!", "d", c2, at(5));
    const m = (await stateOf(repo)).artifacts.get("m")!;
    expect(m.stages.get("prod")?.version).toBe("v0.0.1");
    expect(m.latest?.version).toBe("v0.0.1");
  });

  it("a deprecated artifact becomes active again with a later event", async () => {
    const repo = newRepo();
    const c1 = repo.commit("c1", { f: "1" }, at(0));
    repo.tag("m@v0.0.1", "r", c1, at(1));
    repo.tag("m@deprecated", "d", c1, at(2));
    expect((await stateOf(repo)).artifacts.get("m")!.deprecated).toBe(true);
    repo.tag("m@v0.0.2", "r", repo.commit("c2", { f: "2" }, at(0)), at(3));
    expect((await stateOf(repo)).artifacts.get("m")!.deprecated).toBe(false);
  });

  it("a stage assigned to a commit without a version creates an unregistered commit version (GTO)", async () => {
    const repo = newRepo();
    const c1 = repo.commit("c1", { f: "1" }, at(0));
    repo.tag("m#dev#1", "a", c1, at(1));
    const m = (await stateOf(repo)).artifacts.get("m")!;
    expect(m.versions).toEqual([expect.objectContaining({ version: c1, registered: false, active: true })]);
    expect(m.stages.get("dev")?.version).toBe(c1);
    expect(m.latest).toBeUndefined();
  });

  it("breaks ties in the same second by counter, then register before assign, and warns", async () => {
    const repo = newRepo();
    const c1 = repo.commit("c1", { f: "1" }, at(0));
    // Same tagger second for all; names sort the other way round on purpose.
    repo.tag("m#prod#3", "assign", c1, at(5));
    repo.tag("m#prod!#2", "unassign", c1, at(5));
    repo.tag("m@v0.0.1", "register", c1, at(5));
    repo.tag("other@v0.0.1", "register", c1, at(5));
    const state = await stateOf(repo);
    const m = state.artifacts.get("m")!;
    expect(m.events.map((e) => e.tag)).toEqual(["m@v0.0.1", "m#prod!#2", "m#prod#3"]);
    expect(m.versions).toHaveLength(1);
    expect(m.stages.get("prod")?.version).toBe("v0.0.1");
    expect(state.warnings).toEqual([
      expect.stringMatching(/3 tags of artifact "m" share the tagger date 2026-01-01T00:00:05\.000Z/),
    ]);
  });

  it("ignores a registration of a version that belongs to another commit, with a warning", async () => {
    const repo = newRepo();
    const c1 = repo.commit("c1", { f: "1" }, at(0));
    const c2 = repo.commit("c2", { f: "2" }, at(0));
    repo.tag("m@v0.0.1", "r", c1, at(1));
    repo.tag("m@v0.0.1#2", "r", c2, at(2));
    const state = await stateOf(repo);
    expect(state.artifacts.get("m")!.versions.map((v) => v.commit)).toEqual([c1]);
    expect(state.warnings[0]).toMatch(/"m@v0\.0\.1#2" ignored: v0\.0\.1 of "m" belongs to commit/);
  });
});
