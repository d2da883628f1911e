/**
 * The train action's use case: restore the DVC cache, run the pipeline (or a command) with one
 * log group per stage and GPU telemetry, write the run record, save the cache, and describe the
 * run (outputs, job summary, an error annotation for a failed stage). The entry point only
 * reads inputs and the environment and writes what this returns.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkWritable, formatError, MlciError, type RunRecord, type StageRecord } from "@mlci/common";
import { type CommandRunner, openProject, type Project } from "@mlci/pipeline";
import { formatDuration } from "@mlci/report";
import type { CacheService } from "./cache-service";
import { checkCacheKeyPrefix, planDvcCache, restoreDvcCache, saveDvcCache } from "./dvc-cache";
import type { GpuMode } from "./gpu";
import { type ReproHooks, type RunFacts, reproduce, writeRunRecord } from "./repro";
import { type CacheFacts, failedStage, failureAnnotation, renderTrainSummary, trainOutputs } from "./summary";

export interface TrainActionInputs {
  targets: string[];
  force: boolean;
  downstream: boolean;
  /** A plain shell command to run instead of the pipeline ("" for the pipeline). */
  command: string;
  workingDirectory: string;
  cache: boolean;
  cacheKeyPrefix: string;
  gpu: GpuMode;
  requireGpu: boolean;
  /** Where to write the run record, relative to the workspace ("" for `$RUNNER_TEMP/mlci-run.json`). */
  runRecord: string;
  /** Metrics files to watch besides those dvc.yaml declares. */
  metrics: string[];
  summary: boolean;
}

export interface TrainLog {
  info(message: string): void;
  warning(message: string): void;
  error(message: string, title: string): void;
  startGroup(title: string): void;
  endGroup(): void;
  /** Raw output of a stage, as it comes. */
  write(chunk: string): void;
}

export interface TrainActionDeps {
  inputs: TrainActionInputs;
  workspace: string;
  runnerTemp: string;
  /** RUNNER_OS, part of the cache key (caches do not cross operating systems). */
  runnerOs: string;
  /** Environment of the stages; also gives PATH and CUDA_VISIBLE_DEVICES for GPU telemetry. */
  env: NodeJS.ProcessEnv;
  facts: RunFacts;
  /** Where the DVC cache is kept between runs; null turns caching off. */
  cacheService: CacheService | null;
  log: TrainLog;
  appendSummary(markdown: string): Promise<void>;
  /** Runs nvidia-smi (tests and other platforms swap it). */
  gpuRunner?: CommandRunner;
  /** Aborted when the job is cancelled (the reason is the signal's name). */
  signal?: AbortSignal;
}

export interface TrainActionResult {
  outputs: Record<string, string>;
  record: RunRecord;
  /** Set when the run failed: the message for `core.setFailed`. */
  failure?: string;
}

function projectRoot(inputs: TrainActionInputs, workspace: string): string {
  const root = resolve(workspace, inputs.workingDirectory || ".");
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new MlciError("INPUT", `working-directory ${inputs.workingDirectory} is not a folder`);
  }
  return root;
}

function groupHooks(log: TrainLog): ReproHooks {
  let open: string | undefined;
  let atLineStart = true;
  const close = () => {
    if (!atLineStart) log.write("\n");
    atLineStart = true;
  };
  return {
    onGpu: (m) => log.info(m),
    onStageStart(name, why, commands) {
      open = name;
      log.startGroup(`stage ${name}`);
      log.info(`Running stage '${name}': ${why}`);
      for (const c of commands) log.info(`> ${c}`);
    },
    onOutput(_stage, _stream, chunk) {
      if (chunk === "") return;
      log.write(chunk);
      atLineStart = chunk.endsWith("\n");
    },
    onStageEnd(rec: StageRecord) {
      const took = rec.durationMs === undefined ? "" : ` in ${formatDuration(rec.durationMs)}`;
      if (open === rec.name) {
        close();
        log.info(
          `stage ${rec.name}: ${rec.status}${took}${rec.status === "failed" ? ` (${rec.reason})` : ""}`,
        );
        log.endGroup();
        open = undefined;
      } else {
        log.info(`stage ${rec.name}: ${rec.status} (${rec.reason ?? ""})`);
      }
    },
  };
}

export async function runTrainAction(deps: TrainActionDeps): Promise<TrainActionResult> {
  const { inputs, log } = deps;
  const command = inputs.command.trim();
  if (command && (inputs.targets.length > 0 || inputs.force || inputs.downstream)) {
    throw new MlciError(
      "INPUT",
      "`command` runs a plain command: it cannot be combined with `targets`, `force` or `downstream`",
    );
  }
  if (inputs.cache) checkCacheKeyPrefix(inputs.cacheKeyPrefix, deps.runnerOs);
  const root = projectRoot(inputs, deps.workspace);
  const runRecordPath = inputs.runRecord
    ? resolve(deps.workspace, inputs.runRecord)
    : join(deps.runnerTemp, "mlci-run.json");
  // Before any stage runs: an unwritable run-record path should not cost a training run.
  checkWritable(runRecordPath);
  const project: Project | null =
    command && !existsSync(join(root, "dvc.yaml")) ? null : await openProject({ root });

  let cache: CacheFacts | null = null;
  let service = inputs.cache && project ? deps.cacheService : null;
  const unavailable = service?.unavailable();
  if (unavailable) {
    // Say so once, and do not hash the inputs for a key nobody will use.
    log.warning(`DVC cache not restored: ${unavailable}; the stages run without it`);
    service = null;
  }
  const plan =
    service && project
      ? await planDvcCache(project, {
          prefix: inputs.cacheKeyPrefix,
          os: deps.runnerOs,
          workspace: deps.workspace,
        })
      : null;
  if (plan && service) {
    const restored = await restoreDvcCache(service, plan, log);
    cache = { hit: restored.hit, ...(restored.key ? { restoredKey: restored.key } : {}) };
  }

  const gpu = {
    mode: inputs.gpu,
    require: inputs.requireGpu,
    ...(deps.env.CUDA_VISIBLE_DEVICES !== undefined
      ? { cudaVisibleDevices: deps.env.CUDA_VISIBLE_DEVICES }
      : {}),
    ...(deps.env.PATH !== undefined ? { path: deps.env.PATH } : {}),
    ...(deps.gpuRunner ? { runner: deps.gpuRunner } : {}),
  };
  const run = await reproduce({
    root,
    ...(project ? { project } : {}),
    ...(command ? { command } : {}),
    targets: inputs.targets,
    force: inputs.force,
    downstream: inputs.downstream,
    env: deps.env,
    gpu,
    extraMetrics: inputs.metrics,
    hooks: groupHooks(log),
    facts: deps.facts,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const { record } = run;

  // A record that cannot be written (a full disk) fails the step, after the cache and summary.
  const recordProblem = await writeRunRecord(runRecordPath, record).then(
    () => undefined,
    (err: unknown) => `the run record was not written: ${formatError(err)}`,
  );

  if (plan && service && cache && project && record.success) {
    if (await saveDvcCache(service, plan, project, cache.hit, log)) cache.savedKey = plan.key;
  }

  const model = { record, metricsChanged: run.metricsChanged, cache };
  if (inputs.summary) await deps.appendSummary(renderTrainSummary(model));
  const result: TrainActionResult = { outputs: trainOutputs({ ...model, runRecordPath }), record };
  const failed = failedStage(record);
  if (run.cancelled) {
    const { signal, stopped } = run.cancelled;
    result.failure = `the run was cancelled (${signal})${stopped ? `: stage ${stopped} was stopped` : ""}`;
    log.error(result.failure, "Cancelled");
  } else if (failed) {
    const a = failureAnnotation(failed);
    log.error(a.message, a.title);
    result.failure = `stage ${failed.name} failed: ${failed.reason ?? "failed"}`;
  } else if (!record.success) {
    result.failure = "the run failed";
  }
  if (recordProblem) {
    log.error(recordProblem, "Run record");
    result.failure ??= recordProblem;
  }
  return result;
}
