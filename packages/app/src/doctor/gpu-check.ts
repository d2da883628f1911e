/** The GPUs this process can use, as the train action will see them, and whether telemetry samples. */
import { type CommandRunner, detectGpus, GpuMonitor } from "@mlci/pipeline";
import { check, type DoctorCheck } from "./types";

export interface GpuCheckOptions {
  runner?: CommandRunner;
  nvidiaSmi?: string;
  cudaVisibleDevices?: string;
  /** Fail when no GPU is visible (`--gpu`); otherwise a machine without one is fine. */
  require?: boolean;
  /** How long to sample utilisation to prove that telemetry works (default 1200 ms). */
  sampleMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function checkGpu(options: GpuCheckOptions = {}): Promise<DoctorCheck> {
  const base = {
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.nvidiaSmi ? { nvidiaSmi: options.nvidiaSmi } : {}),
    ...(options.cudaVisibleDevices === undefined ? {} : { cudaVisibleDevices: options.cudaVisibleDevices }),
  };
  const detection = await detectGpus(base);
  const visible =
    options.cudaVisibleDevices === undefined ? "" : ` (CUDA_VISIBLE_DEVICES=${options.cudaVisibleDevices})`;
  if (!detection.available) {
    const hint =
      "on a GPU runner: is the NVIDIA driver installed, and does the job's container get the GPU (an `nvidia.com/gpu` limit, the NVIDIA container toolkit)? See docs/gpu-runners.md";
    if (options.require) return check("gpu", "gpu", "fail", `no GPU: ${detection.reason}${visible}`, hint);
    // No nvidia-smi at all: a CPU machine, which is fine unless a GPU was asked for.
    if (/not found on PATH$/.test(detection.reason)) {
      return check("gpu", "gpu", "skip", `no NVIDIA GPU (${detection.reason}); training runs on the CPU`);
    }
    return check("gpu", "gpu", "warn", `no usable GPU: ${detection.reason}${visible}`, hint);
  }
  const devices = detection.devices.map((d) => `${d.index} ${d.name} (${d.memoryTotalMiB} MiB)`).join(", ");
  const count = `${detection.devices.length} GPU${detection.devices.length === 1 ? "" : "s"}`;
  const driver = detection.driverVersion ? `, driver ${detection.driverVersion}` : "";
  const sampleMs = options.sampleMs ?? 1200;
  const monitor = await GpuMonitor.start({ ...base, intervalMs: Math.max(100, Math.floor(sampleMs / 4)) });
  await sleep(sampleMs);
  const summary = await monitor.stop();
  const samples = summary.devices.reduce((n, d) => n + (d.samples ?? 0), 0);
  const detail = `${count}${visible}: ${devices}${driver}`;
  if (samples === 0) {
    return check(
      "gpu",
      "gpu",
      "warn",
      `${detail}; telemetry gave no sample`,
      "`nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv -lms 500` should print lines",
    );
  }
  return check("gpu", "gpu", "ok", `${detail}; telemetry ok (${samples} samples)`);
}
