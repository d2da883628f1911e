import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitEnv } from "../helpers/git-repo";
import { node24 } from "../helpers/node24";

/**
 * scripts/gpu-check.sh --dry-run: the GPU check's plumbing (Node 24 given by path, the runner
 * environment, the action's outputs and run record, the timing and the arithmetic) with a stand-in
 * nvidia-smi and the CPU penguins example, so a GPU session does not find a broken script. A `node`
 * on PATH that fails proves the check needs no Node.js installed (the GPU machine has none).
 */

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "mlci-gpu-check-test-"));
const work = join(dir, "tmp");
const shims = join(dir, "bin");
let run: { code: number; out: string };

function gpuCheck(args: string[], timeout = 120_000) {
  const res = spawnSync("bash", [join(root, "scripts", "gpu-check.sh"), ...args], {
    cwd: root,
    env: { ...gitEnv(), PATH: `${shims}${delimiter}${process.env.PATH}`, TMPDIR: work, MLCI_NODE24: "" },
    encoding: "utf8",
    timeout,
  });
  return { code: res.status ?? 1, out: `${res.stdout}${res.stderr}` };
}

beforeAll(() => {
  mkdirSync(work);
  mkdirSync(shims);
  for (const name of ["node", "npm", "npx"]) {
    writeFileSync(join(shims, name), `#!/bin/sh\necho "${name} from PATH must not be used" >&2\nexit 97\n`);
    chmodSync(join(shims, name), 0o755);
  }
  run = gpuCheck(["--dry-run", "--example", "penguins", "--repeats", "2", "--node", node24()]);
}, 130_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const numbers = (line: string) => [...line.matchAll(/-?\d+\.\d+/g)].map((m) => Number(m[0]));

describe("scripts/gpu-check.sh --dry-run (stand-in nvidia-smi, penguins on the CPU)", () => {
  it("runs both parts with Node 24 given by path, none from PATH", () => {
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("node v24.");
    expect(run.out).not.toContain("must not be used");
    expect(run.out).toContain("DRY RUN: penguins on the CPU and a stand-in nvidia-smi");
    expect(run.out.trimEnd().endsWith("gpu-check: done")).toBe(true);
  });

  it("shows the GPU the action detected, its samples and the metrics the pipeline wrote", () => {
    expect(run.out).toContain("GPU telemetry: 0: DRY RUN stand-in GPU (81559 MiB), driver 0.0");
    expect(run.out).toContain('stages run: ["prepare","train","evaluate"], skipped: []');
    expect(run.out).toMatch(
      /GPU 0: DRY RUN stand-in GPU, [1-9]\d* samples, mean utilisation 50%, peak 50%, peak memory 1024 MiB of 81559 MiB/,
    );
    expect(run.out).toMatch(/metrics\.json: \{\s+"eval": \{\s+"accuracy": 0\.\d+/);
    expect(run.out).toMatch(/\*\*Succeeded\*\* in .+: 3 ran, 0 skipped\./);
  });

  it("times each pair, and the medians and overhead follow from the printed times", () => {
    const pairs = run.out.split("\n").filter((l) => l.startsWith("run "));
    expect(pairs).toHaveLength(2);
    for (const l of pairs)
      expect(l).toMatch(/^run \d: direct \d+\.\d{3} s, action \d+\.\d{3} s \(stage \d+(\.\d+)? s\)$/);
    const line = (prefix: string) => run.out.split("\n").find((l) => l.startsWith(prefix)) ?? "";
    const direct = numbers(line("direct: "));
    const action = numbers(line("action: "));
    expect(direct).toHaveLength(3); // two runs and their median
    expect(action).toHaveLength(3);
    const median = (xs: number[]) => (xs[0]! + xs[1]!) / 2;
    expect(direct[2]).toBeCloseTo(median(direct), 1);
    expect(action[2]).toBeCloseTo(median(action), 1);
    const overhead = line("median overhead: ");
    expect(overhead).toMatch(
      /^median overhead: [+-]\d+\.\d{2}% \([+-]\d+\.\d{2} s\) {2}target < 2%: (MET|MISSED)$/,
    );
    const [percent] = numbers(overhead);
    // The medians are printed to 0.01 s; the script computes from the unrounded times.
    const [d, a] = [direct[2]!, action[2]!];
    const slack = 100 * (a / d) * (0.005 / a + 0.005 / d) + 0.01;
    expect(Math.abs(percent! - ((a - d) / d) * 100)).toBeLessThanOrEqual(slack);
    expect(overhead.endsWith(percent! < 2 ? "MET" : "MISSED")).toBe(true);
    expect(line("outside the stage (action wall - stage duration): median ")).toMatch(/\d+\.\d{2} s$/);
    // The penguins runs last well under a second: the script says the timing is too short to count.
    expect(run.out).toContain("under the 60 s the check asks for");
  });

  it("removes its work folder", () => {
    expect(readdirSync(work)).toEqual([]);
  });

  it("refuses bad arguments with a clear message", () => {
    const unknown = gpuCheck(["--fast"], 10_000);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain("gpu-check: unknown argument --fast");
    const example = gpuCheck(["--example", "penguins", "--node", node24()], 30_000);
    expect(example.code).toBe(2);
    expect(example.out).toContain("--example goes with --dry-run");
    const missing = gpuCheck(["--dry-run", "--example", "nope", "--node", node24()], 30_000);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain("gpu-check: no dvc.yaml in examples/nope");
  });
});
