import { MlciError } from "@mlci/common";
import { Git } from "@mlci/git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TempRepo } from "../../../test/helpers/git-repo";
import { parseMlciConfig } from "./config";
import { diffSnapshots } from "./diff";
import { plotDiffs } from "./plots";
import { resolveBase } from "./resolve-base";
import { readSnapshot } from "./snapshot";
import { gitRevisionSource, workingTreeSource } from "./source";

const DVC_YAML = `stages:
  train:
    cmd: python train.py
    params:
      - train.lr
      - train.epochs
    metrics:
      - metrics.json:
          cache: false
    plots:
      - logs/train.csv:
          x: epoch
          y: [loss]
plots:
  - Accuracy:
      x: epoch
      y:
        logs/acc.json: acc
`;

const csv = (losses: number[]) => `epoch,loss\n${losses.map((l, i) => `${i},${l}`).join("\n")}\n`;
const accJson = (accs: number[]) => JSON.stringify({ train: accs.map((acc, epoch) => ({ epoch, acc })) });

describe("reading two revisions of a real repository", () => {
  const repo = new TempRepo();
  const git = new Git(repo.dir);
  let fork = "";
  let featureTip = "";
  let mainTip = "";

  beforeAll(() => {
    fork = repo.commit("train v1", {
      "dvc.yaml": DVC_YAML,
      "params.yaml": "train:\n  lr: 0.01\n  epochs: 5\n  seed: 1\nunrelated: x\n",
      "metrics.json": JSON.stringify({ eval: { acc: 0.8, loss: 0.5 }, model: "cnn" }),
      "logs/train.csv": csv([1, 0.7, 0.5]),
      "logs/acc.json": accJson([0.5, 0.7, 0.8]),
      "reports/latency.csv": "metric,value\nlatency_ms,120\n",
    });
    repo.git("checkout", "-q", "-b", "feature");
    featureTip = repo.commit("train v2", {
      "params.yaml": "train:\n  lr: 0.001\n  epochs: 5\n  seed: 2\nunrelated: y\n",
      "metrics.json": JSON.stringify({ eval: { acc: 0.86, loss: 0.55, f1: 0.8 } }),
      "logs/train.csv": csv([1, 0.6, 0.4, 0.3]),
      "reports/latency.csv": "metric,value\nlatency_ms,121\n",
    });
    repo.git("checkout", "-q", "main");
    mainTip = repo.commit("unrelated change on main", {
      "metrics.json": JSON.stringify({ eval: { acc: 0.99, loss: 0.01 }, model: "cnn" }),
    });
    repo.git("checkout", "-q", "feature");
  });
  afterAll(() => repo.remove());

  it("compares the feature branch with its merge-base, not the base branch's tip", async () => {
    const revs = await resolveBase(git, { baseRef: "main", headRef: "feature" });
    expect(revs).toEqual({ base: fork, head: featureTip, baseRef: "main", baseTip: mainTip });

    const config = parseMlciConfig('metrics:\n  files: ["reports/*.csv"]\n  noise: { "latency_*": "2%" }\n');
    const base = await readSnapshot(gitRevisionSource(git, revs.base), {
      ref: "main",
      sha: revs.base,
      config,
    });
    const head = await readSnapshot(gitRevisionSource(git, revs.head), {
      ref: "feature",
      sha: revs.head,
      config,
    });
    expect(base.metrics).toEqual([
      { path: "metrics.json", values: { "eval.acc": 0.8, "eval.loss": 0.5, model: "cnn" } },
      { path: "reports/latency.csv", values: { latency_ms: 120 } },
    ]);
    expect(base.sha).toBe(fork);

    const diff = diffSnapshots(base, head, config);
    expect(diff.metrics.map((r) => `${r.status} ${r.path}:${r.key}`)).toEqual([
      "regressed metrics.json:eval.loss",
      "improved metrics.json:eval.acc",
      "added metrics.json:eval.f1",
      "removed metrics.json:model",
      "unchanged reports/latency.csv:latency_ms",
    ]);
    expect(diff.counts).toMatchObject({ improved: 1, regressed: 1, added: 1, removed: 1, unchanged: 1 });
    // The root params.yaml is shown whole, as `dvc params diff` does.
    expect(diff.params.map((r) => `${r.status} ${r.key}`)).toEqual([
      "changed train.lr",
      "changed train.seed",
      "changed unrelated",
      "unchanged train.epochs",
    ]);

    const plots = plotDiffs(base.plots, head.plots);
    expect(plots.map((p) => [p.id, p.x, p.y, p.base?.length, p.head?.length])).toEqual([
      ["Accuracy", "epoch", ["acc"], 3, 3],
      ["logs/train.csv", "epoch", ["loss"], 3, 4],
    ]);
    expect(plots[1]?.head?.[3]).toEqual({ epoch: 3, loss: 0.3 });
  });

  it("prefers origin/<base> when the remote-tracking branch exists", async () => {
    repo.git("update-ref", "refs/remotes/origin/main", fork);
    try {
      const revs = await resolveBase(git, { baseRef: "main", headRef: "HEAD" });
      expect(revs).toMatchObject({ baseRef: "origin/main", baseTip: fork, base: fork, head: featureTip });
    } finally {
      repo.git("update-ref", "-d", "refs/remotes/origin/main");
    }
  });

  it("tells users to fetch the base branch when it is not there", async () => {
    const err = await resolveBase(git, { baseRef: "develop" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlciError);
    expect((err as MlciError).code).toBe("NOT_FOUND");
    expect((err as MlciError).message).toBe(
      'base branch "develop" not found (tried origin/develop, develop)',
    );
    expect((err as MlciError).hint).toMatch(/fetch-depth: 0/);
  });

  it("says there is no merge base for unrelated histories", async () => {
    repo.git("checkout", "-q", "--orphan", "lonely");
    const lonely = repo.commit("root", { "x.txt": "x" });
    repo.git("checkout", "-q", "feature");
    const err = await resolveBase(git, { baseRef: lonely }).catch((e: unknown) => e);
    expect((err as MlciError).message).toMatch(/^no merge base between .* and HEAD: they share no history$/);
  });

  it("reads the working tree, with uncommitted changes, the same way", async () => {
    repo.write({ "metrics.json": JSON.stringify({ eval: { acc: 0.9 } }) });
    const snap = await readSnapshot(workingTreeSource(repo.dir), { ref: "workspace" });
    expect(snap.metrics).toEqual([{ path: "metrics.json", values: { "eval.acc": 0.9 } }]);
    expect(snap.sha).toBeUndefined();
    expect(snap.params[0]?.values).toMatchObject({ "train.lr": 0.001 });
    repo.git("checkout", "--", "metrics.json");
  });

  it("reports a plots file that does not parse, and a dvc.yaml that does not", async () => {
    const bad = repo.commit("bad", { "logs/train.csv": 'epoch,loss\n1,"2\n', "sub/dvc.yaml": "stages: [\n" });
    const snap = await readSnapshot(gitRevisionSource(git, bad), { ref: "bad" });
    expect(snap.problems).toEqual([
      { path: "sub/dvc.yaml", kind: "parse-error", message: expect.stringMatching(/^line \d+: /) },
      {
        path: "logs/train.csv",
        kind: "parse-error",
        message: "plot logs/train.csv: line 2: a quoted field is not closed",
      },
    ]);
  });
});
