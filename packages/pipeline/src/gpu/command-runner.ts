/**
 * The small process interface GPU telemetry uses, so tests (and other platforms) can swap it:
 * run a command to completion, or stream a long-running one line by line.
 */
import { spawn } from "node:child_process";

export interface RunOutput {
  /** null when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not start (ENOENT: not on PATH). */
  error?: NodeJS.ErrnoException;
}

export interface StreamHandle {
  /** Stop the process and wait until it has exited. */
  stop(): Promise<void>;
  /** Resolves when the process exits on its own or after stop(). */
  readonly exited: Promise<{ code: number | null; error?: NodeJS.ErrnoException }>;
}

export interface CommandRunner {
  run(cmd: string, args: string[]): Promise<RunOutput>;
  stream(cmd: string, args: string[], onLine: (line: string) => void): StreamHandle;
}

/** A runner on real child processes. `env` (e.g. a PATH) applies to every command it starts. */
export function processRunner(env?: NodeJS.ProcessEnv): CommandRunner {
  const opts = env ? { env } : {};
  return {
    run(cmd, args) {
      return new Promise((resolve) => {
        const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => {
          stdout += c;
        });
        child.stderr.setEncoding("utf8").on("data", (c: string) => {
          stderr += c;
        });
        child.on("error", (error: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr, error }));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    },
    stream(cmd, args, onLine) {
      const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "ignore"] });
      let partial = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => {
        const lines = (partial + c).split("\n");
        partial = lines.pop() ?? "";
        for (const l of lines) onLine(l);
      });
      const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
        child.on("error", (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
        child.on("close", (code) => {
          if (partial) onLine(partial);
          partial = "";
          resolve({ code });
        });
      });
      return {
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
            await exited;
            clearTimeout(timer);
          }
          await exited;
        },
      };
    },
  };
}
