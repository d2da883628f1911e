import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CacheTestServer, startCacheServer } from "../cache-server/index";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { gitEnv, TempRepo } from "../helpers/git-repo";
import { copyPenguins, dvcInit, penguinsRepo, runTrain, setParam } from "../helpers/pipeline-project";

/**
 * The train action with the real `@actions/cache` (bundled, Node 24) against a stand-in of GitHub's
 * cache service (Twirp API and blob storage on 127.0.0.1): the key and paths the action passes,
 * the archive the library makes, and its restore into a fresh clone, end to end. The other train
 * tests use a folder-backed cache.
 */

let github: GitHubTestServer;
let cache: CacheTestServer;
const cleanup: string[] = [];

function cloneOf(origin: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mlci-clone-"));
  cleanup.push(dir);
  execFileSync("git", ["clone", "-q", origin, dir], { env: gitEnv() });
  return dir;
}

const train = (workspace: string, inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  runTrain(workspace, github.url, { gpu: "false", ...inputs }, { ...cache.env(), ...env });
const json = (text: string | undefined) => JSON.parse(text ?? "null");
const savedKey = (stdout: string) => /DVC cache: saved (mlci-dvc-Linux-[0-9a-f]{32})/.exec(stdout)?.[1];
const twirpCalls = (method: string) =>
  cache.calls.filter((c) => c.path === `/twirp/github.actions.results.api.v1.CacheService/${method}`);

beforeAll(async () => {
  github = await startGitHubServer();
  cache = await startCacheServer();
});
afterAll(async () => {
  await github?.close();
  await cache?.close();
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

describe("train action with @actions/cache and GitHub's cache service (v2)", () => {
  let origin: TempRepo;
  let firstKey = "";

  it("saves the DVC cache: one reserved, uploaded and finalized entry under the action's key", async () => {
    origin = penguinsRepo("mlci-origin-");
    cleanup.push(origin.dir);
    const run = await train(origin.dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(json(run.outputs["stages-run"])).toEqual(["prepare", "train", "evaluate"]);
    expect(run.outputs["cache-hit"]).toBe("none");
    firstKey = savedKey(run.stdout) ?? "";
    expect(firstKey).not.toBe("");
    expect(cache.entries).toHaveLength(1);
    const [entry] = cache.entries;
    expect(entry).toMatchObject({ key: firstKey, finalized: true });
    // A tar archive, compressed with zstd where it is installed, else gzip.
    const magic = entry?.data?.subarray(0, 4).toString("hex") ?? "";
    expect(["28b52ffd", "1f8b"].some((m) => magic.startsWith(m))).toBe(true);
    expect(twirpCalls("GetCacheEntryDownloadURL")[0]?.body).toMatchObject({
      key: firstKey,
      restore_keys: ["mlci-dvc-Linux-"],
    });
    expect(twirpCalls("FinalizeCacheEntryUpload")[0]?.body).toMatchObject({
      key: firstKey,
      size_bytes: String(entry?.data?.length),
    });
    expect(cache.calls.some((c) => c.method === "PUT" && c.status === 201)).toBe(true);
    origin.commit("Record dvc.lock");
  });

  it("a fresh clone restores it through the service and runs no stage", async () => {
    const dir = cloneOf(origin.dir);
    expect(existsSync(join(dir, ".dvc", "cache"))).toBe(false);
    const run = await train(dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs["cache-hit"]).toBe("exact");
    expect(run.stdout).toContain(`DVC cache: restored ${firstKey}`);
    expect(json(run.outputs["stages-run"])).toEqual([]);
    expect(json(run.outputs["stages-skipped"])).toEqual(["prepare", "train", "evaluate"]);
    expect(readFileSync(join(dir, "data", "prepared", "train.csv"), "utf8")).toBe(
      readFileSync(join(origin.dir, "data", "prepared", "train.csv"), "utf8"),
    );
    expect(readFileSync(join(dir, "dvc.lock"), "utf8")).toBe(
      readFileSync(join(origin.dir, "dvc.lock"), "utf8"),
    );
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" })).toBe("");
    // Restored with the exact key: nothing new to save, no second entry.
    expect(run.stdout).toContain(`DVC cache: ${firstKey} was restored as is; nothing new to save`);
    expect(cache.entries).toHaveLength(1);
  });

  it("after a param change, the earlier entry restores the unchanged stage and a new entry is saved", async () => {
    const dir = cloneOf(origin.dir);
    setParam(dir, "train", "l2", "0.002");
    const run = await train(dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs["cache-hit"]).toBe("partial");
    expect(json(run.outputs["stages-run"])).toEqual(["train", "evaluate"]);
    expect(json(run.outputs["stages-skipped"])).toEqual(["prepare"]);
    const key = savedKey(run.stdout);
    expect(key).toBeDefined();
    expect(key).not.toBe(firstKey);
    expect(cache.entries.map((e) => e.key)).toEqual([firstKey, key]);
  });

  it("when another job holds the key, says the cache was not saved, and the run still succeeds", async () => {
    const dir = cloneOf(origin.dir);
    setParam(dir, "train", "l2", "0.003");
    cache.refuseReservations = true;
    try {
      const run = await train(dir);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(json(run.outputs["stages-run"])).toEqual(["train", "evaluate"]);
      expect(savedKey(run.stdout)).toBeUndefined();
      expect(run.stdout).toMatch(
        /::warning::DVC cache not saved: GitHub's cache service did not store mlci-dvc-Linux-[0-9a-f]{32}/,
      );
    } finally {
      cache.refuseReservations = false;
    }
    expect(cache.entries).toHaveLength(2);
  });

  it("with a token the service refuses, warns and rebuilds the missing outputs without the cache", async () => {
    const dir = cloneOf(origin.dir);
    const before = cache.entries.length;
    const run = await train(dir, {}, { ACTIONS_RUNTIME_TOKEN: "ghs_expired" });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs["cache-hit"]).toBe("none");
    // Nothing restored: the outputs missing from the clone are rebuilt; train makes the same model,
    // so evaluate (whose outputs are committed) is up to date.
    expect(json(run.outputs["stages-run"])).toEqual(["prepare", "train"]);
    expect(json(run.outputs["stages-skipped"])).toEqual(["evaluate"]);
    expect(run.stdout).toMatch(/::warning::Failed to restore: .*401/);
    expect(run.stdout).toContain("::warning::DVC cache not saved:");
    expect(run.stdout).not.toContain("ghs_expired");
    expect(cache.entries).toHaveLength(before);
  });
});

describe("train action with @actions/cache: a DVC project in a subfolder (working-directory)", () => {
  it("saves <folder>/.dvc/cache and restores it into a fresh clone, which runs no stage", async () => {
    const repo = new TempRepo("mlci-monorepo-");
    cleanup.push(repo.dir);
    copyPenguins(join(repo.dir, "ml"));
    dvcInit(join(repo.dir, "ml"));
    repo.commit("Penguins pipeline in ml/");
    const first = await train(repo.dir, { "working-directory": "ml" });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(json(first.outputs["stages-run"])).toEqual(["prepare", "train", "evaluate"]);
    const key = savedKey(first.stdout);
    expect(key).toBeDefined();
    repo.commit("Record dvc.lock");

    const dir = cloneOf(repo.dir);
    const run = await train(dir, { "working-directory": "ml" });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`DVC cache: restored ${key}`);
    expect(json(run.outputs["stages-run"])).toEqual([]);
    expect(existsSync(join(dir, "ml", ".dvc", "cache", "files", "md5"))).toBe(true);
    expect(existsSync(join(dir, ".dvc"))).toBe(false);
    expect(readFileSync(join(dir, "ml", "model", "model.json"), "utf8")).toBe(
      readFileSync(join(repo.dir, "ml", "model", "model.json"), "utf8"),
    );
  });
});

describe("train action with @actions/cache: cache.dir outside the workspace", () => {
  it("saves and restores the cache by its absolute path (the library refuses `..`)", async () => {
    const repo = penguinsRepo("mlci-outside-");
    const shared = mkdtempSync(join(tmpdir(), "mlci-shared-cache-"));
    cleanup.push(repo.dir, shared);
    writeFileSync(join(repo.dir, ".dvc", "config"), `[cache]\n    dir = ${shared}\n`);
    repo.commit("DVC cache outside the repository");
    const first = await train(repo.dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const key = savedKey(first.stdout);
    expect(key, first.stdout).toBeDefined();
    expect(twirpCalls("CreateCacheEntry").at(-1)?.body).toMatchObject({ key });
    repo.commit("Record dvc.lock");

    // A new runner: a fresh clone, and no shared folder any more.
    rmSync(shared, { recursive: true, force: true });
    const dir = cloneOf(repo.dir);
    const run = await train(dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`DVC cache: restored ${key}`);
    expect(json(run.outputs["stages-run"])).toEqual([]);
    expect(existsSync(join(shared, "files", "md5"))).toBe(true);
    expect(existsSync(join(dir, ".dvc", "cache"))).toBe(false);
  });
});
