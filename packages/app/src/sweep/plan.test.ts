import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildGraph, parseDvcYamlText } from "@mlci/pipeline";
import { describe, expect, it } from "vitest";
import { planShards } from "./plan";
import { sweepUnits } from "./units";

const root = mkdtempSync(join(tmpdir(), "mlci-plan-"));

async function graphOf(yaml: string) {
  return buildGraph(await parseDvcYamlText(yaml, { root }));
}

const SWEEP = `
stages:
  prepare:
    cmd: prep
    deps: [raw.csv]
    outs: [prepared]
  train:
    matrix:
      lr: [1, 2, 3]
      l2: [a, b]
    cmd: train \${item.lr} \${item.l2}
    deps: [prepared]
    outs:
      - runs/\${item.lr}-\${item.l2}/model
  evaluate:
    matrix:
      lr: [1, 2, 3]
      l2: [a, b]
    cmd: eval
    deps:
      - runs/\${item.lr}-\${item.l2}/model
    metrics:
      - runs/\${item.lr}-\${item.l2}/metrics.json
  compare:
    cmd: compare
    deps: [runs]
    outs: [comparison.csv]
  lint:
    cmd: lint
    deps: [raw.csv]
    outs: [lint.txt]
`;

describe("sweep units", () => {
  it("makes one run per matrix root, with the stages only it feeds", async () => {
    const graph = await graphOf(SWEEP);
    const { units, shared, after } = sweepUnits(
      graph,
      graph.order.map((n) => graph.byName.get(n)!),
    );
    expect(shared).toEqual(["prepare"]);
    expect(after).toEqual(["compare"]);
    expect(units.filter((u) => u.kind === "run").map((u) => u.stages)).toEqual([
      ["train@1-a", "evaluate@1-a"],
      ["train@1-b", "evaluate@1-b"],
      ["train@2-a", "evaluate@2-a"],
      ["train@2-b", "evaluate@2-b"],
      ["train@3-a", "evaluate@3-a"],
      ["train@3-b", "evaluate@3-b"],
    ]);
    expect(units.filter((u) => u.kind === "chain")).toEqual([
      { name: "lint", kind: "chain", stages: ["lint"] },
    ]);
  });

  it("keeps a pipeline without foreach or matrix together as one chain", async () => {
    const graph = await graphOf(`
stages:
  a: { cmd: a, deps: [x], outs: [y] }
  b: { cmd: b, deps: [y], outs: [z] }
  c: { cmd: c, deps: [z], outs: [w] }
`);
    const plan = planShards(graph, { shards: 4 });
    expect(plan.matrix).toEqual({ include: [{ shard: 0, stages: ["a", "b", "c"] }] });
  });
});

describe("planShards", () => {
  it("balances runs over the shards, largest first, in pipeline order within a shard", async () => {
    const plan = planShards(await graphOf(SWEEP), { shards: 3 });
    expect(plan.matrix.include).toEqual([
      { shard: 0, stages: ["train@1-a", "train@2-b", "evaluate@1-a", "evaluate@2-b", "lint"] },
      { shard: 1, stages: ["train@1-b", "train@3-a", "evaluate@1-b", "evaluate@3-a"] },
      { shard: 2, stages: ["train@2-a", "train@3-b", "evaluate@2-a", "evaluate@3-b"] },
    ]);
    const all = plan.matrix.include.flatMap((e) => e.stages).sort();
    expect(new Set(all).size).toBe(all.length); // every stage in exactly one shard
  });

  it("uses no more shards than there are units, and plans only the targets", async () => {
    const graph = await graphOf(SWEEP);
    const plan = planShards(graph, { shards: 10, targets: ["evaluate"] });
    expect(plan.matrix.include).toHaveLength(6);
    expect(plan.after).toEqual([]);
    expect(plan.matrix.include.map((e) => e.stages.length)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it("refuses a shard count that is not a positive whole number", async () => {
    const graph = await graphOf(SWEEP);
    expect(() => planShards(graph, { shards: 0 })).toThrow(/--shards must be a whole number/);
    expect(() => planShards(graph, { shards: Number.NaN })).toThrow(/--shards/);
  });
});
