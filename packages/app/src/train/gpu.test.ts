import { MlciError } from "@mlci/common";
import type { CommandRunner } from "@mlci/pipeline";
import { describe, expect, it } from "vitest";
import { onPath, startGpuTelemetry } from "./gpu";

/** nvidia-smi that is not installed: every start fails with ENOENT. */
const missing: CommandRunner = {
  run: async () => ({
    code: null,
    stdout: "",
    stderr: "",
    error: Object.assign(new Error("spawn"), { code: "ENOENT" }),
  }),
  stream: () => ({ stop: async () => {}, exited: Promise.resolve({ code: null }) }),
};

/** One GPU that reports 50% and 1 GiB on every sample. */
const oneGpu: CommandRunner = {
  run: async () => ({ code: 0, stdout: "0, NVIDIA L4, GPU-1, 23034, 550.1\n", stderr: "" }),
  stream: (_cmd, _args, onLine) => {
    onLine("0, 50, 1024");
    onLine("0, 70, 2048");
    return { stop: async () => {}, exited: Promise.resolve({ code: 0 }) };
  },
};

describe("GPU telemetry modes", () => {
  it("auto: nothing recorded without nvidia-smi on PATH; false: nothing at all", async () => {
    const auto = await startGpuTelemetry({ mode: "auto", path: "/nonexistent" });
    expect(auto.recording).toBe(false);
    expect(await auto.stop()).toBeNull();
    const off = await startGpuTelemetry({ mode: "false", runner: oneGpu });
    expect(await off.stop()).toBeNull();
  });

  it("true: records the GPUs, or why there are none; require: fails without a GPU", async () => {
    const on = await startGpuTelemetry({ mode: "true", runner: oneGpu });
    expect(on.description).toBe("GPU telemetry: 0: NVIDIA L4 (23034 MiB), driver 550.1");
    expect(await on.stop()).toMatchObject({
      available: true,
      devices: [{ name: "NVIDIA L4", samples: 2, meanUtilization: 60, peakMemoryMiB: 2048 }],
    });
    const none = await startGpuTelemetry({ mode: "true", runner: missing });
    expect(await none.stop()).toEqual({
      available: false,
      reason: "nvidia-smi not found on PATH",
      devices: [],
    });
    const err = await startGpuTelemetry({ mode: "false", require: true, runner: missing }).catch((e) => e);
    expect(err).toBeInstanceOf(MlciError);
    expect(err.code).toBe("NOT_FOUND");
  });

  it("finds commands on PATH or by path", async () => {
    expect(await onPath("sh", process.env.PATH)).toBe(true);
    expect(await onPath("/bin/sh", undefined)).toBe(true);
    expect(await onPath("no-such-command-here", process.env.PATH)).toBe(false);
  });
});
