/**
 * `reproduce`: one training run as `mlci repro` and the train action do it. Runs the pipeline
 * (or a plain command) with GPU telemetry around it, notes which metrics files changed, and
 * returns the run record (docs/formats.md). Writing the record and showing progress are the
 * caller's: progress comes out through the hooks.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { RUN_RECORD_VERSION, type RunRecord, type StageRecord, writeFileAtomic } from "@mlci/common";
import {
  cancelSignal,
  describeReason,
  openProject,
  type Project,
  type RunResult,
  runPipeline,
  type Stage,
  type StageStatus,
} from "@mlci/pipeline";
import { runShellCommand } from "./command";
import { type GpuRequest, startGpuTelemetry } from "./gpu";
import { changedMetrics, metricsPaths, snapshotMetrics } from "./metrics-files";

export interface ReproHooks {
  /** A stage (or the command) starts: its name, why it runs, and its commands. */
  onStageStart?: (name: string, why: string, commands: string[]) => void;
  onOutput?: (stage: string, stream: "stdout" | "stderr", chunk: string) => void;
  onStageEnd?: (record: StageRecord) => void;
  /** What GPU telemetry found, before the run; `recording` is false when nothing is recorded. */
  onGpu?: (description: string, recording: boolean) => void;
}

export interface RunFacts {
  sha?: string;
  runner?: RunRecord["runner"];
  runUrl?: string;
}

export interface ReproOptions {
  /** The project folder (where dvc.yaml is). */
  root: string;
  /** An already opened project (the train action opens it first to key the cache). */
  project?: Project;
  targets?: string[];
  force?: boolean;
  downstream?: boolean;
  dryRun?: boolean;
  /** Run this shell command instead of the pipeline. */
  command?: string;
  /** Environment of the stages (default: this process's). */
  env?: NodeJS.ProcessEnv;
  gpu: GpuRequest;
  /** Metrics files to watch besides those dvc.yaml declares. */
  extraMetrics?: string[];
  hooks?: ReproHooks;
  facts?: RunFacts;
  now?: () => Date;
  /** Cancels the run (SIGINT from a cancelled job): the running stage is stopped, no other starts. */
  signal?: AbortSignal;
}

export interface ReproResult {
  record: RunRecord;
  /** The pipeline's result (absent in command mode). */
  pipeline?: RunResult;
  /** Metrics files (repo-relative) whose bytes changed. */
  metricsChanged: string[];
  /** Set when `signal` cancelled the run: the signal, and the stage it stopped (if one was running). */
  cancelled?: { signal: NodeJS.Signals; stopped?: string };
  project: Project | null;
}

function whyText(status: StageStatus | undefined): string {
  return status?.reasons.length ? status.reasons.map(describeReason).join("; ") : "forced";
}

/** The project in `root`, or null when a plain command runs where there is no dvc.yaml. */
async function projectFor(opts: ReproOptions): Promise<Project | null> {
  if (opts.project) return opts.project;
  if (opts.command !== undefined && !existsSync(join(opts.root, "dvc.yaml"))) return null;
  return openProject({ root: opts.root });
}

export async function reproduce(opts: ReproOptions): Promise<ReproResult> {
  const now = opts.now ?? (() => new Date());
  const hooks = opts.hooks ?? {};
  const project = await projectFor(opts);
  const watched = await metricsPaths(project, opts.extraMetrics);
  const before = await snapshotMetrics(opts.root, watched);
  const started = now();
  const t0 = performance.now();
  const gpu = opts.dryRun ? null : await startGpuTelemetry(opts.gpu);
  if (gpu) hooks.onGpu?.(gpu.description, gpu.recording);
  let stages: StageRecord[];
  let pipeline: RunResult | undefined;
  let success: boolean;
  let gpuSummary: RunRecord["gpu"] = null;
  try {
    if (opts.command !== undefined) {
      hooks.onStageStart?.("command", "a plain command", [opts.command]);
      const rec = await runShellCommand(opts.command, {
        cwd: opts.root,
        ...(opts.env ? { env: opts.env } : {}),
        ...(hooks.onOutput ? { onOutput: hooks.onOutput } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      hooks.onStageEnd?.(rec);
      stages = [rec];
      success = rec.status === "ran";
    } else {
      pipeline = await runPipeline(project as Project, {
        targets: opts.targets ?? [],
        downstream: opts.downstream === true,
        force: opts.force === true,
        dryRun: opts.dryRun === true,
        ...(opts.env ? { env: opts.env } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        onStageStart: (stage: Stage, status: StageStatus) =>
          hooks.onStageStart?.(
            stage.name,
            whyText(status),
            Array.isArray(stage.cmd) ? stage.cmd : [stage.cmd],
          ),
        ...(hooks.onOutput ? { onOutput: hooks.onOutput } : {}),
        ...(hooks.onStageEnd ? { onStageEnd: hooks.onStageEnd } : {}),
      });
      stages = pipeline.stages;
      success = pipeline.success;
    }
  } finally {
    if (gpu) gpuSummary = await gpu.stop();
  }
  const durationMs = Math.round(performance.now() - t0);
  const after = await snapshotMetrics(opts.root, watched);
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    startedAt: started.toISOString(),
    finishedAt: new Date(started.getTime() + durationMs).toISOString(),
    durationMs,
    ...(opts.facts?.sha ? { sha: opts.facts.sha } : {}),
    ...(opts.facts?.runner ? { runner: opts.facts.runner } : {}),
    ...(opts.facts?.runUrl ? { runUrl: opts.facts.runUrl } : {}),
    success,
    stages,
    gpu: gpuSummary,
  };
  const result: ReproResult = { record, metricsChanged: changedMetrics(before, after), project };
  if (pipeline) result.pipeline = pipeline;
  if (opts.signal?.aborted) {
    const stopped = stages.find((st) => st.status === "failed" && st.reason?.startsWith("cancelled ("));
    result.cancelled = { signal: cancelSignal(opts.signal), ...(stopped ? { stopped: stopped.name } : {}) };
  }
  return result;
}

/** Write the run record as indented JSON, atomically. */
export async function writeRunRecord(path: string, record: RunRecord): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}
