import { describe, expect, it } from "vitest";
import { gpuSummaryText, runFactLines, stagesText } from "./run-facts";
import { runRecord } from "./testing/model-builders";

const device = {
  index: 0,
  name: "NVIDIA H100 80GB HBM3",
  memoryTotalMiB: 81_559,
  samples: 100,
  meanUtilization: 87.2,
  peakUtilization: 100,
  peakMemoryMiB: 41_984,
};

describe("gpuSummaryText", () => {
  it("sums up one GPU", () => {
    expect(gpuSummaryText({ available: true, devices: [device] })).toBe(
      "1× NVIDIA H100 80GB HBM3, 87% mean utilisation, 41.0 GiB peak memory",
    );
  });

  it("groups GPUs by name and reports the highest peak per GPU", () => {
    const second = { ...device, index: 1, meanUtilization: 60.8, peakMemoryMiB: 70_000 };
    expect(gpuSummaryText({ available: true, devices: [device, second] })).toBe(
      "2× NVIDIA H100 80GB HBM3, 74% mean utilisation, 68.4 GiB peak memory per GPU",
    );
  });

  it("names a MIG instance and says why it has no utilisation samples", () => {
    const mig = {
      ...device,
      name: "NVIDIA A100-SXM4-40GB",
      mig: "1g.5gb",
      samples: 0,
      meanUtilization: 0,
      peakUtilization: 0,
      peakMemoryMiB: 0,
    };
    expect(gpuSummaryText({ available: true, devices: [mig] })).toBe(
      "1× NVIDIA A100-SXM4-40GB (MIG 1g.5gb), no utilisation samples (nvidia-smi does not report them per MIG instance)",
    );
    expect(gpuSummaryText({ available: true, devices: [{ ...device, samples: 0 }] })).toBe(
      "1× NVIDIA H100 80GB HBM3, no utilisation samples",
    );
  });

  it("says why there was no GPU, escaped", () => {
    expect(gpuSummaryText({ available: false, reason: "nvidia-smi not found", devices: [] })).toBe(
      "none (nvidia-smi not found)",
    );
    expect(gpuSummaryText(null)).toBe("not recorded");
  });
});

describe("stagesText", () => {
  it("counts stages and names the failed ones", () => {
    expect(
      stagesText([
        { name: "prepare", status: "skipped" },
        { name: "train", status: "failed" },
        { name: "evaluate", status: "blocked" },
      ]),
    ).toBe("1 skipped, 1 failed, 1 blocked by a failure (failed: `train`)");
    expect(stagesText([])).toBe("none");
  });
});

describe("runFactLines", () => {
  it("lists outcome, time, runner, GPU and stages", () => {
    const run = runRecord();
    expect(runFactLines(run, run.sha)).toEqual([
      "- **Run:** succeeded, started 2026-11-26 10:05 UTC, took 34m 28s",
      "- **Runner:** `gpu-runner-3` (Linux X64)",
      "- **GPU:** 1× NVIDIA H100 80GB HBM3, 87% mean utilisation, 41.0 GiB peak memory",
      "- **Stages:** 2 ran, 1 skipped",
    ]);
  });

  it("names the trained commit when it is not the head", () => {
    const lines = runFactLines(runRecord({ success: false }), "0000000000");
    expect(lines[0]).toBe("- **Run:** **failed**, started 2026-11-26 10:05 UTC, took 34m 28s");
    expect(lines[1]).toBe("- **Trained commit:** `9a8b7c6` (not the head commit)");
  });
});
