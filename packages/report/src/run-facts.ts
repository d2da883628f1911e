/** What a training run did, from the run record, as a short markdown list. */
import type { GpuSummary, RunRecord, StageRecord } from "@mlci/common";
import { codeSpan, escapeText } from "./escape";
import { formatDuration, formatTimestamp } from "./format-number";

const MIB_PER_GIB = 1024;
/** Failed stages named in the stage line; more are counted. */
const MAX_NAMED_STAGES = 5;

/** `1× NVIDIA H100 80GB HBM3, 87% mean utilisation, 41.0 GiB peak memory`. */
export function gpuSummaryText(gpu: GpuSummary | null): string {
  if (gpu === null) return "not recorded";
  if (!gpu.available || gpu.devices.length === 0) {
    return gpu.reason ? `none (${escapeText(gpu.reason)})` : "none";
  }
  const byName = new Map<string, number>();
  for (const device of gpu.devices) {
    const name = device.mig ? `${device.name} (MIG ${device.mig})` : device.name;
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  const names = [...byName].map(([name, count]) => `${count}× ${escapeText(name)}`).join(", ");
  const sampled = gpu.devices.filter((d) => d.samples > 0);
  if (sampled.length === 0) {
    const why = gpu.devices.some((d) => d.mig) ? " (nvidia-smi does not report them per MIG instance)" : "";
    return `${names}, no utilisation samples${why}`;
  }
  const meanUtil = sampled.reduce((sum, d) => sum + d.meanUtilization, 0) / sampled.length;
  const peakMiB = Math.max(...sampled.map((d) => d.peakMemoryMiB));
  const perGpu = gpu.devices.length > 1 ? " per GPU" : "";
  return `${names}, ${Math.round(meanUtil)}% mean utilisation, ${(peakMiB / MIB_PER_GIB).toFixed(1)} GiB peak memory${perGpu}`;
}

/** `3 ran, 1 skipped, 1 failed (`train`)`. */
export function stagesText(stages: StageRecord[]): string {
  if (stages.length === 0) return "none";
  const order: StageRecord["status"][] = ["ran", "skipped", "failed", "blocked"];
  const parts = order
    .map((status) => ({ status, count: stages.filter((s) => s.status === status).length }))
    .filter((p) => p.count > 0)
    .map((p) => `${p.count} ${p.status === "blocked" ? "blocked by a failure" : p.status}`);
  const failed = stages.filter((s) => s.status === "failed");
  let text = parts.join(", ");
  if (failed.length > 0) {
    const named = failed.slice(0, MAX_NAMED_STAGES).map((s) => codeSpan(s.name, { context: "prose" }));
    const more = failed.length > MAX_NAMED_STAGES ? ` and ${failed.length - MAX_NAMED_STAGES} more` : "";
    text += ` (failed: ${named.join(", ")}${more})`;
  }
  return text;
}

function runnerText(runner: NonNullable<RunRecord["runner"]>): string | undefined {
  const platform = [runner.os, runner.arch].filter((p): p is string => !!p).map((p) => escapeText(p));
  const name = runner.name ? codeSpan(runner.name, { context: "prose" }) : undefined;
  if (!name && platform.length === 0) return undefined;
  if (!name) return platform.join(" ");
  return platform.length > 0 ? `${name} (${platform.join(" ")})` : name;
}

/**
 * The run section's list lines (without heading). The workflow run link is in the footer; the
 * trained commit is named only when it is not the head commit the report compares.
 */
export function runFactLines(run: RunRecord, headSha: string | undefined): string[] {
  const lines: string[] = [];
  const when = formatTimestamp(run.startedAt) ?? escapeText(run.startedAt);
  const outcome = run.success ? "succeeded" : "**failed**";
  lines.push(`- **Run:** ${outcome}, started ${when}, took ${formatDuration(run.durationMs)}`);
  if (run.sha && run.sha !== headSha) {
    lines.push(
      `- **Trained commit:** ${codeSpan(run.sha.slice(0, 7), { context: "prose" })} (not the head commit)`,
    );
  }
  const runner = run.runner ? runnerText(run.runner) : undefined;
  if (runner) lines.push(`- **Runner:** ${runner}`);
  lines.push(`- **GPU:** ${gpuSummaryText(run.gpu)}`);
  lines.push(`- **Stages:** ${stagesText(run.stages)}`);
  return lines;
}
