/**
 * What the train action shows and sets: the job-summary section (stages table, duration, GPU
 * line, cache, the failing stage's log tail) and the step outputs. Pure functions of the run.
 */
import type { RunRecord, StageRecord } from "@mlci/common";
import { codeSpan, escapeText, formatDuration, gpuSummaryText } from "@mlci/report";
import type { CacheHit } from "./dvc-cache";

export interface CacheFacts {
  hit: CacheHit;
  /** The key restored, if any. */
  restoredKey?: string;
  /** The key saved after the run, if any. */
  savedKey?: string;
}

export interface TrainSummaryModel {
  record: RunRecord;
  metricsChanged: string[];
  /** null when caching was off or not possible. */
  cache: CacheFacts | null;
}

/** Table rows shown before the rest is only counted (the run record has every stage). */
export const MAX_SUMMARY_ROWS = 300;
/** Log lines of the failed stage shown in the summary and the annotation. */
export const SUMMARY_TAIL_LINES = 30;
export const ANNOTATION_TAIL_LINES = 15;

const STATUS_TEXT: Record<StageRecord["status"], string> = {
  ran: "✅ ran",
  skipped: "⏭️ skipped",
  failed: "❌ failed",
  blocked: "⛔ blocked",
};

// Colours and cursor moves from tools like tqdm do not belong in markdown or annotations.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

/** The log tail as plain lines: no ANSI escapes, no carriage-return progress frames. */
export function cleanTail(lines: readonly string[] | undefined, max: number): string[] {
  return (lines ?? [])
    .map((l) => {
      const parts = l.replace(ANSI, "").split("\r");
      return parts.filter((p) => p !== "").pop() ?? "";
    })
    .slice(-max);
}

function fenced(lines: string[]): string {
  const body = lines.join("\n");
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${body}\n${fence}`;
}

function countsText(stages: StageRecord[]): string {
  const n = (s: StageRecord["status"]) => stages.filter((x) => x.status === s).length;
  const parts = [`${n("ran")} ran`, `${n("skipped")} skipped`];
  if (n("failed")) parts.push(`${n("failed")} failed`);
  if (n("blocked")) parts.push(`${n("blocked")} blocked by a failure`);
  return parts.join(", ");
}

function cacheLine(cache: CacheFacts | null): string | undefined {
  if (!cache) return undefined;
  const restored =
    cache.hit === "none" || !cache.restoredKey
      ? "nothing restored"
      : `restored ${codeSpan(cache.restoredKey, { context: "prose" })}${cache.hit === "exact" ? "" : " (an earlier cache)"}`;
  const saved = cache.savedKey ? `, saved ${codeSpan(cache.savedKey, { context: "prose" })}` : "";
  return `- **DVC cache:** ${restored}${saved}`;
}

/** The failed stage (the first), or undefined. */
export function failedStage(record: RunRecord): StageRecord | undefined {
  return record.stages.find((s) => s.status === "failed");
}

/** The `## mlci train` section of the job summary. */
export function renderTrainSummary(m: TrainSummaryModel): string {
  const { record } = m;
  const outcome = record.success ? "**Succeeded**" : "**Failed**";
  const lines = [
    "## mlci train",
    "",
    `${outcome} in ${formatDuration(record.durationMs)}: ${countsText(record.stages)}.`,
    "",
    `- **GPU:** ${gpuSummaryText(record.gpu)}`,
    `- **Metrics:** ${
      m.metricsChanged.length
        ? `changed (${m.metricsChanged.map((p) => codeSpan(p, { context: "prose" })).join(", ")})`
        : "unchanged"
    }`,
  ];
  const cache = cacheLine(m.cache);
  if (cache) lines.push(cache);
  if (record.stages.length) {
    lines.push("", "| Stage | Status | Duration | Why |", "| --- | --- | --- | --- |");
    for (const s of record.stages.slice(0, MAX_SUMMARY_ROWS)) {
      const dur = s.durationMs === undefined ? "" : formatDuration(s.durationMs);
      lines.push(
        `| ${codeSpan(s.name)} | ${STATUS_TEXT[s.status]} | ${dur} | ${escapeText(s.reason ?? "")} |`,
      );
    }
    const more = record.stages.length - MAX_SUMMARY_ROWS;
    if (more > 0) lines.push("", `… and ${more} more stages (every stage is in the run record).`);
  }
  const failed = failedStage(record);
  if (failed) {
    lines.push(
      "",
      `### Stage ${codeSpan(failed.name, { context: "prose" })} failed`,
      "",
      escapeText(failed.reason ?? "failed", { maxLength: 500 }),
    );
    const tail = cleanTail(failed.logTail, SUMMARY_TAIL_LINES);
    if (tail.length) lines.push("", `Last ${tail.length} lines of its output:`, "", fenced(tail));
  }
  return `${lines.join("\n")}\n`;
}

/** The annotation for a failed stage: a title and a message with the log tail. */
export function failureAnnotation(stage: StageRecord): { title: string; message: string } {
  const tail = cleanTail(stage.logTail, ANNOTATION_TAIL_LINES);
  return {
    title: `Stage ${stage.name} failed`,
    message: [stage.reason ?? "failed", ...(tail.length ? ["", ...tail] : [])].join("\n"),
  };
}

const names = (record: RunRecord, status: StageRecord["status"]) =>
  JSON.stringify(record.stages.filter((s) => s.status === status).map((s) => s.name));

/** The step outputs (see actions/train/action.yml). */
export function trainOutputs(m: TrainSummaryModel & { runRecordPath: string }): Record<string, string> {
  const { record } = m;
  return {
    "stages-run": names(record, "ran"),
    "stages-skipped": names(record, "skipped"),
    "stages-failed": names(record, "failed"),
    "stages-blocked": names(record, "blocked"),
    "duration-seconds": String(Math.round(record.durationMs / 100) / 10),
    "gpu-summary": JSON.stringify(record.gpu),
    "metrics-changed": String(m.metricsChanged.length > 0),
    "run-record": m.runRecordPath,
    "cache-hit": m.cache?.hit ?? "none",
    success: String(record.success),
  };
}
