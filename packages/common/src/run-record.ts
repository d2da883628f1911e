/**
 * The run record: what a training run did, written by the train action / `mlci repro` as JSON
 * (`mlci-run.json` by default) and read by the report. Versioned; described in docs/formats.md.
 */
export const RUN_RECORD_VERSION = 1;

export interface GpuDevice {
  index: number;
  name: string;
  uuid?: string;
  /** Total memory in MiB. */
  memoryTotalMiB: number;
  driverVersion?: string;
  /**
   * The MIG profile (`1g.10gb`) when CUDA_VISIBLE_DEVICES gives the run one MIG instance of this
   * GPU; `uuid` is then the instance's. nvidia-smi reports no utilisation per instance.
   */
  mig?: string;
}

export interface GpuDeviceSummary extends GpuDevice {
  samples: number;
  /** Mean utilisation in percent over the run. */
  meanUtilization: number;
  peakUtilization: number;
  /** Peak memory used in MiB. */
  peakMemoryMiB: number;
}

export interface GpuSummary {
  /** false when no GPU was found (then `reason` says why). */
  available: boolean;
  reason?: string;
  driverVersion?: string;
  devices: GpuDeviceSummary[];
  sampleIntervalMs?: number;
}

export interface StageRecord {
  name: string;
  /** ran, skipped (up to date), failed, or not run because an upstream stage failed. */
  status: "ran" | "skipped" | "failed" | "blocked";
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  exitCode?: number | null;
  /** The last lines of the stage's output. */
  logTail?: string[];
}

export interface RunRecord {
  version: typeof RUN_RECORD_VERSION;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Commit the run trained. */
  sha?: string;
  runner?: { name?: string; os?: string; arch?: string; labels?: string[] };
  /** A link to the workflow run, when in CI. */
  runUrl?: string;
  stages: StageRecord[];
  gpu: GpuSummary | null;
  /** true when the pipeline (or command) succeeded. */
  success: boolean;
}
