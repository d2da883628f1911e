/**
 * Small builders for report models, shared by the tests and the golden files. Not exported from
 * the package: they compute statuses the simple way, while the metrics package owns the real diff.
 */
import type { RunRecord } from "@mlci/common";
import type {
  DiffCounts,
  Direction,
  MetricDiffRow,
  MetricStatus,
  MetricsDiff,
  MetricValue,
  ParamDiffRow,
  ParamStatus,
  PlotDiff,
} from "@mlci/metrics";
import type { ReportModel } from "../model";

const STATUS_ORDER: MetricStatus[] = ["regressed", "improved", "changed", "added", "removed", "unchanged"];

export interface MetricOptions {
  path?: string;
  direction?: Direction;
  noise?: number;
}

/** A metrics diff row with abs, rel and status computed from the two values and the direction. */
export function metric(
  key: string,
  old: MetricValue | undefined,
  now: MetricValue | undefined,
  options: MetricOptions = {},
): MetricDiffRow {
  const direction = options.direction ?? "higher";
  const row: MetricDiffRow = {
    path: options.path ?? "metrics.json",
    key,
    old,
    new: now,
    direction,
    directionSource: options.direction ? "config" : "default",
    status: "unchanged",
  };
  if (old === undefined) row.status = "added";
  else if (now === undefined) row.status = "removed";
  else if (typeof old === "number" && typeof now === "number") {
    row.abs = now - old;
    if (old !== 0) row.rel = row.abs / Math.abs(old);
    const noisy = options.noise !== undefined && Math.abs(row.abs) <= options.noise;
    if (row.abs === 0 || noisy) {
      row.status = "unchanged";
      if (noisy && row.abs !== 0) row.withinNoise = true;
    } else {
      const better = direction === "higher" ? row.abs > 0 : row.abs < 0;
      row.status = better ? "improved" : "regressed";
    }
  } else row.status = old === now ? "unchanged" : "changed";
  return row;
}

export function param(
  key: string,
  old: MetricValue | undefined,
  now: MetricValue | undefined,
  path = "params.yaml",
): ParamDiffRow {
  let status: ParamStatus = "unchanged";
  if (old === undefined) status = "added";
  else if (now === undefined) status = "removed";
  else if (old !== now) status = "changed";
  return { path, key, old, new: now, status };
}

const byPathKey = (a: { path: string; key: string }, b: { path: string; key: string }) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** A diff with rows sorted and counted as the metrics package does. */
export function diffOf(
  metrics: MetricDiffRow[],
  params: ParamDiffRow[] = [],
  problems: MetricsDiff["problems"] = [],
): MetricsDiff {
  const sorted = [...metrics].sort(
    (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || byPathKey(a, b),
  );
  const counts: DiffCounts = { improved: 0, regressed: 0, unchanged: 0, added: 0, removed: 0, changed: 0 };
  for (const row of metrics) {
    if (row.unavailable) counts.unavailable = (counts.unavailable ?? 0) + 1;
    else counts[row.status]++;
  }
  const paramRank = (r: ParamDiffRow) => (r.status === "unchanged" ? 1 : 0);
  const sortedParams = [...params].sort((a, b) => paramRank(a) - paramRank(b) || byPathKey(a, b));
  return { metrics: sorted, params: sortedParams, counts, problems };
}

export function model(diff: MetricsDiff, extra: Partial<ReportModel> = {}): ReportModel {
  return {
    reportId: "mlci",
    base: { ref: "main", sha: "4f2c1e9a7b3d5f6e8a9b0c1d2e3f4a5b6c7d8e9f" },
    head: { ref: "feature/better-aug", sha: "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b" },
    diff,
    generatedAt: "2026-11-26T10:42:00Z",
    ...extra,
  };
}

export function runRecord(extra: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    startedAt: "2026-11-26T10:05:12Z",
    finishedAt: "2026-11-26T10:39:40Z",
    durationMs: 2_068_000,
    sha: "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b",
    runner: { name: "gpu-runner-3", os: "Linux", arch: "X64" },
    runUrl: "https://github.com/acme/vision/actions/runs/123456789",
    stages: [
      { name: "prepare", status: "skipped", reason: "up to date" },
      { name: "train", status: "ran", durationMs: 1_950_000, exitCode: 0 },
      { name: "evaluate", status: "ran", durationMs: 98_000, exitCode: 0 },
    ],
    gpu: {
      available: true,
      driverVersion: "580.159.04",
      sampleIntervalMs: 500,
      devices: [
        {
          index: 0,
          name: "NVIDIA H100 80GB HBM3",
          memoryTotalMiB: 81_559,
          samples: 4_136,
          meanUtilization: 87.2,
          peakUtilization: 100,
          peakMemoryMiB: 41_984,
        },
      ],
    },
    success: true,
    ...extra,
  };
}

/** A loss curve `start * decay^epoch` with a little deterministic wobble. */
export function lossCurve(epochs: number, start: number, decay: number): PlotDiff["base"] & object {
  return Array.from({ length: epochs }, (_, epoch) => ({
    epoch,
    loss: Number((start * decay ** epoch + 0.01 * Math.sin(epoch)).toFixed(4)),
  }));
}

/**
 * A large diff: `total` metrics in 5 files of which `regressed` regressed, 200 improved, 60 added
 * and the rest unchanged; 500 unchanged params and 3 changed; 3 loss-curve plots.
 */
export function largeModel(total = 5000, regressed = 40): ReportModel {
  const rows: MetricDiffRow[] = [];
  const improved = 200;
  const added = 60;
  for (let i = 0; i < total; i++) {
    const path = `eval/shard_${i % 5}/metrics.json`;
    const key = `layer_${String(i).padStart(4, "0")}.probe.accuracy`;
    const base = 0.5 + (i % 97) / 200;
    if (i < regressed) rows.push(metric(key, base, base - 0.01 - i / 10_000, { path }));
    else if (i < regressed + improved) rows.push(metric(key, base, base + 0.02, { path }));
    else if (i < regressed + improved + added) rows.push(metric(key, undefined, base, { path }));
    else rows.push(metric(key, base, base, { path }));
  }
  const params: ParamDiffRow[] = [];
  for (let i = 0; i < 500; i++) params.push(param(`layers.${i}.width`, 64 + i, 64 + i));
  params.push(
    param("train.lr", 0.01, 0.02),
    param("train.epochs", 10, 12),
    param("train.optimizer", "sgd", "adam"),
  );
  const plots: PlotDiff[] = ["train", "val", "test"].map((split) => ({
    id: `plots/${split}.csv`,
    path: `plots/${split}.csv`,
    x: "step",
    y: ["loss"],
    base: lossCurve(200, 2, 0.98).map((r) => ({ step: r.epoch!, loss: r.loss! })),
    head: lossCurve(200, 2, 0.97).map((r) => ({ step: r.epoch!, loss: r.loss! })),
  }));
  return model(diffOf(rows, params), {
    plots,
    run: runRecord(),
    links: { summaryUrl: "https://github.com/acme/vision/actions/runs/1#summary-2", reportFile: "report.md" },
  });
}
