/**
 * GPU telemetry from `nvidia-smi`: the GPUs, their driver and memory, and one long-running
 * query process (`-lms 500`) sampled for the whole run, summarised as mean and peak
 * utilisation and peak memory per GPU. Respects CUDA_VISIBLE_DEVICES (indices or UUIDs).
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

/** Apply CUDA_VISIBLE_DEVICES as CUDA does: indices or UUID (prefixes), stopping at the first invalid entry. */
export function visibleDevices(devices: GpuDevice[], cudaVisible: string | undefined): GpuDevice[] {
  if (cudaVisible === undefined) return devices;
  const out: GpuDevice[] = [];
  for (const raw of cudaVisible.split(",")) {
    const t = raw.trim();
    let d: GpuDevice | undefined;
    if (/^\d+$/.test(t)) d = devices.find((x) => x.index === Number(t));
    else if (/^(GPU|MIG)-/i.test(t)) {
      const matches = devices.filter((x) => x.uuid?.toLowerCase().startsWith(t.toLowerCase()));
      d = matches.length === 1 ? matches[0] : undefined;
    }
    if (!d) break;
    if (!out.includes(d)) out.push(d);
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
  const devices = visibleDevices(all, options.cudaVisibleDevices);
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
