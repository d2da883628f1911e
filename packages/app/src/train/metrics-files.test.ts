import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openProject } from "@mlci/pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changedMetrics, metricsPaths, snapshotMetrics } from "./metrics-files";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-metrics-files-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("metrics files of a run", () => {
  it("lists stage metrics (against wdir), top-level metrics and extras, once each", async () => {
    mkdirSync(join(dir, "sub"));
    writeFileSync(
      join(dir, "dvc.yaml"),
      [
        "stages:",
        "  eval:",
        "    wdir: sub",
        "    cmd: echo",
        "    metrics:",
        "      - scores.json:",
        "          cache: false",
        "metrics:",
        "  - sub/scores.json",
        "  - summary.json",
        "",
      ].join("\n"),
    );
    const project = await openProject({ root: dir, hashCacheFile: false });
    expect(await metricsPaths(project, ["./extra.csv", "summary.json"])).toEqual([
      "sub/scores.json",
      "summary.json",
      "extra.csv",
    ]);
    expect(await metricsPaths(null, ["a.json"])).toEqual(["a.json"]);
  });

  it("notices files that appear, change or disappear, not those rewritten with the same bytes", async () => {
    writeFileSync(join(dir, "a.json"), '{"acc": 1}');
    writeFileSync(join(dir, "b.json"), '{"acc": 2}');
    const paths = ["a.json", "b.json", "c.json"];
    const before = await snapshotMetrics(dir, paths);
    writeFileSync(join(dir, "a.json"), '{"acc": 1}');
    rmSync(join(dir, "b.json"));
    writeFileSync(join(dir, "c.json"), "{}");
    expect(changedMetrics(before, await snapshotMetrics(dir, paths))).toEqual(["b.json", "c.json"]);
  });
});
