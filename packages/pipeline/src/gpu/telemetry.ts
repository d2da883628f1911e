/**
 * GPU telemetry from `nvidia-smi`: the GPUs, their driver and memory, and one long-running
 * query process (`-lms 500`) sampled for the whole run, summarised as mean and peak
 * utilisation and peak memory per GPU. Respects CUDA_VISIBLE_DEVICES (indices, GPU or MIG UUIDs).
 * Without a GPU it says why and does not fail, unless a GPU is required.
 */
import type { GpuDevice, GpuDeviceSummary, GpuSummary } from "@mlci/common";
import { MlciError } from "@mlci/common";
import { type CommandRunner, processRunner, type StreamHandle } from "./command-runner";

export interface GpuOptions {
  runner?: CommandRunner;
  /** The nvidia-smi command (default `nvidia-smi`, found on PATH). */
  nvidiaSmi?: string;
  /** The value of CUDA_VISIBLE_DEVICES, if set (the entry point reads the environment). */
  cudaVisibleDevices?: string;
  /** Sampling period (default 500 ms). */
  intervalMs?: number;
  /** Fail when no GPU is available. */
  requireGpu?: boolean;
}

export type GpuDetection =
  | { available: true; devices: GpuDevice[]; driverVersion?: string }
  | { available: false; reason: string };

const QUERY = ["--query-gpu=index,name,uuid,memory.total,driver_version", "--format=csv,noheader,nounits"];

function num(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return text.trim() !== "" && Number.isFinite(n) ? n : undefined;
}

export function parseDeviceLines(stdout: string): GpuDevice[] {
  const out: GpuDevice[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.trim()) continue;
    const f = line.split(",").map((x) => x.trim());
    const index = num(f[0]);
    if (index === undefined || f.length < 5) continue;
    const d: GpuDevice = { index, name: f[1] as string, memoryTotalMiB: num(f[3]) ?? 0 };
    if (f[2]) d.uuid = f[2];
    if (f[4]) d.driverVersion = f[4];
    out.push(d);
  }
  return out;
}

/** A MIG instance from `nvidia-smi -L`, with the index of the GPU it is part of. */
export interface MigInstance {
  gpuIndex: number;
  profile: string;
  uuid: string;
}

/**
 * The MIG instances in `nvidia-smi -L`'s listing: `  MIG 1g.10gb     Device  0: (UUID: MIG-…)`
 * under their `GPU 0: … (UUID: GPU-…)` line (older drivers write `MIG-GPU-…/1/0` UUIDs).
 */
export function parseMigList(stdout: string): MigInstance[] {
  const out: MigInstance[] = [];
  let gpu: number | undefined;
  for (const line of stdout.split("\n")) {
    const g = /^GPU (\d+):/.exec(line);
    if (g) {
      gpu = Number(g[1]);
      continue;
    }
    const m = /^\s+MIG\s+(\S+)\s+Device\s+\d+:\s*\(UUID:\s*(MIG-[^)\s]+)\)/.exec(line);
    if (m && gpu !== undefined) out.push({ gpuIndex: gpu, profile: m[1] as string, uuid: m[2] as string });
  }
  return out;
}

/** The one entry whose UUID starts with `prefix` (case-insensitive), as CUDA matches UUIDs. */
function uniquePrefix<T extends { uuid?: string | undefined }>(items: T[], prefix: string): T | undefined {
  const matches = items.filter((x) => x.uuid?.toLowerCase().startsWith(prefix.toLowerCase()));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Apply CUDA_VISIBLE_DEVICES as CUDA does: indices, GPU UUIDs or MIG instance UUIDs (prefixes),
 * stopping at the first invalid entry. A MIG instance stands for its GPU, with `mig` set.
 */
export function visibleDevices(
  devices: GpuDevice[],
  cudaVisible: string | undefined,
  migs: MigInstance[] = [],
): GpuDevice[] {
  if (cudaVisible === undefined) return devices;
  const out: GpuDevice[] = [];
  for (const raw of cudaVisible.split(",")) {
    const t = raw.trim();
    let d: GpuDevice | undefined;
    if (/^\d+$/.test(t)) d = devices.find((x) => x.index === Number(t));
    else if (/^(GPU|MIG)-/i.test(t)) d = uniquePrefix(devices, t);
    if (!d && /^MIG-/i.test(t)) {
      const mig = uniquePrefix(migs, t);
      const gpu = mig && devices.find((x) => x.index === mig.gpuIndex);
      if (mig && gpu) d = { ...gpu, uuid: mig.uuid, mig: mig.profile };
    }
    if (!d) break;
    if (!out.some((x) => x.index === d.index && x.uuid === d.uuid)) out.push(d);
  }
  return out;
}

/** Find the GPUs this process may use. */
export async function detectGpus(options: GpuOptions = {}): Promise<GpuDetection> {
  const runner = options.runner ?? processRunner();
  const cmd = options.nvidiaSmi ?? "nvidia-smi";
  const r = await runner.run(cmd, QUERY);
  if (r.error) {
    return {
      available: false,
      reason:
        r.error.code === "ENOENT" ? `${cmd} not found on PATH` : `${cmd} could not start: ${r.error.message}`,
    };
  }
  if (r.code !== 0) {
    const why = (r.stderr || r.stdout).trim().split("\n")[0] ?? "";
    return { available: false, reason: `${cmd} failed (exit code ${r.code})${why ? `: ${why}` : ""}` };
  }
  const all = parseDeviceLines(r.stdout);
  if (all.length === 0) return { available: false, reason: `${cmd} lists no GPU` };
  // MIG instances are listed only by `nvidia-smi -L`; ask only when CUDA_VISIBLE_DEVICES names one.
  const wantsMig = /(^|,)\s*MIG-/i.test(options.cudaVisibleDevices ?? "");
  const list = wantsMig ? await runner.run(cmd, ["-L"]) : undefined;
  const migs = list && list.code === 0 ? parseMigList(list.stdout) : [];
  const devices = visibleDevices(all, options.cudaVisibleDevices, migs);
  if (devices.length === 0) {
    return {
      available: false,
      reason: `CUDA_VISIBLE_DEVICES='${options.cudaVisibleDevices}' hides every GPU`,
    };
  }
  const det: GpuDetection = { available: true, devices };
  const driver = devices[0]?.driverVersion;
  if (driver) det.driverVersion = driver;
  return det;
}

interface Acc {
  samples: number;
  utilSum: number;
  utilPeak: number;
  memPeak: number;
}

/** Samples GPU utilisation and memory for the length of a run with one nvidia-smi process. */
export class GpuMonitor {
  private readonly acc = new Map<number, Acc>();
  private handle: StreamHandle | null = null;

  private constructor(
    readonly detection: GpuDetection,
    private readonly intervalMs: number,
  ) {}

  /** Detect GPUs and start sampling; with no GPU this is a monitor that reports why. */
  static async start(options: GpuOptions = {}): Promise<GpuMonitor> {
    const detection = await detectGpus(options);
    if (!detection.available && options.requireGpu) {
      throw new MlciError("NOT_FOUND", `a GPU is required but none is available: ${detection.reason}`);
    }
    const intervalMs = options.intervalMs ?? 500;
    const m = new GpuMonitor(detection, intervalMs);
    if (detection.available) {
      const runner = options.runner ?? processRunner();
      const visible = new Set(detection.devices.map((d) => d.index));
      for (const i of visible) m.acc.set(i, { samples: 0, utilSum: 0, utilPeak: 0, memPeak: 0 });
      m.handle = runner.stream(
        options.nvidiaSmi ?? "nvidia-smi",
        [
          "--query-gpu=index,utilization.gpu,memory.used",
          "--format=csv,noheader,nounits",
          "-lms",
          String(intervalMs),
        ],
        (line) => m.sample(line, visible),
      );
    }
    return m;
  }

  private sample(line: string, visible: Set<number>): void {
    const f = line.split(",").map((x) => x.trim());
    const index = num(f[0]);
    const util = num(f[1]);
    const mem = num(f[2]);
    if (index === undefined || !visible.has(index) || util === undefined) return;
    const a = this.acc.get(index) as Acc;
    a.samples++;
    a.utilSum += util;
    a.utilPeak = Math.max(a.utilPeak, util);
    if (mem !== undefined) a.memPeak = Math.max(a.memPeak, mem);
  }

  /** Stop sampling and summarise. */
  async stop(): Promise<GpuSummary> {
    await this.handle?.stop();
    this.handle = null;
    const d = this.detection;
    if (!d.available) return { available: false, reason: d.reason, devices: [] };
    const devices: GpuDeviceSummary[] = d.devices.map((dev) => {
      const a = this.acc.get(dev.index) as Acc;
      return {
        ...dev,
        samples: a.samples,
        meanUtilization: a.samples ? Math.round((a.utilSum / a.samples) * 10) / 10 : 0,
        peakUtilization: a.utilPeak,
        peakMemoryMiB: a.memPeak,
      };
    });
    const summary: GpuSummary = { available: true, devices, sampleIntervalMs: this.intervalMs };
    if (d.driverVersion) summary.driverVersion = d.driverVersion;
    return summary;
  }
}
