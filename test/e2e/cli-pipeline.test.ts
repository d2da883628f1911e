import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyPenguins, dvcInit, fakeNvidiaSmi, mlci, pathWith, setParam } from "../helpers/pipeline-project";

let dir: string;
const noGpu = { PATH: pathWith() };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-cli-pipeline-"));
  copyPenguins(dir);
  dvcInit(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lock = () => readFileSync(join(dir, "dvc.lock"), "utf8");
/** One stage's block of dvc.lock, as text. */
function lockEntry(text: string, stage: string): string {
  const m = new RegExp(`^  ${stage}:\\n((?:    .*\\n)*)`, "m").exec(text);
  if (!m) throw new Error(`no ${stage} in dvc.lock`);
  return m[0];
}
const ran = (stdout: string) => [...stdout.matchAll(/^Running stage '([^']+)'/gm)].map((m) => m[1]);
const statusOf = (stdout: string, stage: string) =>
  stdout.split("\n").find((l) => l.startsWith(`${stage} `)) ?? "";

describe("mlci repro and mlci status on the penguins example (bundled CLI)", () => {
  it("runs all stages and writes dvc.lock; a second run runs nothing and leaves the lock byte-identical", () => {
    const before = mlci(dir, ["status"], noGpu);
    expect(before.code).toBe(0);
    for (const s of ["prepare", "train", "evaluate"])
      expect(statusOf(before.stdout, s)).toMatch(/will run: never ran \(no entry in dvc\.lock\)/);

    const first = mlci(dir, ["repro", "--run-record", "run.json"], noGpu);
    expect(first.code).toBe(0);
    expect(ran(first.stdout)).toEqual(["prepare", "train", "evaluate"]);
    expect(first.stdout).toContain("> python3 src/train.py");
    expect(first.stdout).toMatch(/evaluate: test accuracy 0\.\d+/); // the stage's own output, streamed
    expect(first.stdout).toMatch(/3 ran, 0 skipped in .*\. dvc\.lock updated\./);
    const written = lock();
    expect(written.startsWith("schema: '2.0'\nstages:\n  prepare:\n")).toBe(true);
    for (const s of ["prepare", "train", "evaluate"]) expect(lockEntry(written, s)).toContain("cmd: python3");

    const record = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(record).toMatchObject({ version: 1, success: true, gpu: null });
    expect(record.stages.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ["prepare", "ran"],
      ["train", "ran"],
      ["evaluate", "ran"],
    ]);
    expect(record.stages[2].logTail.join("\n")).toMatch(/test accuracy/);
    expect(record.durationMs).toBeGreaterThan(0);

    const second = mlci(dir, ["repro"], noGpu);
    expect(second.code).toBe(0);
    expect(ran(second.stdout)).toEqual([]);
    expect(second.stdout).toContain("Data and pipelines are up to date.");
    expect(lock()).toBe(written);
    const after = mlci(dir, ["status"], noGpu);
    for (const s of ["prepare", "train", "evaluate"])
      expect(statusOf(after.stdout, s)).toMatch(/ up to date$/);
  });

  it("reruns only the stages that use a changed param, and status says why", () => {
    expect(mlci(dir, ["repro"], noGpu).code).toBe(0);
    const base = lock();
    setParam(dir, "train", "l2", "0.002");

    const status = mlci(dir, ["status"], noGpu);
    expect(statusOf(status.stdout, "prepare")).toMatch(/up to date$/);
    expect(statusOf(status.stdout, "train")).toContain(
      "will run: param params.yaml:train.l2 changed: 0.001 -> 0.002",
    );
    expect(statusOf(status.stdout, "evaluate")).toContain(
      "may run (after an upstream stage): upstream stage train will run",
    );

    const json = JSON.parse(mlci(dir, ["status", "--json"], noGpu).stdout);
    const train = json.stages.find((s: { name: string }) => s.name === "train");
    expect(train).toMatchObject({ state: "changed", willRun: true, cmd: "python3 src/train.py" });
    expect(train.reasons).toEqual([
      {
        kind: "param-changed",
        file: "params.yaml",
        key: "train.l2",
        old: 0.001,
        new: 0.002,
        text: "param params.yaml:train.l2 changed: 0.001 -> 0.002",
      },
    ]);

    const run = mlci(dir, ["repro"], noGpu);
    expect(run.code).toBe(0);
    expect(ran(run.stdout)).toEqual(["train", "evaluate"]); // evaluate: its dep model/model.json changed
    expect(run.stdout).toContain("Stage 'prepare' skipped: up to date");
    expect(lockEntry(lock(), "prepare")).toBe(lockEntry(base, "prepare"));
    expect(lockEntry(lock(), "train")).toContain("l2: 0.002");
  });

  it("explains each decision: modified code, a missing output in the cache, a restored output", () => {
    expect(mlci(dir, ["repro"], noGpu).code).toBe(0);
    writeFileSync(
      join(dir, "src", "evaluate.py"),
      `${readFileSync(join(dir, "src", "evaluate.py"), "utf8")}\n# touched\n`,
    );
    rmSync(join(dir, "data", "prepared"), { recursive: true });
    const status = mlci(dir, ["status"], noGpu);
    expect(statusOf(status.stdout, "prepare")).toContain(
      "up to date (outputs come back from the cache): output data/prepared is missing (in the cache)",
    );
    expect(statusOf(status.stdout, "evaluate")).toMatch(
      /will run: dependency src\/evaluate\.py changed \(\w{8} -> \w{8}\)/,
    );
    const run = mlci(dir, ["repro"], noGpu);
    expect(ran(run.stdout)).toEqual(["evaluate"]);
    expect(run.stdout).toContain("Stage 'prepare' skipped: up to date; outputs restored from the cache");
    expect(existsSync(join(dir, "data", "prepared", "train.csv"))).toBe(true);
  });

  it("a failing stage: exit 1, dependents do not run, its lock entry stays, the log tail is shown", () => {
    expect(mlci(dir, ["repro"], noGpu).code).toBe(0);
    const base = lock();
    setParam(dir, "split", "seed", "7"); // prepare reruns, so train must run
    const train = join(dir, "src", "train.py");
    writeFileSync(
      train,
      readFileSync(train, "utf8").replace(
        /^def main\(\):\n/m,
        'def main():\n    print("loading the data")\n    print("epoch 1: loss nan")\n    raise SystemExit("diverged: loss is nan")\n',
      ),
    );
    const run = mlci(dir, ["repro", "--run-record", "run.json"], noGpu);
    expect(run.code).toBe(1);
    expect(ran(run.stdout)).toEqual(["prepare", "train"]);
    expect(run.stdout).toContain("Stage 'evaluate' not run: upstream stage train failed");
    expect(run.stderr).toContain(
      "mlci: stage 'train' failed: command exited with code 1: python3 src/train.py",
    );
    expect(run.stderr).toContain("  not run because of it: evaluate");
    expect(run.stderr).toMatch(/\| epoch 1: loss nan\n {2}\| diverged: loss is nan\n/);
    const after = lock();
    expect(lockEntry(after, "prepare")).not.toBe(lockEntry(base, "prepare"));
    expect(lockEntry(after, "prepare")).toContain("seed: 7");
    expect(lockEntry(after, "train")).toBe(lockEntry(base, "train"));
    expect(lockEntry(after, "evaluate")).toBe(lockEntry(base, "evaluate"));
    const record = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(record.success).toBe(false);
    expect(record.stages.map((s: { status: string }) => s.status)).toEqual(["ran", "failed", "blocked"]);
    expect(record.stages[1]).toMatchObject({ exitCode: 1 });
  });

  it("--dry-run says what would run and writes nothing; targets, --force and --downstream select stages", () => {
    const dry = mlci(dir, ["repro", "--dry-run", "--run-record", "run.json"], noGpu);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Dry run: 3 stages would run.");
    expect(existsSync(join(dir, "dvc.lock"))).toBe(false);
    expect(existsSync(join(dir, "run.json"))).toBe(false);
    expect(existsSync(join(dir, "data", "prepared"))).toBe(false);

    expect(ran(mlci(dir, ["repro", "train"], noGpu).stdout)).toEqual(["prepare", "train"]);
    // As `dvc repro --force`: the target and everything it depends on run again.
    expect(ran(mlci(dir, ["repro", "train", "--force"], noGpu).stdout)).toEqual(["prepare", "train"]);
    expect(ran(mlci(dir, ["repro", "train", "--downstream", "--force"], noGpu).stdout)).toEqual([
      "train",
      "evaluate",
    ]);
    const unknown = mlci(dir, ["repro", "nosuchstage"], noGpu);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^mlci: .*nosuchstage/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("records GPU telemetry with --gpu, says why there is none, and --require-gpu stops a GPU-less run", () => {
    const gpu = mlci(dir, ["repro", "--run-record", "run.json"], { PATH: pathWith(fakeNvidiaSmi()) });
    expect(gpu.code).toBe(0);
    expect(gpu.stderr).toContain("GPU telemetry: 0: NVIDIA H100 80GB HBM3 (81559 MiB), driver 580.159.04");
    const record = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(record.gpu).toMatchObject({ available: true, driverVersion: "580.159.04", sampleIntervalMs: 500 });
    expect(record.gpu.devices[0]).toMatchObject({
      index: 0,
      name: "NVIDIA H100 80GB HBM3",
      memoryTotalMiB: 81559,
    });
    expect(record.gpu.devices[0].samples).toBeGreaterThan(0);
    expect(record.gpu.devices[0]).toMatchObject({
      meanUtilization: 87,
      peakUtilization: 87,
      peakMemoryMiB: 41984,
    });

    const none = mlci(dir, ["repro", "--gpu", "--force", "--run-record", "run.json"], noGpu);
    expect(none.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).gpu).toEqual({
      available: false,
      reason: "nvidia-smi not found on PATH",
      devices: [],
    });

    const required = mlci(dir, ["repro", "--require-gpu", "--force"], noGpu);
    expect(required.code).toBe(3);
    expect(required.stderr).toBe(
      "mlci: a GPU is required but none is available: nvidia-smi not found on PATH\n",
    );
    expect(ran(required.stdout)).toEqual([]);
  });

  it("fails with one line and exit 2 or 3 outside a DVC project", () => {
    const empty = mkdtempSync(join(tmpdir(), "mlci-empty-"));
    try {
      const out = mlci(empty, ["status"], noGpu);
      expect([2, 3]).toContain(out.code);
      expect(out.stderr).toMatch(/^mlci: .*dvc\.yaml/);
      expect(out.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
