import { describe, expect, it } from "vitest";
import type { Pipeline, Stage } from "./dvc-yaml/types";
import { buildGraph, dagMermaid, dagText, repoPath, selectStages } from "./graph";

function stage(name: string, deps: string[], outs: string[], wdir = "."): Stage {
  return {
    name,
    cmd: `run ${name}`,
    wdir,
    deps,
    params: [],
    outs: outs.map((path) => ({ path, kind: "out", cache: true, persist: false, push: true })),
    frozen: false,
    alwaysChanged: false,
    source: { file: "dvc.yaml", line: 1, key: `stages.${name}` },
  };
}

function pipeline(...stages: Stage[]): Pipeline {
  return { root: "/repo", file: "dvc.yaml", stages };
}

describe("stage graph", () => {
  it("links deps to outputs that equal, contain or lie inside them, across wdirs", () => {
    const g = buildGraph(
      pipeline(
        stage("report", ["metrics.json", "models"], ["report.md"]),
        stage("prepare", ["data/raw.csv"], ["data/prepared"]),
        stage("train", ["../data/prepared/train.csv"], ["../models/model.pkl"], "src"),
        stage("evaluate", ["models/model.pkl", "data/prepared"], ["metrics.json"]),
        stage("other", ["data"], ["other.txt"]),
      ),
    );
    expect(g.upstream.get("train")).toEqual(["prepare"]);
    expect(g.upstream.get("evaluate")).toEqual(["prepare", "train"]);
    expect(g.upstream.get("report")).toEqual(["train", "evaluate"]);
    expect(g.upstream.get("other")).toEqual(["prepare"]);
    expect(g.order).toEqual(["prepare", "train", "evaluate", "report", "other"]);
    expect(repoPath({ wdir: "src" }, "../models/")).toBe("models");
    expect(dagText(g)).toContain("evaluate <- prepare, train");
    expect(dagMermaid(g)).toContain("s0 --> s1");
  });

  it("selects targets with their upstream, or with --downstream what follows them", () => {
    const g = buildGraph(
      pipeline(
        stage("a", [], ["a.out"]),
        stage("b", ["a.out"], ["b.out"]),
        stage("c", ["b.out"], ["c.out"]),
        stage("x@1", [], ["x1"]),
        stage("x@2", [], ["x2"]),
      ),
    );
    expect(selectStages(g, { targets: ["b"] }).map((s) => s.name)).toEqual(["a", "b"]);
    expect(selectStages(g, { targets: ["b"], downstream: true }).map((s) => s.name)).toEqual(["b", "c"]);
    expect(selectStages(g, { targets: ["x"] }).map((s) => s.name)).toEqual(["x@1", "x@2"]);
    expect(selectStages(g, { targets: ["dvc.yaml:c"] }).map((s) => s.name)).toEqual(["a", "b", "c"]);
    expect(() => selectStages(g, { targets: ["nope"] })).toThrow(/not a stage/);
  });

  it("names the cycle, and refuses duplicate or overlapping outputs", () => {
    expect(() =>
      buildGraph(
        pipeline(
          stage("a", ["c.out"], ["a.out"]),
          stage("b", ["a.out"], ["b.out"]),
          stage("c", ["b.out"], ["c.out"]),
        ),
      ),
    ).toThrow("the pipeline has a cycle: a -> c -> b -> a");
    expect(() => buildGraph(pipeline(stage("a", ["x"], ["x/y"])))).toThrow(/cycle: a -> a/);
    expect(() => buildGraph(pipeline(stage("a", [], ["o"]), stage("b", [], ["o"])))).toThrow(
      /specified in stages 'a' and 'b'/,
    );
    expect(() => buildGraph(pipeline(stage("a", [], ["d"]), stage("b", [], ["d/f"])))).toThrow(/overlaps/);
  });
});
