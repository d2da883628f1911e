/**
 * The shell steps of mlci-deploy.yml and mlci-pr.yml, run with bash as a runner runs them, in real
 * temporary git repositories: reading a stage tag, packing what training wrote and unpacking it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repo, runStep, script, temp } from "./run-step";

describe("mlci-deploy.yml reads the stage tag", () => {
  const resolve = script(".github/workflows/mlci-deploy.yml", "resolve", "tag");
  const r = repo();
  const c1 = r.commit("model 1", { "model.txt": "1" });
  r.tag("model@v0.0.1", "Registering artifact model version v0.0.1");
  const c2 = r.commit("model 2", { "model.txt": "2" });
  r.tag("model@v0.0.2", "Registering artifact model version v0.0.2");
  r.tag("model#prod#2", "Assigning stage prod to artifact model version v0.0.2");
  r.tag("other@v1.0.0", "Registering artifact other version v1.0.0");
  r.tag("nlp=model@v0.3.0", "Registering artifact nlp:model version v0.3.0");
  const c3 = r.commit("not registered", { "model.txt": "3" });
  const at = (tag: string, sha: string, artifact = "model", stage = "prod") =>
    runStep(resolve, r.dir, { TAG: tag, ARTIFACT: artifact, STAGE: stage, GITHUB_SHA: sha });

  it("finds the version registered at the tagged commit", () => {
    expect(at("model#prod#2", c2).outputs).toEqual({ version: "v0.0.2", deploy: "true" });
    expect(at("model#prod#7", c1).outputs).toEqual({ version: "v0.0.1", deploy: "true" });
    expect(at("nlp=model#prod#1", c2, "nlp:model").outputs).toEqual({ version: "v0.3.0", deploy: "true" });
  });

  it("deploys the commit itself when no version is registered there (as GTO assigns to a commit)", () => {
    expect(at("model#prod#3", c3).outputs).toEqual({ version: c3, deploy: "true" });
  });

  it("leaves other artifacts and other stages alone", () => {
    const other = at("other#prod#1", c2);
    expect(other.outputs).toEqual({ deploy: "false" });
    expect(other.summary).toContain("nothing to do");
    expect(at("model#staging#4", c2).outputs).toEqual({ deploy: "false" });
  });

  it("refuses a tag that is not an assignment", () => {
    const res = at("model@v0.0.2", c2);
    expect(res.code).not.toBe(0);
    expect(res.stdout).toContain("is not a stage assignment tag");
    expect(at("model#prod!#5", c2).code).not.toBe(0);
  });
});

describe("mlci-pr.yml carries what training wrote to the report job", () => {
  const pack = script(".github/workflows/mlci-pr.yml", "train", "Pack what training wrote");
  const unpack = script(".github/workflows/mlci-pr.yml", "report", "unpack");

  it("packs changed and new tracked files and the run record, not ignored outputs; unpacks them in a fresh checkout", () => {
    const r = repo();
    r.commit("project", {
      ".gitignore": "model.pkl\n",
      "metrics.json": '{"acc": 0.8}\n',
      "dvc.lock": "a\n",
      "gone.txt": "x",
    });
    const fresh = repo();
    fresh.git("pull", "-q", r.dir, "main");
    r.write({
      "metrics.json": '{"acc": 0.9}\n',
      "plots/roc.csv": "fpr,tpr\n0,0\n",
      "model.pkl": "big",
      "gone.txt": null,
    });
    const runnerTemp = temp("mlci-runner-temp-");
    const record = join(runnerTemp, "mlci-run.json");
    writeFileSync(record, '{"version":1,"stages":[]}');
    const packed = runStep(pack, r.dir, { RUNNER_TEMP: runnerTemp, RUN_RECORD: record });
    expect(packed.code, packed.stderr).toBe(0);
    const list = readFileSync(join(runnerTemp, "mlci-train-outputs", "files.lst"), "utf8")
      .split("\0")
      .filter(Boolean);
    expect(list.sort()).toEqual(["metrics.json", "plots/roc.csv"]);

    const unpacked = runStep(unpack, fresh.dir, { RUNNER_TEMP: runnerTemp });
    expect(unpacked.code, unpacked.stderr).toBe(0);
    expect(readFileSync(join(fresh.dir, "metrics.json"), "utf8")).toBe('{"acc": 0.9}\n');
    expect(readFileSync(join(fresh.dir, "plots", "roc.csv"), "utf8")).toContain("fpr,tpr");
    expect(existsSync(join(fresh.dir, "model.pkl"))).toBe(false);
    expect(unpacked.outputs["run-record"]).toBe(join(runnerTemp, "mlci-train-outputs", "run-record.json"));
  });

  it("an archive crafted by the training code cannot write into .git", () => {
    const fresh = repo();
    fresh.commit("init", { "a.txt": "a" });
    const runnerTemp = temp("mlci-runner-temp-");
    const evil = join(temp("mlci-evil-"), "src");
    mkdirSync(join(evil, ".git", "hooks"), { recursive: true });
    writeFileSync(join(evil, ".git", "config"), "[core]\n\tfsmonitor = touch /tmp/pwned\n");
    writeFileSync(join(evil, "metrics.json"), "{}");
    mkdirSync(join(runnerTemp, "mlci-train-outputs"));
    const tar = spawnSync("tar", [
      "-czf",
      join(runnerTemp, "mlci-train-outputs", "workspace.tgz"),
      "-C",
      evil,
      ".git",
      "metrics.json",
    ]);
    expect(tar.status).toBe(0);
    const before = readFileSync(join(fresh.dir, ".git", "config"), "utf8");
    const res = runStep(unpack, fresh.dir, { RUNNER_TEMP: runnerTemp });
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(fresh.dir, ".git", "config"), "utf8")).toBe(before);
    expect(existsSync(join(fresh.dir, "metrics.json"))).toBe(true);
    expect(res.outputs["run-record"]).toBeUndefined();
  });
});
