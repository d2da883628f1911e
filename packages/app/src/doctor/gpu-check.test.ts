import type { CommandRunner, RunOutput } from "@mlci/pipeline";
import { describe, expect, it } from "vitest";
import { checkGpu } from "./gpu-check";

const H100 = "0, NVIDIA H100 80GB HBM3, GPU-11111111-2222, 81559, 580.159.04\n";
const TWO = `${H100}1, NVIDIA H100 80GB HBM3, GPU-33333333-4444, 81559, 580.159.04\n`;

/** nvidia-smi as a runner sees it: the device query, then a stream of samples. */
function smi(query: Partial<RunOutput>, samples: string[] = ["0, 37, 1024"]): CommandRunner {
  return {
    async run() {
      return { code: 0, stdout: "", stderr: "", ...query };
    },
    stream(_cmd, _args, onLine) {
      for (const line of samples) onLine(line);
      const exited = Promise.resolve({ code: 0 });
      return { exited, stop: async () => {} };
    },
  };
}

describe("checkGpu", () => {
  it("lists the visible GPUs with the driver, and proves telemetry samples", async () => {
    const c = await checkGpu({ runner: smi({ stdout: H100 }), sampleMs: 10 });
    expect(c).toMatchObject({
      status: "ok",
      detail: "1 GPU: 0 NVIDIA H100 80GB HBM3 (81559 MiB), driver 580.159.04; telemetry ok (1 samples)",
    });
  });

  it("respects CUDA_VISIBLE_DEVICES", async () => {
    const one = await checkGpu({
      runner: smi({ stdout: TWO }, ["1, 5, 10"]),
      cudaVisibleDevices: "1",
      sampleMs: 10,
    });
    expect(one.detail).toMatch(/^1 GPU \(CUDA_VISIBLE_DEVICES=1\): 1 NVIDIA H100/);
    const none = await checkGpu({ runner: smi({ stdout: TWO }), cudaVisibleDevices: "-1", sampleMs: 10 });
    expect(none).toMatchObject({ status: "warn" });
    expect(none.detail).toContain("hides every GPU");
  });

  it("a machine without nvidia-smi is fine, unless a GPU is required", async () => {
    const enoent = Object.assign(new Error("spawn nvidia-smi ENOENT"), { code: "ENOENT" });
    const runner = smi({ code: null, error: enoent });
    expect(await checkGpu({ runner })).toMatchObject({ status: "skip" });
    const required = await checkGpu({ runner, require: true });
    expect(required).toMatchObject({ status: "fail", detail: "no GPU: nvidia-smi not found on PATH" });
    expect(required.hint).toContain("nvidia.com/gpu");
  });

  it("a broken driver warns; telemetry that gives nothing warns", async () => {
    const broken = await checkGpu({
      runner: smi({
        code: 9,
        stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      }),
    });
    expect(broken).toMatchObject({ status: "warn" });
    expect(broken.detail).toContain("couldn't communicate");
    const silent = await checkGpu({ runner: smi({ stdout: H100 }, []), sampleMs: 10 });
    expect(silent).toMatchObject({ status: "warn" });
    expect(silent.detail).toContain("telemetry gave no sample");
  });
});
