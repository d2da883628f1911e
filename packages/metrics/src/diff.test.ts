import { describe, expect, it } from "vitest";
import { diffSnapshots } from "./diff";
import { plotDiffs } from "./plots";
import type { FlatValues, PlotData, RevisionSnapshot, ValuesFile } from "./types";

function snap(
  metrics: Record<string, FlatValues | ValuesFile["problem"]>,
  params: Record<string, FlatValues> = {},
) {
  const files = (m: Record<string, FlatValues | ValuesFile["problem"]>): ValuesFile[] =>
    Object.entries(m).map(([path, v]) =>
      v && "kind" in v && "message" in v && typeof v.kind === "string"
        ? { path, values: {}, problem: v as NonNullable<ValuesFile["problem"]> }
        : { path, values: v as FlatValues },
    );
  return { ref: "x", metrics: files(metrics), params: files(params), plots: [] } satisfies RevisionSnapshot;
}

describe("diffSnapshots", () => {
  it("gives old, new, change, relative change and a status from the direction", () => {
    const d = diffSnapshots(
      snap({ "m.json": { acc: 0.8, loss: 0.5, f1: 0.7 } }),
      snap({ "m.json": { acc: 0.9, loss: 0.6, f1: 0.7 } }),
    );
    expect(d.metrics).toEqual([
      {
        path: "m.json",
        key: "loss",
        old: 0.5,
        new: 0.6,
        abs: expect.closeTo(0.1, 10),
        rel: expect.closeTo(0.2, 10),
        direction: "lower",
        directionSource: "inferred",
        status: "regressed",
      },
      {
        path: "m.json",
        key: "acc",
        old: 0.8,
        new: 0.9,
        abs: expect.closeTo(0.1, 10),
        rel: expect.closeTo(0.125, 10),
        direction: "higher",
        directionSource: "default",
        status: "improved",
      },
      {
        path: "m.json",
        key: "f1",
        old: 0.7,
        new: 0.7,
        abs: 0,
        rel: 0,
        direction: "higher",
        directionSource: "default",
        status: "unchanged",
      },
    ]);
    expect(d.counts).toEqual({
      improved: 1,
      regressed: 1,
      unchanged: 1,
      added: 0,
      removed: 0,
      changed: 0,
      unavailable: 0,
    });
  });

  it("leaves out the relative change when old is 0, and handles negative olds", () => {
    const d = diffSnapshots(snap({ "m.json": { a: 0, b: -2 } }), snap({ "m.json": { a: 1, b: -1 } }));
    const [a, b] = [d.metrics.find((r) => r.key === "a")!, d.metrics.find((r) => r.key === "b")!];
    expect(a.rel).toBeUndefined();
    expect(a.abs).toBe(1);
    expect(b.rel).toBe(0.5);
    expect(b.status).toBe("improved");
  });

  it("counts changes within the noise band as unchanged, absolute or relative", () => {
    const config = { metrics: { noise: { default: 0.01, "latency_*": "5%", exact: 0.001 } } };
    const d = diffSnapshots(
      snap({ "m.json": { acc: 0.8, latency_ms: 100, exact: 0.8, big: 1 } }),
      snap({ "m.json": { acc: 0.805, latency_ms: 104, exact: 0.801, big: 1.5 } }),
      config,
    );
    const by = (k: string) => d.metrics.find((r) => r.key === k)!;
    expect(by("acc")).toMatchObject({ status: "unchanged", withinNoise: true });
    expect(by("latency_ms")).toMatchObject({ status: "unchanged", withinNoise: true, abs: 4 });
    expect(by("exact")).toMatchObject({ status: "unchanged", withinNoise: true });
    expect(by("big")).toMatchObject({ status: "improved" });
    expect(by("big").withinNoise).toBeUndefined();
  });

  it("uses the configured direction", () => {
    const d = diffSnapshots(snap({ "m.json": { loss: 1 } }), snap({ "m.json": { loss: 2 } }), {
      metrics: { direction: { loss: "higher" } },
    });
    expect(d.metrics[0]).toMatchObject({
      status: "improved",
      direction: "higher",
      directionSource: "config",
    });
  });

  it("handles added, removed and non-numeric values, NaN and Infinity", () => {
    const base = snap({
      "m.json": { gone: 1, model: "a", same: "x", flag: true, nan: Number.NaN, inf: 1, nul: null },
    });
    const head = snap({
      "m.json": {
        new: 2,
        model: "b",
        same: "x",
        flag: true,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        nul: null,
      },
    });
    const d = diffSnapshots(base, head);
    const status = Object.fromEntries(d.metrics.map((r) => [r.key, r.status]));
    expect(status).toEqual({
      gone: "removed",
      new: "added",
      model: "changed",
      same: "unchanged",
      flag: "unchanged",
      nan: "unchanged",
      inf: "changed",
      nul: "unchanged",
    });
    expect(d.metrics.find((r) => r.key === "inf")?.abs).toBeUndefined();
    expect(d.metrics.find((r) => r.key === "gone")).toMatchObject({ old: 1, new: undefined });
  });

  it("sorts regressed, improved, changed, added, removed, unchanged, then path and key", () => {
    const d = diffSnapshots(
      snap({ "b.json": { loss: 1, acc: 1, s: "x", r: 1, u: 1 }, "a.json": { loss: 1, acc: 1 } }),
      snap({ "b.json": { loss: 2, acc: 2, s: "y", n: 1, u: 1 }, "a.json": { loss: 2, acc: 2 } }),
    );
    expect(d.metrics.map((r) => `${r.status} ${r.path}:${r.key}`)).toEqual([
      "regressed a.json:loss",
      "regressed b.json:loss",
      "improved a.json:acc",
      "improved b.json:acc",
      "changed b.json:s",
      "added b.json:n",
      "removed b.json:r",
      "unchanged b.json:u",
    ]);
  });

  it("diffs params with changed, added and removed keys first", () => {
    const d = diffSnapshots(
      snap({}, { "params.yaml": { "train.lr": 0.01, "train.epochs": 10, "train.seed": 1, old: "x" } }),
      snap({}, { "params.yaml": { "train.lr": 0.001, "train.epochs": 10, "train.seed": 1, added: true } }),
    );
    expect(d.params.map((r) => `${r.status} ${r.key}`)).toEqual([
      "added added",
      "removed old",
      "changed train.lr",
      "unchanged train.epochs",
      "unchanged train.seed",
    ]);
  });

  it("collects file problems per side and marks rows of an unreadable file unavailable", () => {
    const notInCache = {
      kind: "not-in-cache" as const,
      message: "DVC-cached (md5 abc) and not in the local cache",
    };
    const d = diffSnapshots(
      snap({ "eval.json": notInCache, "new.json": { kind: "missing", message: "not found at base" } }),
      snap({ "eval.json": { acc: 0.9 }, "new.json": { f1: 0.5 } }),
    );
    expect(d.problems).toEqual([
      { side: "base", path: "eval.json", kind: "not-in-cache", message: notInCache.message },
      { side: "base", path: "new.json", kind: "missing", message: "not found at base" },
    ]);
    expect(d.metrics.find((r) => r.path === "eval.json")).toMatchObject({
      status: "added",
      unavailable: "base",
    });
    expect(d.metrics.find((r) => r.path === "new.json")).toMatchObject({ status: "added" });
    expect(d.metrics.find((r) => r.path === "new.json")?.unavailable).toBeUndefined();
    expect(d.counts).toMatchObject({ added: 1, unavailable: 1 });
  });

  it("pairs files by id, so MLflow runs with different ids compare", () => {
    const base: RevisionSnapshot = {
      ref: "b",
      metrics: [{ path: "mlruns/0/r1", id: "mlflow", values: { acc: 1 } }],
      params: [],
      plots: [],
    };
    const head: RevisionSnapshot = {
      ref: "h",
      metrics: [{ path: "mlruns/0/r2", id: "mlflow", values: { acc: 2 } }],
      params: [],
      plots: [],
    };
    expect(diffSnapshots(base, head).metrics).toMatchObject([
      { path: "mlruns/0/r2", key: "acc", status: "improved" },
    ]);
  });

  it("reports snapshot-level problems with their side", () => {
    const head: RevisionSnapshot = {
      ...snap({}),
      problems: [{ path: "dvc.yaml", kind: "parse-error", message: "line 2: bad" }],
    };
    expect(diffSnapshots(snap({}), head).problems).toEqual([
      { side: "head", path: "dvc.yaml", kind: "parse-error", message: "line 2: bad" },
    ]);
  });
});

describe("plotDiffs", () => {
  const plot = (id: string, y: string[], rows: PlotData["rows"]): PlotData => ({
    id,
    path: `${id}.csv`,
    x: "step",
    y,
    rows,
  });
  it("pairs plots by id, with null for a side that lacks one", () => {
    const d = plotDiffs(
      [plot("loss", ["loss"], [{ step: 0, loss: 1 }]), plot("old", ["a"], [])],
      [plot("loss", ["loss", "val_loss"], [{ step: 0, loss: 0.5, val_loss: 0.6 }]), plot("acc", ["acc"], [])],
    );
    expect(d.map((p) => [p.id, p.base === null, p.head === null])).toEqual([
      ["acc", true, false],
      ["loss", false, false],
      ["old", false, true],
    ]);
    expect(d[1]?.y).toEqual(["loss", "val_loss"]);
  });
});
