import type { PlotDiff } from "@mlci/metrics";
import { describe, expect, it } from "vitest";
import { axisRange, MAX_CHART_POINTS, mermaidLabel, renderPlotCharts, sampleIndices } from "./mermaid-chart";

const sides = { base: "main", head: "feature" };
const MERMAID_NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

function plot(extra: Partial<PlotDiff>): PlotDiff {
  return { id: "loss.csv", path: "loss.csv", x: "epoch", y: ["loss"], base: null, head: null, ...extra };
}

function lineData(block: string): string[][] {
  return [...block.matchAll(/^ {4}line \[(.*)\]$/gm)].map((m) => (m[1] ?? "").split(", "));
}

describe("mermaidLabel", () => {
  it("removes everything that could end a string, open a directive or a fence", () => {
    expect(mermaidLabel('a"b`c%%{init}%%\n-->x')).toBe("a b c init -- x");
    expect(mermaidLabel("loss; #quot; &amp; <b>")).toBe("loss quot amp b");
    expect(mermaidLabel("val_loss (train/eval) = 1.5")).toBe("val_loss (train/eval) = 1.5");
    expect(mermaidLabel("精度")).toBe("精度");
    expect(mermaidLabel("x".repeat(100))).toBe(`${"x".repeat(59)}…`);
  });
});

describe("sampleIndices", () => {
  it("keeps all points up to the maximum", () => {
    expect(sampleIndices(3)).toEqual([0, 1, 2]);
  });

  it("samples evenly, keeping the first and the last", () => {
    const picked = sampleIndices(1000);
    expect(picked).toHaveLength(MAX_CHART_POINTS);
    expect(picked[0]).toBe(0);
    expect(picked.at(-1)).toBe(999);
    for (let i = 1; i < picked.length; i++) expect(picked[i]!).toBeGreaterThan(picked[i - 1]!);
  });
});

describe("axisRange", () => {
  it("adds headroom on round numbers and keeps non-negative data above zero", () => {
    expect(axisRange(0.02, 1.8)).toEqual([0, 1.9]);
    expect(axisRange(5, 5)).toEqual([4.5, 5.5]);
    expect(axisRange(0, 0)).toEqual([-1, 1]);
  });
});

describe("renderPlotCharts", () => {
  it("draws base and head as two lines with plain numbers and says which is which", () => {
    const rows = (k: number) => Array.from({ length: 4 }, (_, epoch) => ({ epoch, loss: k / (epoch + 1) }));
    const [block, ...rest] = renderPlotCharts(plot({ base: rows(1), head: rows(0.5) }), sides);
    expect(rest).toEqual([]);
    expect(block).toContain('    x-axis "epoch" ["0", "1", "2", "3"]');
    expect(lineData(block!)).toEqual([
      ["1", "0.5", "0.333333", "0.25"],
      ["0.5", "0.25", "0.166667", "0.125"],
    ]);
    expect(block).toContain('    y-axis "loss" 0.08 --> 1.05');
    expect(block).toContain("line 1 = base `main`, line 2 = head `feature`");
  });

  it("thins long series to at most 50 points and says so", () => {
    const rows = Array.from({ length: 1000 }, (_, step) => ({ step, loss: 1e-9 * (step + 1) }));
    const [block] = renderPlotCharts(plot({ x: "step", base: rows, head: rows }), sides);
    const lines = lineData(block!);
    expect(lines).toHaveLength(2);
    for (const values of lines) {
      expect(values).toHaveLength(50);
      for (const v of values) expect(v).toMatch(MERMAID_NUMBER);
    }
    expect(lines[0]![0]).toBe("0.000000001");
    expect(block).toContain("50 of 1,000 points shown");
  });

  it("draws one chart per y field and only the side that has data", () => {
    const head = [
      { epoch: 0, train: 1, val: 2 },
      { epoch: 1, train: 0.5, val: 1 },
    ];
    const blocks = renderPlotCharts(plot({ y: ["train", "val"], head }), sides);
    expect(blocks).toHaveLength(2);
    expect(lineData(blocks[1]!)).toEqual([["2", "1"]]);
    expect(blocks[1]).toContain("line 1 = head `feature`; no base data");
  });

  it("holds a shorter side flat and says where it ends", () => {
    const base = [0, 1].map((epoch) => ({ epoch, loss: 1 - epoch / 2 }));
    const head = [0, 1, 2, 3].map((epoch) => ({ epoch, loss: 1 - epoch / 4 }));
    const [block] = renderPlotCharts(plot({ base, head }), sides);
    expect(lineData(block!)[0]).toEqual(["1", "0.5", "0.5", "0.5"]);
    expect(block).toContain("base ends at epoch 1 (drawn flat after)");
  });

  it("uses row indices when rows have no x field", () => {
    const [block] = renderPlotCharts(plot({ x: "step", head: [{ loss: 3 }, { loss: 2 }] }), sides);
    expect(block).toContain('x-axis "index" ["0", "1"]');
  });

  it("sanitises titles, fields and categories from the repository", () => {
    const head = [
      { 'ep"och': 'a"]`', "lo`ss\n```": 1 },
      { 'ep"och': "%%{init}%%", "lo`ss\n```": 2 },
    ];
    const [block] = renderPlotCharts(
      plot({ x: 'ep"och', y: ["lo`ss\n```"], title: 'T"\n```\n<img src=x>', head }),
      sides,
    );
    const mermaid = block!.slice(0, block!.indexOf("```\n\n") + 3);
    expect(mermaid.match(/```/g)).toHaveLength(2);
    expect(mermaid).toContain('title "T img src=x: lo ss"');
    expect(mermaid).toContain('x-axis "ep och" ["a", "init"]');
    expect(mermaid).not.toContain("%%");
    expect(mermaid).not.toContain("<");
  });

  it("names plots whose template is not a line instead of drawing them", () => {
    const rows = [{ actual: "cat", predicted: "dog" }];
    const blocks = renderPlotCharts(
      plot({ template: "confusion", x: "actual", y: ["predicted"], head: rows }),
      sides,
    );
    expect(blocks).toEqual([
      "<sub>`loss.csv` uses the `confusion` template, which has no line-chart form; see `dvc plots diff`.</sub>\n",
    ]);
  });

  it("draws nothing without numeric data", () => {
    expect(renderPlotCharts(plot({}), sides)).toEqual([]);
    expect(renderPlotCharts(plot({ head: [{ epoch: 0, loss: "n/a" }] }), sides)).toEqual([]);
  });
});
