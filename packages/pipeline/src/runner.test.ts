// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are DVC templates, not JS ones
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openProject } from "./project";
import { runPipeline } from "./runner";
import { describeReason, pipelineStatus } from "./status";

let root: string;

const DVC_YAML = `stages:
  prepare:
    cmd: mkdir -p data/prepared && tr a-z A-Z < data/raw.txt > data/prepared/all.txt
    deps:
      - data/raw.txt
    outs:
      - data/prepared
  train:
    cmd: echo "training lr=\${train.lr}" && cat data/prepared/all.txt > model.txt && echo "\${train.lr} \${train.epochs}" >> model.txt
    deps:
      - data/prepared
    params:
      - train.lr
      - train.epochs
    outs:
      - model.txt
  evaluate:
    cmd: wc -c < model.txt > metrics.json
    deps:
      - model.txt
    metrics:
      - metrics.json:
          cache: false
  report:
    wdir: reports
    cmd:
      - echo first > order.txt
      - echo second >> order.txt
    deps:
      - ../data/raw.txt
    outs:
      - order.txt
`;

async function setup(): Promise<void> {
  await mkdir(join(root, "data"), { recursive: true });
  await mkdir(join(root, "reports"));
  await mkdir(join(root, ".dvc"));
  await writeFile(join(root, "data", "raw.txt"), "hello world\n");
  await writeFile(join(root, "params.yaml"), "train:\n  lr: 0.01\n  epochs: 3\nother: 1\n");
  await writeFile(join(root, "dvc.yaml"), DVC_YAML);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "mlci-run-"));
  await setup();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function repro(opts: Parameters<typeof runPipeline>[1] = {}) {
  const project = await openProject({ root });
  return runPipeline(project, opts);
}

function summary(r: Awaited<ReturnType<typeof repro>>): Record<string, string> {
  return Object.fromEntries(r.stages.map((s) => [s.name, s.status]));
}

describe("runner", () => {
  it("runs everything, then nothing, leaving dvc.lock byte-identical; a param change reruns only its users", async () => {
    const output: string[] = [];
    const first = await repro({ onOutput: (stage, _s, chunk) => output.push(`${stage}:${chunk}`) });
    expect(summary(first)).toEqual({ prepare: "ran", train: "ran", evaluate: "ran", report: "ran" });
    expect(first.success).toBe(true);
    expect(output.join("")).toContain("train:training lr=0.01");
    expect(first.stages[1]?.logTail).toEqual(["training lr=0.01"]);
    expect(await readFile(join(root, "reports", "order.txt"), "utf8")).toBe("first\nsecond\n");
    const lock = await readFile(join(root, "dvc.lock"), "utf8");
    expect(lock).toMatch(/^schema: '2.0'\nstages:\n {2}prepare:\n/);
    expect(lock).toContain(
      "    params:\n      params.yaml:\n        train.epochs: 3\n        train.lr: 0.01\n",
    );
    expect(lock).toContain("    - path: data/prepared\n      hash: md5\n      md5: ");
    expect(lock).toContain("      nfiles: 1\n");
    const before = await stat(join(root, "dvc.lock"));

    const second = await repro();
    expect(summary(second)).toEqual({
      prepare: "skipped",
      train: "skipped",
      evaluate: "skipped",
      report: "skipped",
    });
    expect(second.lockWritten).toBe(false);
    expect(await readFile(join(root, "dvc.lock"), "utf8")).toBe(lock);
    expect((await stat(join(root, "dvc.lock"))).mtimeMs).toBe(before.mtimeMs);

    await writeFile(join(root, "params.yaml"), "train:\n  lr: 0.02\n  epochs: 3\nother: 2\n");
    const project = await openProject({ root });
    const st = await pipelineStatus(project);
    expect(st.map((s) => [s.name, s.state])).toEqual([
      ["prepare", "unchanged"],
      ["train", "changed"],
      ["evaluate", "upstream"],
      ["report", "unchanged"],
    ]);
    expect(st[1]?.reasons.map(describeReason)).toEqual([
      "command changed",
      "param params.yaml:train.lr changed: 0.01 -> 0.02",
    ]);
    expect(st[2]?.reasons.map(describeReason)).toEqual(["upstream stage train will run"]);
    const third = await runPipeline(project);
    expect(summary(third)).toEqual({ prepare: "skipped", train: "ran", evaluate: "ran", report: "skipped" });
    expect(await readFile(join(root, "dvc.lock"), "utf8")).toContain("train.lr: 0.02");
  });

  it("a failing stage blocks its dependents, keeps its previous lock entry and shows the log tail", async () => {
    await repro();
    const lockBefore = await readFile(join(root, "dvc.lock"), "utf8");
    await writeFile(
      join(root, "dvc.yaml"),
      DVC_YAML.replace(
        'echo "training lr=${train.lr}" &&',
        'echo "about to fail" && echo oops >&2 && exit 3 &&',
      ),
    );
    const r = await repro();
    expect(summary(r)).toEqual({
      prepare: "skipped",
      train: "failed",
      evaluate: "blocked",
      report: "skipped",
    });
    expect(r.success).toBe(false);
    expect(r.failed).toBe("train");
    const train = r.stages.find((s) => s.name === "train");
    expect(train?.exitCode).toBe(3);
    expect(train?.logTail).toEqual(expect.arrayContaining(["about to fail", "oops"]));
    expect(train?.reason).toMatch(/exited with code 3/);
    expect(r.stages.find((s) => s.name === "evaluate")?.reason).toBe("upstream stage train failed");
    expect(await readFile(join(root, "dvc.lock"), "utf8")).toBe(lockBefore);
  });

  it("restores missing outputs from the cache instead of running, as on a fresh checkout", async () => {
    await repro();
    const model = await readFile(join(root, "model.txt"), "utf8");
    await rm(join(root, "data", "prepared"), { recursive: true });
    await rm(join(root, "model.txt"));
    const project = await openProject({ root });
    const st = await pipelineStatus(project);
    expect(st.find((s) => s.name === "train")?.state).toBe("restore");
    const r = await runPipeline(project);
    expect(summary(r)).toEqual({
      prepare: "skipped",
      train: "skipped",
      evaluate: "skipped",
      report: "skipped",
    });
    expect(r.stages[0]?.reason).toBe("up to date; outputs restored from the cache");
    expect(await readFile(join(root, "model.txt"), "utf8")).toBe(model);
    expect(await readFile(join(root, "data", "prepared", "all.txt"), "utf8")).toBe("HELLO WORLD\n");
    // metrics.json is not cached: losing it reruns evaluate.
    await rm(join(root, "metrics.json"));
    expect(summary(await repro())).toMatchObject({ evaluate: "ran" });
  });

  it("removes outputs before a stage runs unless persist, supports targets, downstream, force and dry runs", async () => {
    await repro();
    await writeFile(join(root, "data", "prepared", "stale.txt"), "old");
    await writeFile(join(root, "data", "raw.txt"), "changed\n");
    const dry = await repro({ dryRun: true });
    expect(dry.stages[0]?.reason).toMatch(/^dry run; would run: dependency data\/raw.txt changed/);
    expect(await readFile(join(root, "data", "prepared", "all.txt"), "utf8")).toBe("HELLO WORLD\n");
    const r = await repro({ targets: ["prepare"] });
    expect(summary(r)).toEqual({ prepare: "ran" });
    await expect(stat(join(root, "data", "prepared", "stale.txt"))).rejects.toThrow();
    const down = await repro({ targets: ["train"], downstream: true, force: true });
    expect(summary(down)).toEqual({ train: "ran", evaluate: "ran" });

    await writeFile(
      join(root, "dvc.yaml"),
      DVC_YAML.replace("      - order.txt\n", "      - order.txt:\n          persist: true\n").replace(
        "echo first > order.txt",
        "echo first >> order.txt",
      ),
    );
    await repro({ targets: ["report"], force: true });
    expect(await readFile(join(root, "reports", "order.txt"), "utf8")).toBe("first\nsecond\nfirst\nsecond\n");
  });

  it("explains each decision: no lock entry, cmd changed, dep missing, always_changed, frozen", async () => {
    let st = await pipelineStatus(await openProject({ root }));
    expect(st.map((s) => s.reasons.map(describeReason)[0])).toEqual([
      "never ran (no entry in dvc.lock)",
      "never ran (no entry in dvc.lock)",
      "never ran (no entry in dvc.lock)",
      "never ran (no entry in dvc.lock)",
    ]);
    await repro();
    await writeFile(
      join(root, "dvc.yaml"),
      DVC_YAML.replace("wc -c < model.txt", "wc -l < model.txt")
        .replace("  report:\n", "  report:\n    always_changed: true\n")
        .replace("  prepare:\n", "  prepare:\n    frozen: true\n"),
    );
    await rm(join(root, "data", "raw.txt"));
    st = await pipelineStatus(await openProject({ root }));
    expect(Object.fromEntries(st.map((s) => [s.name, [s.state, ...s.reasons.map(describeReason)]]))).toEqual({
      prepare: ["frozen", "frozen: never runs"],
      train: ["unchanged"],
      evaluate: ["changed", "command changed"],
      report: ["changed", "always_changed is set", "dependency ../data/raw.txt is missing"],
    });
  });
});
