import type { RunRecord } from "@mlci/common";
import { describe, expect, it } from "vitest";
import { cleanTail, failureAnnotation, MAX_SUMMARY_ROWS, renderTrainSummary, trainOutputs } from "./summary";

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    startedAt: "2026-11-26T12:00:00.000Z",
    finishedAt: "2026-11-26T12:14:03.000Z",
    durationMs: 843_000,
    success: true,
    gpu: null,
    stages: [
      { name: "prepare", status: "skipped", reason: "up to date" },
      {
        name: "train",
        status: "ran",
        reason: "param params.yaml:lr changed: 0.1 -> 0.2",
        durationMs: 840_000,
      },
    ],
    ...over,
  };
}

describe("train summary and outputs", () => {
  it("renders the outcome, the GPU, metrics, the cache and a stages table", () => {
    const md = renderTrainSummary({
      record: record({
        gpu: {
          available: true,
          driverVersion: "580.159.04",
          devices: [
            {
              index: 0,
              name: "NVIDIA H100 80GB HBM3",
              memoryTotalMiB: 81559,
              samples: 1680,
              meanUtilization: 87.2,
              peakUtilization: 100,
              peakMemoryMiB: 41984,
            },
          ],
        },
      }),
      metricsChanged: ["metrics.json"],
      cache: { hit: "partial", restoredKey: "mlci-dvc-Linux-abc", savedKey: "mlci-dvc-Linux-def" },
    });
    expect(md).toBe(
      [
        "## mlci train",
        "",
        "**Succeeded** in 14m 03s: 1 ran, 1 skipped.",
        "",
        "- **GPU:** 1× NVIDIA H100 80GB HBM3, 87% mean utilisation, 41.0 GiB peak memory",
        "- **Metrics:** changed (`metrics.json`)",
        "- **DVC cache:** restored `mlci-dvc-Linux-abc` (an earlier cache), saved `mlci-dvc-Linux-def`",
        "",
        "| Stage | Status | Duration | Why |",
        "| --- | --- | --- | --- |",
        "| `prepare` | ⏭️ skipped |  | up to date |",
        "| `train` | ✅ ran | 14m 00s | param params.yaml:lr changed: 0.1 -&gt; 0.2 |",
        "",
      ].join("\n"),
    );
  });

  it("keeps hostile stage names and output inert, and fences the log tail safely", () => {
    const rec = record({
      success: false,
      stages: [
        {
          name: "x|<img src=y>@team",
          status: "failed",
          reason: "command exited with code 1: echo <b>@all</b>",
          logTail: ["ok", "```", "\u001b[31mred\u001b[0m", "10%\r50%\r100%", "<!-- mlci:report:mlci -->"],
        },
      ],
    });
    const md = renderTrainSummary({ record: rec, metricsChanged: [], cache: null });
    expect(md).toContain("| `x\\|<img src=y>@team` | ❌ failed |");
    expect(md).toContain("command exited with code 1: echo &lt;b&gt;@\u2060all&lt;/b&gt;");
    expect(md).toContain("````text\nok\n```\nred\n100%\n<!-- mlci:report:mlci -->\n````");
    expect(md).not.toContain("DVC cache");
    expect(failureAnnotation(rec.stages[0]!)).toEqual({
      title: "Stage x|<img src=y>@team failed",
      message:
        "command exited with code 1: echo <b>@all</b>\n\nok\n```\nred\n100%\n<!-- mlci:report:mlci -->",
    });
  });

  it("caps the table and gives outputs as JSON arrays", () => {
    const many = record({
      stages: Array.from({ length: MAX_SUMMARY_ROWS + 5 }, (_, i) => ({
        name: `s${i}`,
        status: "ran" as const,
      })),
    });
    expect(renderTrainSummary({ record: many, metricsChanged: [], cache: null })).toContain(
      "… and 5 more stages",
    );
    const out = trainOutputs({
      record: record(),
      metricsChanged: [],
      cache: null,
      runRecordPath: "/t/r.json",
    });
    expect(out).toEqual({
      "stages-run": '["train"]',
      "stages-skipped": '["prepare"]',
      "stages-failed": "[]",
      "stages-blocked": "[]",
      "duration-seconds": "843",
      "gpu-summary": "null",
      "metrics-changed": "false",
      "run-record": "/t/r.json",
      "cache-hit": "none",
      success: "true",
    });
    expect(cleanTail(["a", "b", "c"], 2)).toEqual(["b", "c"]);
  });
});
