import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mlci } from "../helpers/pipeline-project";

// foreach over a list, a dict and a list of dicts, and a matrix of two variables, with values from
// params.yaml and inline vars; the names and commands are those `dvc status` / `dvc.lock` show.
const DVC_YAML = `vars:
  - models: [cnn, xgb]
stages:
  clean:
    foreach: [raw, 0.5, true]
    do:
      cmd: echo \${item}
  split:
    foreach: \${regions}
    do:
      cmd: python split.py --region \${key} --thresh \${item.thresh}
      outs:
        - out/\${key}.csv
  test:
    foreach:
      - {os: linux, py: 3.11}
      - {os: mac, py: "3.10"}
    do:
      cmd: tox -e \${item.os}-\${item.py}
  train:
    matrix:
      model: \${models}
      lr: [0.1, 0.01]
    cmd: python train.py --model \${item.model} --lr \${item.lr} --out \${key}
    deps:
      - out/us.csv
`;

const PARAMS = `regions:
  us: {thresh: 10}
  uk: {thresh: 15}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-templating-"));
  writeFileSync(join(dir, "dvc.yaml"), DVC_YAML);
  writeFileSync(join(dir, "params.yaml"), PARAMS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("templating through the CLI (mlci status --json, mlci dag)", () => {
  it("foreach and matrix give DVC's stage names and resolved commands", () => {
    const out = mlci(dir, ["status", "--json"]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    const stages = JSON.parse(out.stdout).stages as Array<{ name: string; cmd: string }>;
    expect(Object.fromEntries(stages.map((s) => [s.name, s.cmd]))).toEqual({
      "clean@raw": "echo raw",
      "clean@0.5": "echo 0.5",
      "clean@true": "echo true",
      "split@us": "python split.py --region us --thresh 10",
      "split@uk": "python split.py --region uk --thresh 15",
      "test@0": "tox -e linux-3.11",
      "test@1": "tox -e mac-3.10",
      "train@cnn-0.1": "python train.py --model cnn --lr 0.1 --out cnn-0.1",
      "train@cnn-0.01": "python train.py --model cnn --lr 0.01 --out cnn-0.01",
      "train@xgb-0.1": "python train.py --model xgb --lr 0.1 --out xgb-0.1",
      "train@xgb-0.01": "python train.py --model xgb --lr 0.01 --out xgb-0.01",
    });
  });

  it("mlci dag orders generated stages after the stage whose output they read", () => {
    const text = mlci(dir, ["dag"]).stdout.trim().split("\n");
    expect(text).toContain("train@cnn-0.1 <- split@us");
    expect(text.indexOf("split@us")).toBeLessThan(text.indexOf("train@cnn-0.1 <- split@us"));
    const mermaid = mlci(dir, ["dag", "--mermaid"]).stdout;
    expect(mermaid.startsWith("flowchart TD\n")).toBe(true);
    expect(mermaid).toContain('["train@xgb-0.01"]');
    expect(mermaid).toMatch(/s\d+ --> s\d+/);
  });

  it("a status target may name a foreach group", () => {
    const out = JSON.parse(mlci(dir, ["status", "split", "--json"]).stdout);
    expect(out.stages.map((s: { name: string }) => s.name)).toEqual(["split@us", "split@uk"]);
  });
});
