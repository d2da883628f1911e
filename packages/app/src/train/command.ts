/**
 * The train action's plain `command` mode: one shell command (`sh -c`) in the project folder,
 * its output streamed and its last lines kept, recorded as a single stage named `command`.
 */
import { spawn } from "node:child_process";
import type { StageRecord } from "@mlci/common";
import { LogTail } from "@mlci/pipeline";

export const COMMAND_STAGE = "command";

export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  shell?: string;
  onOutput?: (stage: string, stream: "stdout" | "stderr", chunk: string) => void;
  logTailLines?: number;
}

/** Run `command` to completion; never throws (a command that cannot start is a failed stage). */
export function runShellCommand(command: string, opts: CommandOptions): Promise<StageRecord> {
  const tail = new LogTail(opts.logTailLines ?? 50);
  const started = new Date();
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(opts.shell ?? "sh", ["-c", command], {
      cwd: opts.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      ...(opts.env ? { env: opts.env } : {}),
    });
    for (const stream of ["stdout", "stderr"] as const) {
      child[stream].setEncoding("utf8");
      child[stream].on("data", (chunk: string) => {
        tail.push(chunk);
        opts.onOutput?.(COMMAND_STAGE, stream, chunk);
      });
    }
    const finish = (exitCode: number | null, reason: string) =>
      resolve({
        name: COMMAND_STAGE,
        status: exitCode === 0 ? "ran" : "failed",
        reason,
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Math.round(performance.now() - t0),
        exitCode,
        logTail: tail.result(),
      });
    child.on("error", (err) => finish(null, `could not start the command: ${err.message}`));
    child.on("close", (code, signal) => {
      if (code === 0) finish(0, `command: ${command}`);
      else finish(code, `command ${signal ? `killed by ${signal}` : `exited with code ${code}`}: ${command}`);
    });
  });
}
