import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import type { TempRepo } from "../helpers/git-repo";
import { pullRequestEvent } from "../helpers/payloads";
import { fakeNvidiaSmi, pathWith, penguinsRepo, runTrain, setParam } from "../helpers/pipeline-project";
import { runAction } from "../helpers/run-action";

let server: GitHubTestServer;
const cleanup: string[] = [];

beforeAll(async () => {
  server = await startGitHubServer();
});
afterAll(async () => {
  await server?.close();
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(d);
  return d;
}

function repo(): TempRepo {
  const r = penguinsRepo();
  cleanup.push(r.dir);
  return r;
}

const train = (workspace: string, inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  runTrain(workspace, server.url, inputs, env);

const json = (text: string | undefined) => JSON.parse(text ?? "null");

describe("train action (bundled, Node 24)", () => {
  let r: TempRepo;
  let cacheDir: string;
  let gpuBin: string;
  let baseSha: string;
  let headSha: string;

  beforeAll(() => {
    r = repo();
    baseSha = r.git("rev-parse", "HEAD").trim();
    r.git("checkout", "-q", "-b", "feature");
    setParam(r.dir, "train", "epochs", "80");
    headSha = r.commit("Train longer");
    cacheDir = tempDir("mlci-cache-");
    gpuBin = fakeNvidiaSmi();
    cleanup.push(gpuBin);
  });

  it("runs the CPU example with one log group per stage, sets its outputs and the job summary", async () => {
    const run = await train(r.dir, {}, { MLCI_TEST_CACHE_DIR: cacheDir, PATH: pathWith(gpuBin) });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const o = run.outputs;
    expect(json(o["stages-run"])).toEqual(["prepare", "train", "evaluate"]);
    expect(json(o["stages-skipped"])).toEqual([]);
    expect(json(o["stages-failed"])).toEqual([]);
    expect(o["duration-seconds"]).toMatch(/^\d+(\.\d)?$/);
    expect(o["metrics-changed"]).toBe("true"); // 80 epochs instead of the committed 50
    expect(o["cache-hit"]).toBe("none");
    expect(o.success).toBe("true");
    const gpu = json(o["gpu-summary"]);
    expect(gpu).toMatchObject({ available: true, driverVersion: "580.159.04" });
    expect(gpu.devices[0]).toMatchObject({ name: "NVIDIA H100 80GB HBM3", peakMemoryMiB: 41984 });

    const groups = run.commands.filter((c) => c.startsWith("::group::"));
    expect(groups).toEqual(["::group::stage prepare", "::group::stage train", "::group::stage evaluate"]);
    expect(run.commands.filter((c) => c === "::endgroup::")).toHaveLength(3);
    // Each stage's output is inside its group.
    const trainGroup = run.stdout.slice(
      run.stdout.indexOf("::group::stage train"),
      run.stdout.indexOf("::group::stage evaluate"),
    );
    expect(trainGroup).toContain("Running stage 'train': never ran (no entry in dvc.lock)");
    expect(trainGroup).toContain("> python3 src/train.py");
    expect(trainGroup).toMatch(/train: 80 epochs on 216 rows/);
    expect(trainGroup).toMatch(/\n::endgroup::\n$/);

    expect(existsSync(join(r.dir, "dvc.lock"))).toBe(true);
    const record = json(readFileSync(o["run-record"] ?? "", "utf8"));
    expect(record).toMatchObject({ version: 1, success: true, sha: headSha });
    expect(record.runner).toEqual({ name: "test-runner", os: "Linux", arch: "X64" });
    expect(record.runUrl).toBe("https://github.com/octo-org/ml-project/actions/runs/4242");
    expect(o["run-record"]).toBe(join(run.runnerTemp, "mlci-run.json"));

    expect(run.summary).toContain("## mlci train");
    expect(run.summary).toMatch(/\*\*Succeeded\*\* in [\d.]+ (ms|s): 3 ran, 0 skipped\./);
    expect(run.summary).toContain(
      "- **GPU:** 1× NVIDIA H100 80GB HBM3, 87% mean utilisation, 41.0 GiB peak memory",
    );
    expect(run.summary).toContain("- **Metrics:** changed (`metrics.json`)");
    expect(run.summary).toMatch(/- \*\*DVC cache:\*\* nothing restored, saved `mlci-dvc-Linux-[0-9a-f]{32}`/);
    expect(run.summary).toMatch(
      /\| `train` \| ✅ ran \| [\d.]+ m?s \| never ran \(no entry in dvc\.lock\) \|$/m,
    );
  });

  it("runs nothing the second time: the exact cache is restored, metrics unchanged, nothing saved", async () => {
    const lock = readFileSync(join(r.dir, "dvc.lock"), "utf8");
    const run = await train(r.dir, { gpu: "false" }, { MLCI_TEST_CACHE_DIR: cacheDir });
    expect(run.code).toBe(0);
    expect(json(run.outputs["stages-run"])).toEqual([]);
    expect(json(run.outputs["stages-skipped"])).toEqual(["prepare", "train", "evaluate"]);
    expect(run.outputs["metrics-changed"]).toBe("false");
    expect(run.outputs["cache-hit"]).toBe("exact");
    expect(run.outputs["gpu-summary"]).toBe("null");
    expect(run.stdout).toMatch(/was restored as is; nothing new to save/);
    expect(run.summary).toContain("- **GPU:** not recorded");
    expect(readFileSync(join(r.dir, "dvc.lock"), "utf8")).toBe(lock);
  });

  it("gives the report action the run facts through run-record", async () => {
    const run = await train(r.dir, { "run-record": "mlci-run.json", gpu: "false" });
    expect(run.code).toBe(0);
    expect(run.outputs["run-record"]).toBe(join(r.dir, "mlci-run.json"));
    const event = pullRequestEvent({ baseSha, headSha });
    server.state.seedFromEvent(event);
    const report = await runAction({
      action: "report",
      workspace: r.dir,
      apiUrl: server.url,
      event,
      repository: event.repository.full_name,
      sha: headSha,
      inputs: { token: server.tokens.actions, "run-record": run.outputs["run-record"] ?? "" },
    });
    expect(report.stderr).toBe("");
    expect(report.code).toBe(0);
    const comments = server.state.issueComments(event.repository.full_name, event.number);
    const body = String(comments.at(-1)?.body);
    expect(body).toContain("### Run");
    expect(body).toContain("- **Stages:** 3 skipped");
    expect(body).toContain("- **Runner:** `test-runner` (Linux X64)");
  });

  it("on a failing stage: fails the step with an error annotation, the log tail and blocked dependents", async () => {
    const f = repo();
    const script = join(f.dir, "src", "train.py");
    writeFileSync(
      script,
      readFileSync(script, "utf8").replace(
        /^def main\(\):\n/m,
        'def main():\n    print("epoch 1: loss nan")\n    raise SystemExit("diverged: loss is nan")\n',
      ),
    );
    const run = await train(f.dir, {}, { MLCI_TEST_CACHE_DIR: tempDir("mlci-cache-") });
    expect(run.code).toBe(1);
    expect(json(run.outputs["stages-run"])).toEqual(["prepare"]);
    expect(json(run.outputs["stages-failed"])).toEqual(["train"]);
    expect(json(run.outputs["stages-blocked"])).toEqual(["evaluate"]);
    expect(run.outputs.success).toBe("false");
    const annotation = run.commands.find((c) => c.startsWith("::error title=Stage train failed::"));
    expect(annotation).toContain(
      "command exited with code 1: python3 src/train.py%0A%0Aepoch 1: loss nan%0Adiverged: loss is nan",
    );
    expect(run.commands).toContain(
      "::error::stage train failed: command exited with code 1: python3 src/train.py",
    );
    expect(run.summary).toContain("**Failed**");
    expect(run.summary).toContain("| `evaluate` | ⛔ blocked |");
    expect(run.summary).toContain("### Stage `train` failed");
    expect(run.summary).toContain("```text\nepoch 1: loss nan\ndiverged: loss is nan\n```");
    expect(run.stdout).not.toMatch(/DVC cache: saved/); // a failed run saves no cache
    expect(readFileSync(join(f.dir, "dvc.lock"), "utf8")).not.toContain("  train:");
  });

  it("runs a plain command, and without a cache service warns and goes on", async () => {
    const c = repo();
    const run = await train(c.dir, { command: "python3 src/prepare.py && echo trained > note.txt" });
    expect(run.code).toBe(0);
    expect(run.commands).toContain(
      "::warning::DVC cache not restored: GitHub's cache service is not available here (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL are not set); the stages run without it",
    );
    expect(json(run.outputs["stages-run"])).toEqual(["command"]);
    expect(readFileSync(join(c.dir, "note.txt"), "utf8")).toBe("trained\n");
    expect(run.commands).toContain("::group::stage command");

    const bad = await train(c.dir, { command: "true", targets: "train" });
    expect(bad.code).toBe(1);
    expect(bad.commands).toContain(
      "::error::`command` runs a plain command: it cannot be combined with `targets`, `force` or `downstream`",
    );
    const gpu = await train(c.dir, { command: "true", "require-gpu": "true" });
    expect(gpu.code).toBe(1);
    expect(gpu.commands).toContain(
      "::error::a GPU is required but none is available: nvidia-smi not found on PATH",
    );
  });

  it("refuses a run-record path it cannot write before any stage runs, naming the path", async () => {
    const c = repo();
    const run = await train(c.dir, { "run-record": "dvc.yaml/run.json" });
    expect(run.code).toBe(1);
    expect(run.commands).toContain(
      `::error::cannot write ${join(c.dir, "dvc.yaml", "run.json")}: a part of the path is not a folder (ENOTDIR)`,
    );
    expect(run.stdout).not.toContain("bug in mlci");
    expect(run.stdout).not.toContain("::group::stage");
    expect(existsSync(join(c.dir, "model"))).toBe(false);

    // Writable before the run, not after it (the command puts a folder there): the step fails,
    // after the outputs and the job summary.
    const late = await train(c.dir, { command: "mkdir -p rec/run.json", "run-record": "rec/run.json" });
    expect(late.code).toBe(1);
    expect(late.commands).toContain(
      `::error title=Run record::the run record was not written: cannot write ${join(c.dir, "rec", "run.json")}: it is a folder (EISDIR)`,
    );
    expect(json(late.outputs["stages-run"])).toEqual(["command"]);
    expect(late.summary).toContain("command");
  });

  it("refuses a yes/no input YAML 1.2 does not read as a boolean and a cache-key-prefix GitHub would refuse, before running; an empty yes/no is the default", async () => {
    const c = repo();
    const bad = await train(c.dir, { command: "echo ran > ran.txt", "require-gpu": "yes" });
    expect(bad.code).toBe(1);
    const error = bad.commands.find((l) => l.startsWith("::error::")) ?? "";
    expect(error).toContain('input `require-gpu` must be true or false, not "yes"');
    expect(error).toContain("hint: YAML booleans: true, True, TRUE, false, False, FALSE");
    expect(bad.stdout).not.toContain("bug in mlci");
    expect(existsSync(join(c.dir, "ran.txt"))).toBe(false);

    const comma = await train(c.dir, { command: "echo ran > ran.txt", "cache-key-prefix": "model,v2" });
    expect(comma.code).toBe(1);
    expect(comma.commands).toContain(
      '::error::input `cache-key-prefix` must not contain a comma (GitHub\'s cache keys cannot): "model,v2"',
    );
    expect(existsSync(join(c.dir, "ran.txt"))).toBe(false);

    // `require-gpu: ${{ inputs.require-gpu }}` from an event without that input: the default (false).
    const empty = await train(c.dir, { command: "echo ran > ran.txt", "require-gpu": "" });
    expect(empty.code).toBe(0);
    expect(readFileSync(join(c.dir, "ran.txt"), "utf8")).toBe("ran\n");
  });
});
