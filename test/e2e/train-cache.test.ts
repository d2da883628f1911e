import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { gitEnv, type TempRepo } from "../helpers/git-repo";
import { penguinsRepo, runTrain, setParam } from "../helpers/pipeline-project";

// Checks a DVC cache against the format, in Python, independently of our code: each object at
// files/md5/<2>/<30> hashes to its name; a `.dir` object is the JSON list of {md5, relpath} whose
// bytes hash to its name, and every file it lists is in the cache and equals the workspace file.
const PY_CHECK = `
import hashlib, json, os, stat, sys
cache, workspace = sys.argv[1], sys.argv[2]
outs = json.loads(sys.argv[3])
def obj(oid):
    return os.path.join(cache, "files", "md5", oid[:2], oid[2:])
def md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()
checked = 0
for path, oid in outs:
    p = obj(oid)
    assert os.path.isfile(p), "missing object %s for %s" % (oid, path)
    assert not os.stat(p).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), "writable " + p
    if oid.endswith(".dir"):
        assert md5(p) == oid[:-4], "manifest %s does not hash to its name" % oid
        entries = json.load(open(p, encoding="utf-8"))
        assert [e["relpath"] for e in entries] == sorted(e["relpath"] for e in entries)
        for e in entries:
            assert set(e) == {"md5", "relpath"}
            assert md5(obj(e["md5"])) == e["md5"], "object of %s/%s" % (path, e["relpath"])
            assert md5(os.path.join(workspace, path, e["relpath"])) == e["md5"]
            checked += 1
    else:
        assert md5(p) == oid, "object of " + path
        assert md5(os.path.join(workspace, path)) == oid
        checked += 1
print(checked)
`;

/** `[path, md5]` of each `outs` entry of dvc.lock whose path is in `paths`. */
function lockOuts(lock: string, paths: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of lock.matchAll(/^ {4}- path: (\S+)\n {6}hash: md5\n {6}md5: (\S+)$/gm)) {
    const [, path = "", md5 = ""] = m;
    if (paths.includes(path) && !out.some(([p]) => p === path)) out.push([path, md5]);
  }
  return out;
}

let server: GitHubTestServer;
let origin: TempRepo;
let cacheDir: string;
const cleanup: string[] = [];

function clone(): string {
  const dir = mkdtempSync(join(tmpdir(), "mlci-clone-"));
  cleanup.push(dir);
  execFileSync("git", ["clone", "-q", origin.dir, dir], { env: gitEnv() });
  return dir;
}

const train = (workspace: string) =>
  runTrain(workspace, server.url, { gpu: "false" }, { MLCI_TEST_CACHE_DIR: cacheDir });
const json = (text: string | undefined) => JSON.parse(text ?? "null");

beforeAll(async () => {
  server = await startGitHubServer();
  origin = penguinsRepo("mlci-origin-");
  cacheDir = mkdtempSync(join(tmpdir(), "mlci-saved-cache-"));
  cleanup.push(origin.dir, cacheDir);
});
afterAll(async () => {
  await server?.close();
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

describe("the DVC cache on a fresh runner (train action, directory-backed cache service)", () => {
  it("a fresh clone restores the saved cache and runs no stage; the cache has DVC's layout", async () => {
    // First CI run: nothing cached, every stage runs, the cache is saved; dvc.lock is committed.
    const first = await train(origin.dir);
    expect(first.code).toBe(0);
    expect(json(first.outputs["stages-run"])).toEqual(["prepare", "train", "evaluate"]);
    expect(first.stdout).toMatch(/DVC cache: saved mlci-dvc-Linux-[0-9a-f]{32}/);
    origin.commit("Record dvc.lock");

    const dir = clone();
    expect(existsSync(join(dir, "data", "prepared"))).toBe(false);
    expect(existsSync(join(dir, "model"))).toBe(false);
    expect(existsSync(join(dir, ".dvc", "cache"))).toBe(false);

    const run = await train(dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs["cache-hit"]).toBe("exact");
    expect(json(run.outputs["stages-run"])).toEqual([]);
    expect(json(run.outputs["stages-skipped"])).toEqual(["prepare", "train", "evaluate"]);
    expect(run.outputs["metrics-changed"]).toBe("false");
    expect(run.summary).toContain(
      "| `prepare` | ⏭️ skipped |  | up to date; outputs restored from the cache |",
    );
    expect(readFileSync(join(dir, "dvc.lock"), "utf8")).toBe(
      readFileSync(join(origin.dir, "dvc.lock"), "utf8"),
    );
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" })).toBe("");

    const lock = readFileSync(join(dir, "dvc.lock"), "utf8");
    const outs = lockOuts(lock, ["data/prepared", "model/model.json"]);
    expect(outs.map(([p]) => p)).toEqual(["data/prepared", "model/model.json"]);
    expect(outs[0]?.[1]).toMatch(/^[0-9a-f]{32}\.dir$/);
    const checked = execFileSync(
      "python3",
      ["-c", PY_CHECK, join(dir, ".dvc", "cache"), dir, JSON.stringify(outs)],
      { encoding: "utf8" },
    );
    expect(Number(checked)).toBe(4); // train.csv, val.csv, test.csv and model.json
  });

  it("after a param change, an earlier cache still brings back the unchanged stages' outputs", async () => {
    const dir = clone();
    setParam(dir, "train", "l2", "0.002");
    const run = await train(dir);
    expect(run.code).toBe(0);
    expect(run.outputs["cache-hit"]).toBe("partial");
    expect(json(run.outputs["stages-run"])).toEqual(["train", "evaluate"]);
    expect(json(run.outputs["stages-skipped"])).toEqual(["prepare"]);
    expect(run.stdout).toMatch(
      /DVC cache: restored mlci-dvc-Linux-[0-9a-f]{32} \(an earlier cache of this project\)/,
    );
    expect(run.stdout).toMatch(/DVC cache: saved mlci-dvc-Linux-[0-9a-f]{32}/);
    const outs = lockOuts(readFileSync(join(dir, "dvc.lock"), "utf8"), ["data/prepared", "model/model.json"]);
    execFileSync("python3", ["-c", PY_CHECK, join(dir, ".dvc", "cache"), dir, JSON.stringify(outs)]);
  });
});
