/**
 * The shell scripts inside the reusable workflows, run with bash as a runner runs them, in real
 * temporary git repositories: reading a stage tag, packing what training wrote and unpacking it,
 * and the arguments the retrain decision gets.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitEnv, TempRepo } from "../helpers/git-repo";
import { type Json, workflowFile } from "./files";

const cleanup: Array<() => void> = [];
afterAll(() => {
  for (const f of cleanup.reverse()) f();
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function repo(): TempRepo {
  const r = new TempRepo("mlci-wf-script-");
  cleanup.push(() => r.remove());
  return r;
}

function script(path: string, job: string, name: string): { run: string; shell?: string } {
  const steps = workflowFile(path).doc.jobs[job].steps as Json[];
  const step = steps.find((s) => s.name === name || s.id === name);
  if (!step) throw new Error(`no step ${name}`);
  return { run: step.run as string, shell: step.shell as string | undefined };
}

/** Runs a step's script as the runner does: `bash -e` by default, `-eo pipefail` with `shell: bash`. */
function runStep(step: { run: string; shell?: string }, cwd: string, env: NodeJS.ProcessEnv) {
  const runnerTemp = env.RUNNER_TEMP ?? temp("mlci-runner-temp-");
  const output = join(runnerTemp, "github-output");
  const summary = join(runnerTemp, "step-summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const file = join(runnerTemp, "step.sh");
  writeFileSync(file, step.run);
  const flags = step.shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail"] : ["-e"];
  const res = spawnSync("bash", [...flags, file], {
    cwd,
    encoding: "utf8",
    env: gitEnv({ RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env }),
  });
  const outputs = Object.fromEntries(
    readFileSync(output, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return {
    code: res.status,
    stdout: res.stdout,
    stderr: res.stderr,
    outputs,
    summary: readFileSync(summary, "utf8"),
  };
}

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

describe("mlci-retrain.yml asks mlci retrain", () => {
  const decide = script(".github/workflows/mlci-retrain.yml", "check", "retrain");

  /** A fake `mlci` that records its arguments and prints a decision as `mlci retrain --json` does. */
  function fakeMlci(decision: Json): { bin: string; args: () => string[] } {
    const bin = temp("mlci-fake-bin-");
    const log = join(bin, "args");
    writeFileSync(join(bin, "decision.json"), JSON.stringify({ version: 1, ...decision }, null, 2));
    writeFileSync(
      join(bin, "mlci"),
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "${log}"; done\ncat "${join(bin, "decision.json")}"\n`,
    );
    chmodSync(join(bin, "mlci"), 0o755);
    return { bin, args: () => readFileSync(log, "utf8").trim().split("\n") };
  }

  const env = (bin: string, extra: NodeJS.ProcessEnv = {}) => ({
    PATH: `${bin}:${process.env.PATH}`,
    DATA: "d.csv",
    REFERENCE: "registry:model#prod",
    FORCE: "false",
    PROFILE: "mlci-profile.json",
    ...extra,
  });

  it("passes each data path, the reference, the profile path and --always when forced", () => {
    const fake = fakeMlci({ retrain: true, reason: "forced (--always)" });
    const runnerTemp = temp("mlci-runner-temp-");
    const res = runStep(decide, temp("mlci-cwd-"), env(fake.bin, { RUNNER_TEMP: runnerTemp, DATA: "data/a.csv\n\ndata/b dir/*.csv\n", FORCE: "true" }));
    expect(res.code, res.stderr).toBe(0);
    expect(fake.args()).toEqual([
      "retrain",
      "--data",
      "data/a.csv",
      "--data",
      "data/b dir/*.csv",
      "--always",
      "--reference",
      "registry:model#prod",
      "--profile-path",
      "mlci-profile.json",
      "--write-profile",
      join(runnerTemp, "mlci-retrain", "profile.json"),
      "--json",
    ]);
    expect(res.outputs).toEqual({ retrain: "true", reason: "forced (--always)" });
  });

  it("turns the decision into the step outputs, on one line; no --always unless forced", () => {
    const fake = fakeMlci({ retrain: false, reason: "no drift:\n0 of 4 columns drifted" });
    const res = runStep(decide, temp("mlci-cwd-"), env(fake.bin));
    expect(res.code, res.stderr).toBe(0);
    expect(fake.args()).not.toContain("--always");
    expect(res.outputs).toEqual({ retrain: "false", reason: "no drift: 0 of 4 columns drifted" });
  });

  it("a failing mlci fails the step", () => {
    const fake = fakeMlci({ retrain: true, reason: "x" });
    writeFileSync(join(fake.bin, "mlci"), "#!/bin/sh\necho 'mlci: no such file' >&2\nexit 3\n");
    const res = runStep(decide, temp("mlci-cwd-"), env(fake.bin));
    expect(res.code).not.toBe(0);
    expect(res.outputs.retrain).toBeUndefined();
  });
});

/** A fake `mlci` that records its arguments and prints `answer`. */
function recordingMlci(answer = ""): { bin: string; args: () => string[] } {
  const bin = temp("mlci-fake-bin-");
  const log = join(bin, "args");
  writeFileSync(join(bin, "answer"), answer);
  writeFileSync(join(bin, "mlci"), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "${log}"; done\ncat "${join(bin, "answer")}"\n`);
  chmodSync(join(bin, "mlci"), 0o755);
  return { bin, args: () => readFileSync(log, "utf8").trim().split("\n") };
}

describe("mlci-retrain.yml opens the pull request with mlci retrain open-pr", () => {
  const open = script(".github/workflows/mlci-retrain.yml", "pull-request", "pr");

  it("lays the trained files over the checkout and names each, with the profile and the decision", () => {
    const r = repo();
    r.commit("project", { "dvc.lock": "old\n", "metrics.json": "{}\n" });
    const runnerTemp = temp("mlci-runner-temp-");
    const outputs = join(runnerTemp, "mlci-retrain-outputs");
    const src = temp("mlci-trained-");
    mkdirSync(outputs);
    mkdirSync(join(runnerTemp, "mlci-retrain"));
    writeFileSync(join(src, "dvc.lock"), "new\n");
    writeFileSync(join(src, "metrics.json"), '{"acc": 1}\n');
    writeFileSync(join(outputs, "files.lst"), "dvc.lock\0metrics.json\0");
    expect(spawnSync("tar", ["-czf", join(outputs, "workspace.tgz"), "-C", src, "dvc.lock", "metrics.json"]).status).toBe(0);
    writeFileSync(join(runnerTemp, "mlci-retrain", "profile.json"), '{"version":1}');
    writeFileSync(join(runnerTemp, "mlci-retrain", "decision.json"), '{"version":1}');
    const fake = recordingMlci('{"url": "https://github.com/o/r/pull/9", "number": 9}');
    const res = runStep(open, r.dir, {
      RUNNER_TEMP: runnerTemp,
      PATH: `${fake.bin}:${process.env.PATH}`,
      PROFILE: "profiles/mlci-profile.json",
      BRANCH: "",
      BASE: "main",
      GITHUB_TOKEN: "ghs_app",
    });
    expect(res.code, res.stderr).toBe(0);
    expect(fake.args()).toEqual([
      "retrain",
      "open-pr",
      "dvc.lock",
      "metrics.json",
      "profiles/mlci-profile.json",
      "--base",
      "main",
      "--decision",
      join(runnerTemp, "mlci-retrain", "decision.json"),
      "--json",
    ]);
    expect(readFileSync(join(r.dir, "dvc.lock"), "utf8")).toBe("new\n");
    expect(readFileSync(join(r.dir, "profiles", "mlci-profile.json"), "utf8")).toBe('{"version":1}');
    expect(res.outputs.url).toBe("https://github.com/o/r/pull/9");
  });
});

describe("mlci-sweep.yml merges the shards with mlci sweep merge", () => {
  const merge = script(".github/workflows/mlci-sweep.yml", "merge", "Merge the shards");

  function shards(): { runnerTemp: string; cwd: string } {
    const runnerTemp = temp("mlci-runner-temp-");
    for (const n of [0, 1]) {
      mkdirSync(join(runnerTemp, "mlci-shards", `mlci-sweep-shard-${n}`, "files"), { recursive: true });
      writeFileSync(join(runnerTemp, "mlci-shards", `mlci-sweep-shard-${n}`, "files", "dvc.lock"), `shard ${n}\n`);
    }
    const cwd = temp("mlci-cwd-");
    writeFileSync(join(cwd, "dvc.lock"), "merged\n");
    return { runnerTemp, cwd };
  }

  it("passes the metric, the direction and every shard's files; keeps the lock fragments", () => {
    const { runnerTemp, cwd } = shards();
    const fake = recordingMlci();
    mkdirSync(join(runnerTemp, "mlci-sweep"), { recursive: true });
    writeFileSync(join(runnerTemp, "mlci-sweep", "leaderboard.md"), "| run | eval.accuracy |\n");
    const res = runStep(merge, cwd, { RUNNER_TEMP: runnerTemp, PATH: `${fake.bin}:${process.env.PATH}`, METRIC: "eval.log_loss", DIRECTION: "lower" });
    expect(res.code, res.stderr).toBe(0);
    const shardDir = (n: number) => join(runnerTemp, "mlci-shards", `mlci-sweep-shard-${n}`, "files");
    expect(fake.args()).toEqual([
      "sweep",
      "merge",
      "--metric",
      "eval.log_loss",
      "--out",
      join(runnerTemp, "mlci-sweep", "leaderboard.md"),
      "--lower-is-better",
      shardDir(0),
      shardDir(1),
    ]);
    expect(readFileSync(join(runnerTemp, "mlci-sweep", "locks", "mlci-sweep-shard-1.dvc.lock"), "utf8")).toBe("shard 1\n");
    expect(readFileSync(join(runnerTemp, "mlci-sweep", "dvc.lock"), "utf8")).toBe("merged\n");
    expect(res.summary).toContain("eval.accuracy");
  });

  it("refuses a direction it does not know", () => {
    const { runnerTemp, cwd } = shards();
    const fake = recordingMlci();
    const res = runStep(merge, cwd, { RUNNER_TEMP: runnerTemp, PATH: `${fake.bin}:${process.env.PATH}`, METRIC: "m", DIRECTION: "up" });
    expect(res.code).toBe(2);
  });
});
