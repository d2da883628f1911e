import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitEnv, TempRepo } from "../helpers/git-repo";
import { dvcInit, mlci } from "../helpers/pipeline-project";

/**
 * A sweep as the workflow runs it, with real git: a plan job prints the shard matrix, each shard
 * job clones the repository and runs its stages, "uploads" dvc.lock and its outputs, and a merge
 * job puts them together. The merged dvc.lock must be the one a single job running the whole
 * sweep writes, byte for byte.
 */

const example = join(import.meta.dirname, "..", "..", "examples", "penguins-sweep");
const temp = mkdtempSync(join(tmpdir(), "mlci-sweep-"));
let origin: TempRepo;
let single: string;
let plan: { include: Array<{ shard: number; stages: string[] }> };

function clone(name: string, from = origin.dir): string {
  const dir = join(temp, name);
  execFileSync("git", ["clone", "-q", from, dir], { env: gitEnv() });
  return dir;
}

/** What a shard job uploads: dvc.lock and the outputs, at their repository paths. */
function upload(from: string, to: string): void {
  for (const path of ["dvc.lock", "runs", "data/prepared"]) {
    if (existsSync(join(from, path))) cpSync(join(from, path), join(to, path), { recursive: true });
  }
}

beforeAll(() => {
  origin = new TempRepo("mlci-sweep-origin-");
  cpSync(example, origin.dir, {
    recursive: true,
    filter: (src) => !/(__pycache__|\/runs|data\/prepared|dvc\.lock)/.test(src.slice(example.length)),
  });
  dvcInit(origin.dir);
  origin.commit("A sweep over the learning rate and L2");
  single = clone("single");
  const whole = mlci(single, ["repro"]);
  expect(whole.code, whole.stderr).toBe(0);
});

afterAll(() => {
  origin.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe("sweep: plan, shards, merge", () => {
  it("plans the runs over the shards as one line of JSON for strategy.matrix", () => {
    const res = mlci(origin.dir, ["repro", "--plan", "--shards", "3"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim().split("\n")).toHaveLength(1);
    plan = JSON.parse(res.stdout);
    expect(plan.include).toEqual([
      {
        shard: 0,
        stages: ["train@0.03-0.001", "train@0.3-0.03", "evaluate@0.03-0.001", "evaluate@0.3-0.03"],
      },
      { shard: 1, stages: ["train@0.03-0.03", "evaluate@0.03-0.03"] },
      { shard: 2, stages: ["train@0.3-0.001", "evaluate@0.3-0.001"] },
    ]);
    expect(res.stderr).toContain("every shard also runs their upstream: prepare");
    expect(res.stderr).toContain("run after `mlci sweep merge`: compare");
    expect(mlci(origin.dir, ["repro", "--shards", "3"]).stderr).toContain("--shards goes with --plan");
    expect(mlci(origin.dir, ["repro", "--plan", "--shards", "0"]).code).toBe(2);
  });

  it("merges the shards into the dvc.lock of a single run, ranks the runs, and leaves only `compare` to run", () => {
    const results = plan.include.map(({ shard, stages }) => {
      const dir = clone(`shard-${shard}`);
      const res = mlci(dir, ["repro", ...stages]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).not.toContain("Running stage 'compare'");
      const out = join(temp, `result-${shard}`);
      upload(dir, out);
      return out;
    });
    const merge = clone("merge");
    const res = mlci(merge, [
      "sweep",
      "merge",
      "--metric",
      "eval.accuracy",
      "--out",
      "leaderboard.md",
      "--json",
      ...results,
    ]);
    expect(res.code, res.stderr).toBe(0);
    const merged = JSON.parse(res.stdout);
    expect(merged.taken.map((t: { stage: string }) => t.stage).sort()).toEqual([
      "evaluate@0.03-0.001",
      "evaluate@0.03-0.03",
      "evaluate@0.3-0.001",
      "evaluate@0.3-0.03",
      "prepare",
      "train@0.03-0.001",
      "train@0.03-0.03",
      "train@0.3-0.001",
      "train@0.3-0.03",
    ]);
    expect(merged.missing).toEqual([]);
    expect(merged.leaderboard).toMatchObject({
      metric: "eval.accuracy",
      direction: "higher",
      directionSource: "default",
    });
    expect(merged.leaderboard.best).toMatchObject({
      run: "train@0.3-0.001",
      value: 1,
      file: "runs/lr0.3-l20.001/metrics.json",
    });
    expect(merged.leaderboard.rows.map((r: { run: string }) => r.run)).toEqual([
      "train@0.3-0.001",
      "train@0.3-0.03",
      "train@0.03-0.001",
      "train@0.03-0.03",
    ]);
    const board = readFileSync(join(merge, "leaderboard.md"), "utf8");
    expect(board).toContain(
      "Best run: `train@0.3-0.001` with `eval.accuracy` = 1 (higher is better, default).",
    );
    expect(board).toContain("| 1 🏆 | `train@0.3-0.001` | 1 | result-2 |");

    // The runs are up to date after the merge: only the stage fed by every run is left.
    const after = mlci(merge, ["repro"]);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain("1 ran, 9 skipped");
    expect(readFileSync(join(merge, "dvc.lock"), "utf8")).toBe(
      readFileSync(join(single, "dvc.lock"), "utf8"),
    );
    expect(readFileSync(join(merge, "comparison.csv"), "utf8")).toBe(
      readFileSync(join(single, "comparison.csv"), "utf8"),
    );
    expect(mlci(merge, ["status"]).stdout).toContain("up to date");

    // Lower is better for a loss, from its name.
    const loss = mlci(merge, ["sweep", "merge", "--metric", "eval.log_loss", "--json", ...results]);
    const lossBoard = JSON.parse(loss.stdout).leaderboard;
    expect(lossBoard).toMatchObject({ direction: "lower", directionSource: "inferred" });
    const values = lossBoard.rows.map((r: { value: number }) => r.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));

    // The merged result is committed; the sweep runs again on that commit (a rerun of the
    // workflow): nothing changes in dvc.lock, and the outputs still come from the shard.
    execFileSync("git", ["add", "-A"], { cwd: merge, env: gitEnv() });
    execFileSync("git", ["commit", "-q", "-m", "Sweep results"], { cwd: merge, env: gitEnv() });
    const rerun = clone("rerun-shard", merge);
    expect(mlci(rerun, ["repro", "--force", "train@0.03-0.03", "evaluate@0.03-0.03"]).code).toBe(0);
    upload(rerun, join(temp, "rerun-result"));
    const again = clone("rerun-merge", merge);
    const res2 = mlci(again, [
      "sweep",
      "merge",
      "--metric",
      "eval.accuracy",
      "--json",
      join(temp, "rerun-result"),
    ]);
    expect(res2.code, res2.stderr).toBe(0);
    const second = JSON.parse(res2.stdout);
    expect(second).toMatchObject({ lockWritten: false, taken: [] });
    expect(second.copied).toContain("runs/lr0.03-l20.03/model.json");
    const status = mlci(again, ["status", "evaluate@0.03-0.03", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).stages.map((s: { state: string }) => s.state)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
  });

  it("refuses shards that disagree on a shared stage, and outputs that do not match their lock entry", () => {
    const a = join(temp, "result-0");
    const b = join(temp, "result-1");
    const merge = clone("merge-bad");
    const lockB = readFileSync(join(b, "dvc.lock"), "utf8");
    const prepared = /(prepare:[\s\S]*?outs:\s*- path: data\/prepared\s+hash: md5\s+md5: )([0-9a-f]{32})/;
    expect(lockB).toMatch(prepared);
    writeFileSync(join(b, "dvc.lock"), lockB.replace(prepared, `$1${"0".repeat(32)}`));
    const conflict = mlci(merge, ["sweep", "merge", "--metric", "eval.accuracy", a, b]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/stage 'prepare' has different results in .*result-0 and .*result-1/);
    writeFileSync(join(b, "dvc.lock"), lockB);

    writeFileSync(join(b, "runs", "lr0.03-l20.03", "metrics.json"), '{"eval": {"accuracy": 1}}\n');
    const tampered = mlci(merge, ["sweep", "merge", "--metric", "eval.accuracy", a, b]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain("runs/lr0.03-l20.03/metrics.json does not match its dvc.lock entry");
    expect(mlci(merge, ["sweep", "merge", "--metric", "eval.accuracy", join(temp, "nowhere")]).code).toBe(3);
    expect(mlci(merge, ["sweep", "merge", a]).stderr).toContain("needs --metric");
  });
});
