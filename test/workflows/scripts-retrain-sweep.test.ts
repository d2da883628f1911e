/**
 * The shell steps of mlci-retrain.yml and mlci-sweep.yml, run with bash as a runner runs them, with
 * a fake `mlci` that records its arguments: what the CLI is asked, and what the steps make of its answers.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Json } from "./files";
import { recordingMlci, repo, runStep, script, temp } from "./run-step";

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
    const res = runStep(
      decide,
      temp("mlci-cwd-"),
      env(fake.bin, { RUNNER_TEMP: runnerTemp, DATA: "data/a.csv\n\ndata/b dir/*.csv\n", FORCE: "true" }),
    );
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
    expect(
      spawnSync("tar", ["-czf", join(outputs, "workspace.tgz"), "-C", src, "dvc.lock", "metrics.json"])
        .status,
    ).toBe(0);
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
      writeFileSync(
        join(runnerTemp, "mlci-shards", `mlci-sweep-shard-${n}`, "files", "dvc.lock"),
        `shard ${n}\n`,
      );
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
    const res = runStep(merge, cwd, {
      RUNNER_TEMP: runnerTemp,
      PATH: `${fake.bin}:${process.env.PATH}`,
      METRIC: "eval.log_loss",
      DIRECTION: "lower",
    });
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
    expect(readFileSync(join(runnerTemp, "mlci-sweep", "locks", "mlci-sweep-shard-1.dvc.lock"), "utf8")).toBe(
      "shard 1\n",
    );
    expect(readFileSync(join(runnerTemp, "mlci-sweep", "dvc.lock"), "utf8")).toBe("merged\n");
    expect(res.summary).toContain("eval.accuracy");
  });

  it("refuses a direction it does not know", () => {
    const { runnerTemp, cwd } = shards();
    const fake = recordingMlci();
    const res = runStep(merge, cwd, {
      RUNNER_TEMP: runnerTemp,
      PATH: `${fake.bin}:${process.env.PATH}`,
      METRIC: "m",
      DIRECTION: "up",
    });
    expect(res.code).toBe(2);
  });
});

describe("mlci-sweep.yml collects a shard's results as the merge reads them", () => {
  const collect = script(".github/workflows/mlci-sweep.yml", "train", "Collect the shard's results");

  it("mirrors the project: dvc.lock, the changed tracked files, and the ignored outputs it is told to", () => {
    const r = repo();
    r.commit("project", { ".gitignore": "runs/\ncache/\n", "dvc.lock": "old\n", "metrics/a.json": "{}\n" });
    r.write({
      "dvc.lock": "new\n",
      "metrics/a.json": '{"acc": 1}\n',
      "runs/a/model.pkl": "model",
      "cache/x": "big",
    });
    const runnerTemp = temp("mlci-runner-temp-");
    const res = runStep(collect, r.dir, {
      RUNNER_TEMP: runnerTemp,
      RUN_RECORD: "",
      OUTPUTS: "runs/\nmissing/\n",
    });
    expect(res.code, res.stderr).toBe(0);
    const files = join(runnerTemp, "mlci-shard", "files");
    expect(readFileSync(join(files, "dvc.lock"), "utf8")).toBe("new\n");
    expect(readFileSync(join(files, "metrics", "a.json"), "utf8")).toBe('{"acc": 1}\n');
    expect(readFileSync(join(files, "runs", "a", "model.pkl"), "utf8")).toBe("model");
    expect(existsSync(join(files, "cache"))).toBe(false);
    expect(existsSync(join(runnerTemp, "mlci-shard", "run-record.json"))).toBe(false);
  });
});
