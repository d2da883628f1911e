// Cancelling a run: a cancelled GitHub job sends SIGINT to the action's node process (then SIGTERM
// 7.5 s later); Ctrl-C does the same to `mlci repro`. The running stage must be stopped (its whole
// process group gets the signal, so a training script can save a checkpoint), no other stage may
// start, the finished stages stay in dvc.lock, and the run is recorded as cancelled.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitEnv, TempRepo } from "../helpers/git-repo";
import { cliBundle, fakeNvidiaSmi, pathWith } from "../helpers/pipeline-project";
import { runAction } from "../helpers/run-action";

const DVC_YAML = (trainCmd: string) => `stages:
  prepare:
    cmd: cp raw.txt prepared.txt
    deps: [raw.txt]
    outs: [prepared.txt]
  train:
    cmd: ${trainCmd}
    deps: [prepared.txt]
    outs: [model.bin]
  evaluate:
    cmd: cp model.bin metrics.json
    deps: [model.bin]
    metrics:
      - metrics.json:
          cache: false
`;
// A training loop that saves a checkpoint when interrupted, as a PyTorch script catching
// KeyboardInterrupt would; its pid goes to train.pid.
const GRACEFUL = `sh -c 'echo $$ > train.pid; trap "echo checkpoint saved; exit 130" INT; echo training; while :; do sleep 0.05; done'`;
// One that ignores SIGINT.
const STUBBORN = `sh -c 'echo $$ > train.pid; trap "" INT; echo training; while :; do sleep 0.05; done'`;

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

function project(trainCmd: string): TempRepo {
  const r = new TempRepo("mlci-cancel-");
  repos.push(r);
  r.commit("pipeline", { "raw.txt": "data\n", "dvc.yaml": DVC_YAML(trainCmd), ".dvc/config": "" });
  return r;
}

function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  return readFileSync(stat, "utf8").split(") ")[1]?.[0] !== "Z";
}

/** Runs the bundled CLI, sending `signals` to its process (one each time `training` has been printed and 300 ms passed). */
function cliWithSignals(
  cwd: string,
  args: string[],
  signals: NodeJS.Signals[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBundle, ...args], {
      cwd,
      env: gitEnv({ PATH: pathWith() }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const sendAll = async () => {
      for (const sig of signals) {
        await new Promise((r) => setTimeout(r, 300));
        child.kill(sig);
      }
    };
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes("training")) {
        sent = true;
        void sendAll();
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("cancelling mlci repro (Ctrl-C)", () => {
  it("stops the running stage's whole group, starts no other, keeps finished stages in dvc.lock, exits 130", async () => {
    const r = project(GRACEFUL);
    const run = await cliWithSignals(r.dir, ["repro", "--run-record", "run.json"], ["SIGINT"]);
    expect(run.code).toBe(130);
    expect(run.stdout).toContain("checkpoint saved");
    expect(run.stderr).toContain(
      "mlci: the run was cancelled (SIGINT): stage 'train' was stopped; the stages that finished are in dvc.lock",
    );
    const lock = readFileSync(join(r.dir, "dvc.lock"), "utf8");
    expect(lock).toContain("  prepare:");
    expect(lock).not.toContain("  train:");
    expect(existsSync(join(r.dir, "metrics.json"))).toBe(false);
    const record = JSON.parse(readFileSync(join(r.dir, "run.json"), "utf8"));
    expect(record.success).toBe(false);
    expect(
      record.stages.map((s: { name: string; status: string; reason: string }) => [
        s.name,
        s.status,
        s.reason,
      ]),
    ).toEqual([
      ["prepare", "ran", "never ran (no entry in dvc.lock)"],
      ["train", "failed", "cancelled (SIGINT)"],
      ["evaluate", "blocked", "not run: the run was cancelled (SIGINT)"],
    ]);
    expect(alive(Number(readFileSync(join(r.dir, "train.pid"), "utf8")))).toBe(false);
  });

  it("a second Ctrl-C quits at once and kills a stage that ignored the first", async () => {
    const r = project(STUBBORN);
    const started = Date.now();
    const run = await cliWithSignals(r.dir, ["repro"], ["SIGINT", "SIGINT"]);
    expect(run.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(8_000); // well before the 10 s grace period
    expect(run.stderr).toContain("SIGINT: stopping the running stage (again to quit at once)");
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(Number(readFileSync(join(r.dir, "train.pid"), "utf8")))).toBe(false);
    expect(readFileSync(join(r.dir, "dvc.lock"), "utf8")).toContain("  prepare:");
  });
});

describe("cancelling the train action (a cancelled job)", () => {
  it("fails the step as cancelled after the stage stopped, with the summary, the outputs and no GPU sampler left", async () => {
    const r = project(GRACEFUL);
    const gpuBin = fakeNvidiaSmi();
    try {
      let sent = false;
      const run = await runAction({
        action: "train",
        workspace: r.dir,
        apiUrl: "http://127.0.0.1:9",
        eventName: "push",
        inputs: { gpu: "true", "run-record": "run.json" },
        env: { PATH: pathWith(gpuBin) },
        timeoutMs: 60_000,
        // The runner sends SIGINT to the action's process (not to its group).
        onStdout: (stdout, child) => {
          if (!sent && stdout.includes("training")) {
            sent = true;
            setTimeout(() => child.kill("SIGINT"), 300);
          }
        },
      });
      expect(run.code).toBe(1);
      expect(run.commands).toContain("::warning::SIGINT: cancelling the run, stopping the running stage");
      expect(run.commands).toContain(
        "::error title=Cancelled::the run was cancelled (SIGINT): stage train was stopped",
      );
      expect(run.stdout).toContain("checkpoint saved");
      expect(JSON.parse(run.outputs["stages-run"] ?? "")).toEqual(["prepare"]);
      expect(JSON.parse(run.outputs["stages-failed"] ?? "")).toEqual(["train"]);
      expect(JSON.parse(run.outputs["stages-blocked"] ?? "")).toEqual(["evaluate"]);
      expect(run.outputs.success).toBe("false");
      expect(run.summary).toContain("cancelled (SIGINT)");
      const record = JSON.parse(readFileSync(join(r.dir, "run.json"), "utf8"));
      expect(record.gpu.devices[0].samples).toBeGreaterThan(0);
      expect(readFileSync(join(r.dir, "dvc.lock"), "utf8")).not.toContain("  train:");
      expect(alive(Number(readFileSync(join(r.dir, "train.pid"), "utf8")))).toBe(false);
      // The nvidia-smi sampler (the fake's loop) was stopped with the run.
      const samplers = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
        .split("\n")
        .filter((l) => l.includes(gpuBin));
      expect(samplers).toEqual([]);
    } finally {
      rmSync(gpuBin, { recursive: true, force: true });
    }
  });
});
