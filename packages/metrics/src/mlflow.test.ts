import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Git } from "@mlci/git";
import { afterAll, describe, expect, it } from "vitest";
import { TempRepo } from "../../../test/helpers/git-repo";
import { parseMlciConfig } from "./config";
import { latestMetricValue, listMlflowRuns, readMlflow } from "./mlflow";
import { readSnapshot } from "./snapshot";
import { gitRevisionSource, workingTreeSource } from "./source";

interface RunSpec {
  exp: string;
  id: string;
  status?: number;
  start: number;
  end?: number;
  deleted?: boolean;
  commit?: string;
  metrics?: Record<string, string>;
  params?: Record<string, string>;
}

/** Writes an MLflow file store the way MLflow's FileStore lays it out. */
function writeStore(root: string, experiments: Record<string, string>, runs: RunSpec[]): void {
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [id, name] of Object.entries(experiments)) {
    put(
      `mlruns/${id}/meta.yaml`,
      `artifact_location: file:///x/mlruns/${id}\nexperiment_id: '${id}'\nlifecycle_stage: active\nname: ${name}\n`,
    );
  }
  for (const r of runs) {
    const dir = `mlruns/${r.exp}/${r.id}`;
    put(
      `${dir}/meta.yaml`,
      [
        `artifact_uri: file:///x/${dir}/artifacts`,
        `end_time: ${r.end ?? "null"}`,
        "entry_point_name: ''",
        `experiment_id: '${r.exp}'`,
        `lifecycle_stage: ${r.deleted ? "deleted" : "active"}`,
        `run_id: ${r.id}`,
        `run_name: run-${r.id}`,
        `run_uuid: ${r.id}`,
        `start_time: ${r.start}`,
        `status: ${r.status ?? 3}`,
        "tags: []",
        "user_id: ci",
        "",
      ].join("\n"),
    );
    if (r.commit) put(`${dir}/tags/mlflow.source.git.commit`, r.commit);
    put(`${dir}/tags/mlflow.runName`, `run-${r.id}`);
    for (const [k, v] of Object.entries(r.metrics ?? {})) put(`${dir}/metrics/${k}`, v);
    for (const [k, v] of Object.entries(r.params ?? {})) put(`${dir}/params/${k}`, v);
  }
}

describe("metric histories", () => {
  it("takes the highest step, then the latest timestamp, then the larger value", () => {
    expect(latestMetricValue("1000 0.5 0\n1001 0.6 1\n999 0.7 1\n")).toBe(0.6);
    expect(latestMetricValue("1000 0.5 2\n1000 0.4 2\n")).toBe(0.5);
    expect(latestMetricValue("1000 0.5\n900 0.9\n")).toBe(0.5);
    expect(latestMetricValue("1000 nan 3\n")).toBeNaN();
    expect(latestMetricValue("1000 -inf 3\n")).toBe(Number.NEGATIVE_INFINITY);
    expect(latestMetricValue("garbage\n1 2 3 4\n")).toBeUndefined();
  });
});

describe("MLflow file store", () => {
  const root = mkdtempSync(join(tmpdir(), "mlci-mlflow-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  writeStore(root, { "0": "Default", "17": "churn" }, [
    {
      exp: "17",
      id: "aaa",
      start: 100,
      end: 200,
      commit: "1111111111111111111111111111111111111111",
      metrics: { acc: "150 0.80 0\n190 0.82 1\n", "val/loss": "190 0.4 1\n" },
      params: { lr: "0.01", layers: "[64, 32]" },
    },
    {
      exp: "17",
      id: "bbb",
      start: 300,
      end: 400,
      commit: "2222222222222222222222222222222222222222",
      metrics: { acc: "390 0.85 1\n" },
      params: { lr: "0.001" },
    },
    { exp: "17", id: "ccc", start: 500, status: 1, metrics: { acc: "510 0.1 0\n" } },
    { exp: "17", id: "ddd", start: 600, end: 700, deleted: true, metrics: { acc: "1 0.99 0\n" } },
    { exp: "0", id: "eee", start: 50, end: 60, metrics: { x: "1 1 0\n" } },
  ]);
  const store = workingTreeSource(root);

  it("lists live runs with their status, times and commit", async () => {
    const runs = await listMlflowRuns(store);
    expect(runs.map((r) => [r.runId, r.status, r.experimentId]).sort()).toEqual([
      ["aaa", "FINISHED", "17"],
      ["bbb", "FINISHED", "17"],
      ["ccc", "RUNNING", "17"],
      ["eee", "FINISHED", "0"],
    ]);
    expect(runs.find((r) => r.runId === "aaa")).toMatchObject({
      runName: "run-aaa",
      startTime: 100,
      endTime: 200,
    });
  });

  it("picks the latest finished run of an experiment, by id or by name", async () => {
    for (const experiment of ["17", "churn"]) {
      const got = await readMlflow(store, { experiment, select: "latest" });
      expect(got.run?.runId).toBe("bbb");
      expect(got.metrics).toEqual({
        path: "mlruns/17/bbb",
        id: `mlflow:${experiment}`,
        values: { acc: 0.85 },
      });
      expect(got.params.values).toEqual({ lr: "0.001" });
    }
  });

  it("picks the run tagged with the revision's commit, keys with / included", async () => {
    const got = await readMlflow(store, { sha: "1111111111111111111111111111111111111111" });
    expect(got.metrics).toEqual({
      path: "mlruns/17/aaa",
      id: "mlflow",
      values: { acc: 0.82, "val/loss": 0.4 },
    });
    expect(got.params.values).toEqual({ lr: "0.01", layers: "[64, 32]" });
  });

  it("picks a run by id, and says plainly when there is none", async () => {
    expect((await readMlflow(store, { runId: "eee" })).metrics.values).toEqual({ x: 1 });
    const none = await readMlflow(store, {
      experiment: "17",
      sha: "3333333333333333333333333333333333333333",
    });
    expect(none.metrics).toEqual({
      path: "mlruns/17",
      id: "mlflow:17",
      values: {},
      problem: {
        kind: "missing",
        message:
          "no MLflow run in experiment 17 of mlruns/ has the tag mlflow.source.git.commit = 333333333333",
      },
    });
    expect((await readMlflow(store, { runId: "ddd" })).metrics.problem?.message).toBe(
      "MLflow run ddd not found in mlruns/",
    );
  });

  it("reads base and head runs from the working tree's store when the commits do not hold it", async () => {
    const repo = new TempRepo();
    try {
      const c1 = repo.commit("one", { ".gitignore": "mlruns/\n", "train.py": "print(1)\n" });
      const c2 = repo.commit("two", { "train.py": "print(2)\n" });
      writeStore(repo.dir, { "1": "exp" }, [
        { exp: "1", id: "r1", start: 1, end: 2, commit: c1, metrics: { auc: "2 0.7 5\n" } },
        { exp: "1", id: "r2", start: 3, end: 4, commit: c2, metrics: { auc: "4 0.75 5\n" } },
      ]);
      const git = new Git(repo.dir);
      const cfg = parseMlciConfig("mlflow:\n  experiment: exp\n");
      const base = await readSnapshot(gitRevisionSource(git, c1), { ref: "base", sha: c1, config: cfg });
      const head = await readSnapshot(gitRevisionSource(git, c2), { ref: "head", sha: c2, config: cfg });
      expect(base.metrics).toEqual([{ path: "mlruns/1/r1", id: "mlflow:exp", values: { auc: 0.7 } }]);
      expect(head.metrics).toEqual([{ path: "mlruns/1/r2", id: "mlflow:exp", values: { auc: 0.75 } }]);
      const off = await readSnapshot(gitRevisionSource(git, c2), {
        ref: "head",
        sha: c2,
        config: cfg,
        mlflow: false,
      });
      expect(off.metrics).toEqual([]);
    } finally {
      repo.remove();
    }
  });
});
