// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are DVC templates, not JS ones
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MlciError } from "@mlci/common";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ParsingConfig } from "../config";
import { parseDvcYaml } from "./parse";
import type { Stage } from "./types";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "mlci-dvcyaml-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function parse(
  yaml: string,
  files: Record<string, string> = {},
  parsing?: ParsingConfig,
): Promise<Stage[]> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(root, name, ".."), { recursive: true });
    await writeFile(join(root, name), text);
  }
  await writeFile(join(root, "dvc.yaml"), yaml);
  return (await parseDvcYaml(parsing ? { root, parsing } : { root })).stages;
}

function cmds(stages: Stage[]): Record<string, string | string[]> {
  return Object.fromEntries(stages.map((s) => [s.name, s.cmd]));
}

async function error(yaml: string, files: Record<string, string> = {}): Promise<MlciError> {
  try {
    await parse(yaml, files);
  } catch (err) {
    if (err instanceof MlciError) return err;
    throw err;
  }
  throw new Error("expected an error");
}

describe("foreach and matrix", () => {
  it("generates DVC's names and commands for a list, a dict, a list of dicts and a matrix", async () => {
    const stages = await parse(
      `stages:
  simple:
    foreach: [raw, clean, 0.5, 1.0, true]
    do:
      cmd: echo \${item}
  bydict:
    foreach:
      us: {thresh: 10}
      uk: {thresh: 15}
    do:
      cmd: python split.py --region \${key} --thresh \${item.thresh}
      outs: ["out/\${key}.csv"]
  listofdicts:
    foreach:
      - {os: linux, py: 3.8}
      - {os: mac, py: "3.10"}
    do:
      cmd: test \${item.os} \${item.py}
  train:
    matrix:
      model: [cnn, xgb]
      feature: [f1, f2]
    cmd: python train.py \${item.model} \${item.feature} --tag \${key}
  grid:
    matrix:
      cfg: [{lr: 1}, {lr: 2}]
      n: [1, 2]
    cmd: run \${item.cfg.lr} \${item.n}
`,
    );
    expect(cmds(stages)).toEqual({
      "simple@raw": "echo raw",
      "simple@clean": "echo clean",
      "simple@0.5": "echo 0.5",
      "simple@1.0": "echo 1.0",
      "simple@true": "echo true",
      "bydict@us": "python split.py --region us --thresh 10",
      "bydict@uk": "python split.py --region uk --thresh 15",
      "listofdicts@0": "test linux 3.8",
      "listofdicts@1": "test mac 3.10",
      "train@cnn-f1": "python train.py cnn f1 --tag cnn-f1",
      "train@cnn-f2": "python train.py cnn f2 --tag cnn-f2",
      "train@xgb-f1": "python train.py xgb f1 --tag xgb-f1",
      "train@xgb-f2": "python train.py xgb f2 --tag xgb-f2",
      "grid@cfg0-1": "run 1 1",
      "grid@cfg0-2": "run 1 2",
      "grid@cfg1-1": "run 2 1",
      "grid@cfg1-2": "run 2 2",
    });
    expect(stages.find((s) => s.name === "bydict@uk")?.outs[0]?.path).toBe("out/uk.csv");
  });

  it("iterates over ${...} from params.yaml and vars files", async () => {
    const stages = await parse(
      `vars:
  - config.json:regions
stages:
  prep:
    foreach: \${datasets}
    do:
      cmd: prep \${item}
  split:
    foreach: \${regions}
    matrix: null
`.replace("    matrix: null\n", "    do:\n      cmd: split ${key}\n"),
      { "params.yaml": "datasets: [a, b]\n", "config.json": '{"regions": {"eu": 1, "us": 2}, "other": 3}' },
    );
    expect(cmds(stages)).toEqual({
      "prep@a": "prep a",
      "prep@b": "prep b",
      "split@eu": "split eu",
      "split@us": "split us",
    });
  });
});

describe("interpolation", () => {
  it("keeps types for exact ${x}, writes booleans as true/false, unescapes \\${", async () => {
    const stages = await parse(
      `vars:
  - flags: {on: true, off: false}
    epochs: 10
    lr: 0.00001
    ratio: 1.0
stages:
  s:
    cmd: train --on \${flags.on} --off \${flags.off} --epochs \${epochs} --lr \${lr} --ratio \${ratio} --lit \\\${epochs}
    frozen: true
    deps: ["data/\${epochs}.csv"]
`,
    );
    expect(stages[0]?.cmd).toBe(
      "train --on true --off false --epochs 10 --lr 1e-05 --ratio 1.0 --lit ${epochs}",
    );
    expect(stages[0]?.frozen).toBe(true);
    expect(stages[0]?.deps).toEqual(["data/10.csv"]);
  });

  it("expands dicts in cmd following [parsing] bool and list", async () => {
    const params = `train:
  epochs: 10
  lr: 0.001
  layers: [64, 32]
  verbose: true
  quiet: false
  name: "my model"
  opt: {name: adam, beta: 0.9}
`;
    const yaml = "stages:\n  t:\n    cmd: python train.py ${train}\n";
    expect((await parse(yaml, { "params.yaml": params }))[0]?.cmd).toBe(
      "python train.py --epochs 10 --lr 0.001 --layers 64 32 --verbose --name 'my model' --opt.name adam --opt.beta 0.9",
    );
    expect((await parse(yaml, {}, { bool: "boolean_optional", list: "append" }))[0]?.cmd).toBe(
      "python train.py --epochs 10 --lr 0.001 --layers 64 --layers 32 --verbose --no-quiet --name 'my model' --opt.name adam --opt.beta 0.9",
    );
  });

  it("resolves list cmd, per-stage vars relative to wdir, and wdir", async () => {
    const stages = await parse(
      `stages:
  build:
    wdir: sub
    vars:
      - local.yaml
      - {extra: x}
    cmd:
      - make \${target}
      - echo \${extra}
    deps: [src]
    params:
      - lr
      - other.toml: [a.b]
      - whole.json:
    outs:
      - out.bin
      - model.pkl: {cache: false, persist: true}
    metrics:
      - m.json: {cache: false}
    plots:
      - p.csv: {x: step, y: loss}
    always_changed: true
`,
      { "sub/local.yaml": "target: all\n" },
    );
    const s = stages[0] as Stage;
    expect(s.cmd).toEqual(["make all", "echo x"]);
    expect(s.wdir).toBe("sub");
    expect(s.params).toEqual([
      { file: "params.yaml", keys: ["lr"] },
      { file: "other.toml", keys: ["a.b"] },
      { file: "whole.json", keys: null },
    ]);
    expect(s.outs.map((o) => [o.path, o.kind, o.cache, o.persist])).toEqual([
      ["out.bin", "out", true, false],
      ["model.pkl", "out", false, true],
      ["m.json", "metric", false, false],
      ["p.csv", "plot", true, false],
    ]);
    expect(s.alwaysChanged).toBe(true);
  });
});

describe("errors name the file, the line and the key", () => {
  it("reports a missing variable", async () => {
    const err = await error("stages:\n  a:\n    cmd: echo ok\n  b:\n    cmd: echo ${nope}\n");
    expect(err.location).toEqual({ file: "dvc.yaml", line: 5, key: "stages.b.cmd" });
    expect(err.message).toContain("Could not find 'nope'");
  });

  it("reports schema errors: unknown keys, missing cmd, wrong types", async () => {
    let err = await error("stages:\n  a:\n    cmd: x\n    dep: [y]\n");
    expect(err.location).toMatchObject({ line: 4, key: "stages.a.dep" });
    err = await error("stages:\n  a:\n    deps: [y]\n");
    expect(err.message).toContain("missing required key 'cmd'");
    expect(err.location).toMatchObject({ line: 2, key: "stages.a" });
    err = await error("stages:\n  a:\n    cmd: x\n    outs:\n      - m: {cache: 'no'}\n");
    expect(err.location).toMatchObject({ line: 5, key: "stages.a.outs[0].m.cache" });
    err = await error("stages:\n  a:\n    cmd: x\n    frozen: yes\n");
    expect(err.location).toMatchObject({ line: 4, key: "stages.a.frozen" });
  });

  it("reports interpolating a list, a redefined var, a bad expression and bad YAML", async () => {
    let err = await error("vars:\n  - {l: [1, 2]}\nstages:\n  a:\n    cmd: echo ${l}\n");
    expect(err.message).toContain("Cannot interpolate data of type 'list'");
    err = await error("vars:\n  - {x: 1}\n  - {x: 2}\nstages: {}\n");
    expect(err.message).toContain("cannot redefine 'x'");
    expect(err.location).toMatchObject({ line: 3, key: "vars[1]" });
    err = await error("stages:\n  a:\n    cmd: echo ${a..b}\n");
    expect(err.location).toMatchObject({ line: 3, key: "stages.a.cmd" });
    err = await error("stages:\n  a:\n    cmd: [unclosed\n");
    expect(err.location?.file).toBe("dvc.yaml");
    err = await error("stages:\n  a:\n    cmd: x\n", { "params.yaml": "p: 1\n" }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it("refuses .py params files clearly", async () => {
    const err = await error("vars: [params.py]\nstages: {}\n", { "params.py": "x = 1\n" });
    expect(err.message).toContain(".py");
  });
});
