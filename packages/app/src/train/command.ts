/**
 * The train action's plain `command` mode: one shell command (`sh -c`) in the project folder,
 * its output streamed and its last lines kept, recorded as a single stage named `command`.
 */
import type { StageRecord } from "@mlci/common";
import { LogTail, runStageProcess, stageFailure } from "@mlci/pipeline";

export const COMMAND_STAGE = "command";

export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onOutput?: (stage: string, stream: "stdout" | "stderr", chunk: string) => void;
  /** Cancels the command (see runStageProcess). */
  signal?: AbortSignal;
}

/** Run `command` to completion; never throws (a command that cannot start is a failed stage). */
export async function runShellCommand(command: string, opts: CommandOptions): Promise<StageRecord> {
  const tail = new LogTail(50);
  const started = new Date();
  const t0 = performance.now();
  const r = await runStageProcess(command, {
    cwd: opts.cwd,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    onOutput: (stream, chunk) => {
      tail.push(chunk);
      opts.onOutput?.(COMMAND_STAGE, stream, chunk);
    },
  });
  const failure = stageFailure(r, command);
  return {
    name: COMMAND_STAGE,
    status: failure ? "failed" : "ran",
    reason: failure ?? `command: ${command}`,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    exitCode: r.code,
    logTail: tail.result(),
  };
}
