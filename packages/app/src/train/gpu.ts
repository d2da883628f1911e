/**
 * GPU telemetry for a training run, as the train action's `gpu`/`require-gpu` inputs and the
 * CLI's `--gpu`/`--require-gpu` flags ask for it:
 * - `auto`: telemetry when `nvidia-smi` is on PATH, else none (the record's `gpu` is null);
 * - `true`: telemetry, and a record that says why when no GPU is found;
 * - `false`: none.
 * `require` fails the run before it starts when no GPU is available.
 */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { GpuSummary } from "@mlci/common";
import { type CommandRunner, GpuMonitor, type GpuOptions } from "@mlci/pipeline";

export type GpuMode = "auto" | "true" | "false";

export interface GpuRequest {
  mode: GpuMode;
  /** Fail when no GPU is available (implies telemetry). */
  require?: boolean;
  /** CUDA_VISIBLE_DEVICES of the environment the stages run in. */
  cudaVisibleDevices?: string;
  /** PATH to look for nvidia-smi in (auto mode). */
  path?: string;
  /** The nvidia-smi command (default `nvidia-smi`). */
  nvidiaSmi?: string;
  runner?: CommandRunner;
  intervalMs?: number;
}

export interface GpuTelemetry {
  /** Stop sampling; null when telemetry was not asked for (or, in auto mode, not possible). */
  stop(): Promise<GpuSummary | null>;
  /** One line for the log: what was found. */
  readonly description: string;
  /** Whether anything is recorded (false: telemetry off, or auto mode without nvidia-smi). */
  readonly recording: boolean;
}

/** Whether `cmd` names an executable, directly or through PATH. */
export async function onPath(cmd: string, path: string | undefined): Promise<boolean> {
  const candidates = cmd.includes("/")
    ? [cmd]
    : (path ?? "").split(delimiter).map((d) => join(d || ".", cmd));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return true;
    } catch {
      // try the next one
    }
  }
  return false;
}

const NONE: GpuTelemetry = { stop: async () => null, description: "GPU telemetry off", recording: false };

/** Start telemetry as asked; throws MlciError(NOT_FOUND) when a GPU is required and absent. */
export async function startGpuTelemetry(req: GpuRequest): Promise<GpuTelemetry> {
  const required = req.require === true;
  if (req.mode === "false" && !required) return NONE;
  const cmd = req.nvidiaSmi ?? "nvidia-smi";
  if (req.mode === "auto" && !required && !req.runner && !(await onPath(cmd, req.path))) {
    return {
      stop: async () => null,
      description: `GPU telemetry: ${cmd} not found, no GPU recorded`,
      recording: false,
    };
  }
  const opts: GpuOptions = { requireGpu: required, nvidiaSmi: cmd };
  if (req.cudaVisibleDevices !== undefined) opts.cudaVisibleDevices = req.cudaVisibleDevices;
  if (req.runner) opts.runner = req.runner;
  if (req.intervalMs !== undefined) opts.intervalMs = req.intervalMs;
  const monitor = await GpuMonitor.start(opts);
  const d = monitor.detection;
  const description = d.available
    ? `GPU telemetry: ${d.devices.map((x) => `${x.index}: ${x.name} (${x.mig ? `MIG ${x.mig} of ` : ""}${x.memoryTotalMiB} MiB)`).join(", ")}${
        d.driverVersion ? `, driver ${d.driverVersion}` : ""
      }`
    : `GPU telemetry: no GPU (${d.reason})`;
  return { stop: () => monitor.stop(), description, recording: true };
}
