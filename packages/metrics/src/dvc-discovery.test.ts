import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discover, expandUserPath } from "./dvc-discovery";
import { memorySource, workingTreeSource } from "./source";

/** A dvc.yaml template expression, `${expr}`, written so it reads as one. */
const T = (expr: string) => `\${${expr}}`;

const DVC_YAML = `vars:
  - config/vars.yaml
  - report_dir: reports
stages:
  prepare:
    cmd: python prepare.py
    params:
      - prepare.split
      - prepare.seed
  train:
    cmd: python train.py
    wdir: training
    params:
      - train.lr
      - config/model.json:
          - layers
      - config/extra.toml:
    metrics:
      - logs/metrics.json:
          cache: false
    plots:
      - logs/loss.csv:
          x: epoch
          y: [loss, val_loss]
          title: Loss
  evaluate:
    foreach: \${datasets}
    do:
      cmd: python eval.py \${item}
      metrics:
        - \${report_dir}/eval_\${item}.json
  broken:
    cmd: echo
    metrics:
      - out/\${nope}/m.json
metrics:
  - summary.json
  - reports/folder
params:
  - global.yaml
plots:
  - plots/roc.json:
      x: fpr
      y: tpr
  - Precision-Recall:
      x: recall
      y:
        plots/prc_train.json: precision
        plots/prc_test.json: [precision]
  - plots/images/confusion.png
`;

const FILES = {
  "dvc.yaml": DVC_YAML,
  "params.yaml": "prepare: {split: 0.2, seed: 1}\ntrain: {lr: 0.01}\ndatasets: [val, test]\n",
  "config/vars.yaml": "nope_not_here: 1\n",
  "reports/folder/a.json": "{}",
  "reports/folder/b.csv": "a\n1\n",
  "reports/folder/readme.md": "x",
  "sub/dvc.yaml": "stages:\n  s:\n    cmd: x\n    metrics: [m.yaml]\n    params: [{p.yaml: null}]\n",
};

describe("discover", () => {
  it("reads top-level and stage declarations, wdir, templates, foreach and nested dvc.yaml", async () => {
    const found = await discover(memorySource(FILES));
    expect(found.metrics).toEqual([
      "summary.json",
      "reports/folder/a.json",
      "reports/folder/b.csv",
      "training/logs/metrics.json",
      "reports/eval_val.json",
      "reports/eval_test.json",
      "sub/m.yaml",
    ]);
    expect(found.params).toEqual([
      { path: "global.yaml", keys: null },
      { path: "params.yaml", keys: null },
      { path: "training/params.yaml", keys: ["train.lr"] },
      { path: "training/config/model.json", keys: ["layers"] },
      { path: "training/config/extra.toml", keys: null },
      { path: "sub/p.yaml", keys: null },
    ]);
    expect(found.plots).toEqual([
      { id: "plots/roc.json", path: "plots/roc.json", x: "fpr", y: ["tpr"] },
      {
        id: "Precision-Recall (plots/prc_train.json)",
        path: "plots/prc_train.json",
        x: "recall",
        y: ["precision"],
      },
      {
        id: "Precision-Recall (plots/prc_test.json)",
        path: "plots/prc_test.json",
        x: "recall",
        y: ["precision"],
      },
      { id: "plots/images/confusion.png", path: "plots/images/confusion.png" },
      {
        id: "training/logs/loss.csv",
        path: "training/logs/loss.csv",
        x: "epoch",
        y: ["loss", "val_loss"],
        title: "Loss",
      },
    ]);
    expect(found.problems).toEqual([
      {
        path: `out/${T("nope")}/m.json`,
        kind: "unreadable",
        message: `dvc.yaml (stage broken): the path template \`out/${T("nope")}/m.json\` could not be resolved from vars or params.yaml`,
        category: "metrics",
      },
    ]);
  });

  it("tracks only the listed keys of params.yaml when it is not the root one", async () => {
    const found = await discover(
      memorySource({
        "proj/dvc.yaml":
          "stages:\n  a:\n    cmd: x\n    params: [lr, model.depth]\n  b:\n    cmd: y\n    params: [lr]\n",
      }),
    );
    expect(found.params).toEqual([{ path: "proj/params.yaml", keys: ["lr", "model.depth"] }]);
  });

  it("reports a dvc.yaml that does not parse, and still reads the others", async () => {
    const found = await discover(
      memorySource({ "dvc.yaml": "stages:\n  a: [\n", "b/dvc.yaml": "metrics: [m.json]\n" }),
    );
    expect(found.metrics).toEqual(["b/m.json"]);
    expect(found.problems).toEqual([
      {
        path: "dvc.yaml",
        kind: "parse-error",
        message: expect.stringMatching(/^line \d+: /),
        category: "metrics",
      },
    ]);
  });

  it("uses a stage's own inline vars", async () => {
    const yaml =
      "stages:\n  s:\n    vars:\n      - out: results\n    cmd: x\n    metrics:\n" +
      `      - ${T("out")}/m.json\n`;
    expect((await discover(memorySource({ "dvc.yaml": yaml }))).metrics).toEqual(["results/m.json"]);
  });

  it("expands matrix stages", async () => {
    const yaml =
      "stages:\n  t:\n    matrix:\n      model: [cnn, mlp]\n      seed: [1, 2]\n    cmd: x\n    metrics:\n" +
      `      - out/${T("item.model")}-${T("item.seed")}.json\n`;
    const found = await discover(memorySource({ "dvc.yaml": yaml }));
    expect(found.metrics).toEqual(["out/cnn-1.json", "out/cnn-2.json", "out/mlp-1.json", "out/mlp-2.json"]);
  });

  it("adds the user's paths and globs, and can skip dvc.yaml", async () => {
    const src = memorySource({ ...FILES, "reports/x.json": "{}", "reports/y.json": "{}", "hp.toml": "a=1" });
    const found = await discover(src, {
      dvc: false,
      metrics: ["reports/*.json", "later.json"],
      params: ["hp.toml"],
    });
    expect(found.metrics).toEqual(["reports/x.json", "reports/y.json", "later.json"]);
    expect(found.params).toEqual([{ path: "hp.toml", keys: null }]);
    expect(expandUserPath("./reports/**/*.csv", ["reports/folder/b.csv", "x.csv"])).toEqual([
      "reports/folder/b.csv",
    ]);
  });
});

describe("workingTreeSource", () => {
  const root = mkdtempSync(join(tmpdir(), "mlci-wt-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it("walks the tree, skipping .git, node_modules and the DVC cache, following file links", async () => {
    put("dvc.yaml", "metrics: [m.json]\n");
    put("m.json", '{"a": 1}');
    put(".git/config", "x");
    put("node_modules/p/index.json", "{}");
    put(".dvc/cache/files/md5/ab/cdef", "x");
    put(".dvc/config", "");
    put("deep/er/x.csv", "a\n1\n");
    symlinkSync(join(root, "m.json"), join(root, "link.json"));
    symlinkSync(root, join(root, "loop"));
    const src = workingTreeSource(root);
    expect(await src.listFiles()).toEqual([
      ".dvc/config",
      "deep/er/x.csv",
      "dvc.yaml",
      "link.json",
      "m.json",
    ]);
    expect((await src.readFile("./m.json"))?.toString()).toBe('{"a": 1}');
    expect(await src.readFile("missing.json")).toBeNull();
    expect(await src.readFile("../outside")).toBeNull();
    expect(await src.readFile("deep")).toBeNull();
  });
});
