/**
 * `repro`: run the stages that changed, in order, each in its wdir with `sh -c` (a list `cmd`
 * runs its commands in order), streaming their output through a callback. A failed stage
 * blocks the stages that depend on it; independent stages still run. dvc.lock is updated after
 * each stage that succeeded, atomically; a failed stage keeps its previous entry. Outputs that
 * are only missing come back from the cache instead.
 */
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ensureDirSync, type StageRecord } from "@mlci/common";
import type { Stage } from "./dvc-yaml/types";
import { repoPath, type Selection, selectStages } from "./graph";
import { type HashDetails, hashPathDetailed } from "./hash/hash-path";
import { type LockEntry, type LockStage, setLockStage, writeLock } from "./lock";
import { LogTail } from "./log-tail";
import { ParamsReader, readParams } from "./params";
import type { Project } from "./project";
import { cancelSignal, runStageProcess, stageFailure } from "./stage-process";
import { describeReason, type EvaluateContext, evaluateStage, type StageStatus } from "./status";
import type { ValueMap } from "./values";

export interface RunOptions extends Selection {
  /** Run the selected stages even when nothing changed (frozen stages still do not run). */
  force?: boolean;
  /** Decide and report, but run, restore and write nothing. */
  dryRun?: boolean;
  /** Called before a stage runs, with its commands and why it runs. */
  onStageStart?: (stage: Stage, status: StageStatus) => void;
  /** Output of the running stage, as it comes. */
  onOutput?: (stage: string, stream: "stdout" | "stderr", chunk: string) => void;
  onStageEnd?: (record: StageRecord) => void;
  /** Environment for the commands (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Lines of output kept per stage for the record (default 50). */
  logTailLines?: number;
  /** Shell that runs each command with `-c` (default `sh`). */
  shell?: string;
  /** Cancels the run: the running stage's process group gets the signal the reason names. */
  signal?: AbortSignal;
  /** How long a cancelled stage may take to stop before it is killed (default 10 s). */
  cancelGraceMs?: number;
}

export interface RunResult {
  /** One record per selected stage, in run order. */
  stages: StageRecord[];
  statuses: StageStatus[];
  success: boolean;
  /** The first stage that failed. */
  failed?: string;
  /** The signal that cancelled the run (through `signal`). */
  cancelled?: NodeJS.Signals;
  lockWritten: boolean;
}

function toEntry(path: string, h: HashDetails): LockEntry {
  const e: LockEntry = { path, hashMd5: true, md5: h.md5, size: h.size };
  if (h.nfiles !== undefined) e.nfiles = h.nfiles;
  if (h.isexec) e.isexec = true;
  return e;
}

interface StageRun {
  ok: boolean;
  reason?: string;
  exitCode?: number | null;
  lock?: LockStage;
}

async function runStage(
  ctx: EvaluateContext,
  stage: Stage,
  opts: RunOptions,
  tail: LogTail,
): Promise<StageRun> {
  const { project } = ctx;
  const abs = (p: string) => join(project.root, repoPath(stage, p));
  const hashOpts = { cache: project.hashCache, root: project.root };
  const missing: string[] = [];
  for (const d of stage.deps) {
    await hashPathDetailed(abs(d), hashOpts).catch(() => missing.push(d));
  }
  if (missing.length) return { ok: false, reason: `missing dependencies: ${missing.join(", ")}` };
  for (const ref of stage.params) {
    const cur = await readParams(ctx.params, stage, ref);
    if (cur.values === null) return { ok: false, reason: `params file ${ref.file} does not exist` };
    if (cur.missing.length) {
      return { ok: false, reason: `params ${cur.missing.join(", ")} are missing from ${ref.file}` };
    }
  }
  for (const o of stage.outs) if (!o.persist) await rm(abs(o.path), { recursive: true, force: true });
  const cwd = join(project.root, stage.wdir);
  const cmds = Array.isArray(stage.cmd) ? stage.cmd : [stage.cmd];
  for (const cmd of cmds) {
    const r = await runStageProcess(cmd, {
      cwd,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.shell ? { shell: opts.shell } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.cancelGraceMs !== undefined ? { graceMs: opts.cancelGraceMs } : {}),
      onOutput: (stream, chunk) => {
        tail.push(chunk);
        opts.onOutput?.(stage.name, stream, chunk);
      },
    });
    const failure = stageFailure(r, cmd);
    if (failure) return { ok: false, reason: failure, exitCode: r.code };
  }
  // Hash what the stage read and wrote, as DVC does after the run.
  ctx.params.clear();
  const deps: LockEntry[] = [];
  for (const d of stage.deps) {
    const h = await hashPathDetailed(abs(d), hashOpts).catch(() => null);
    if (!h) return { ok: false, reason: `dependency ${d} disappeared during the run`, exitCode: 0 };
    deps.push(toEntry(d, h));
  }
  const params = new Map<string, ValueMap>();
  for (const ref of stage.params) {
    const cur = await readParams(ctx.params, stage, ref);
    params.set(ref.file, cur.values ?? new Map());
  }
  const outs: LockEntry[] = [];
  for (const o of stage.outs) {
    const h = await hashPathDetailed(abs(o.path), hashOpts).catch(() => null);
    if (!h) return { ok: false, reason: `output '${o.path}' does not exist after the run`, exitCode: 0 };
    if (o.cache) await project.cache.save(abs(o.path), h);
    outs.push(toEntry(o.path, h));
  }
  return { ok: true, exitCode: 0, lock: { cmd: stage.cmd, deps, params, outs } };
}

async function restoreOutputs(project: Project, stage: Stage, status: StageStatus): Promise<void> {
  const locked = project.lock.stages.get(stage.name);
  for (const r of status.reasons) {
    if (r.kind !== "out-missing") continue;
    const entry = locked?.outs.find((e) => e.path === r.path);
    if (!entry?.md5) continue;
    const target = join(project.root, repoPath(stage, r.path));
    ensureDirSync(dirname(target));
    await project.cache.checkout(entry.md5, target, { isexec: entry.isexec === true });
  }
}

/** Reproduce the pipeline (or the selected part of it). */
export async function runPipeline(project: Project, opts: RunOptions = {}): Promise<RunResult> {
  const ctx: EvaluateContext = { project, params: new ParamsReader(project.root) };
  const stages = selectStages(project.graph, opts);
  const records: StageRecord[] = [];
  const statuses: StageStatus[] = [];
  const broken = new Set<string>();
  let failed: string | undefined;
  let lockWritten = false;
  const tailMax = opts.logTailLines ?? 50;
  try {
    for (const stage of stages) {
      if (opts.signal?.aborted) {
        const rec: StageRecord = {
          name: stage.name,
          status: "blocked",
          reason: `not run: the run was cancelled (${cancelSignal(opts.signal)})`,
        };
        records.push(rec);
        opts.onStageEnd?.(rec);
        continue;
      }
      const ups = (project.graph.upstream.get(stage.name) ?? []).filter((u) => broken.has(u));
      if (ups.length) {
        broken.add(stage.name);
        const rec: StageRecord = {
          name: stage.name,
          status: "blocked",
          reason: `upstream stage ${ups.join(", ")} failed`,
        };
        records.push(rec);
        opts.onStageEnd?.(rec);
        continue;
      }
      const status = await evaluateStage(ctx, stage, project.lock.stages.get(stage.name));
      statuses.push(status);
      const run = !stage.frozen && (opts.force === true || status.state === "changed");
      if (!run) {
        let reason = status.state === "frozen" ? "frozen" : "up to date";
        if (status.state === "restore") {
          if (!opts.dryRun) await restoreOutputs(project, stage, status);
          reason = opts.dryRun
            ? "up to date; would restore outputs from the cache"
            : "up to date; outputs restored from the cache";
        }
        const rec: StageRecord = { name: stage.name, status: "skipped", reason };
        records.push(rec);
        opts.onStageEnd?.(rec);
        continue;
      }
      const why = status.reasons.length ? status.reasons.map(describeReason).join("; ") : "forced";
      if (opts.dryRun) {
        const rec: StageRecord = {
          name: stage.name,
          status: "skipped",
          reason: `dry run; would run: ${why}`,
        };
        records.push(rec);
        opts.onStageEnd?.(rec);
        continue;
      }
      opts.onStageStart?.(stage, status);
      const tail = new LogTail(tailMax);
      const started = new Date();
      const t0 = performance.now();
      const result = await runStage(ctx, stage, opts, tail);
      const rec: StageRecord = {
        name: stage.name,
        status: result.ok ? "ran" : "failed",
        reason: result.ok ? why : (result.reason ?? "failed"),
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Math.round(performance.now() - t0),
        exitCode: result.exitCode ?? null,
        logTail: tail.result(),
      };
      if (result.ok && result.lock) {
        setLockStage(project.lock, stage.name, result.lock);
        lockWritten = (await writeLock(project.lockPath, project.lock)) || lockWritten;
      } else {
        broken.add(stage.name);
        failed ??= stage.name;
      }
      records.push(rec);
      opts.onStageEnd?.(rec);
    }
  } finally {
    await project.hashCache.save();
  }
  const cancelled = opts.signal?.aborted ? cancelSignal(opts.signal) : undefined;
  const result: RunResult = {
    stages: records,
    statuses,
    success: failed === undefined && cancelled === undefined,
    lockWritten,
  };
  if (failed) result.failed = failed;
  if (cancelled) result.cancelled = cancelled;
  return result;
}
