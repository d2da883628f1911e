/**
 * One stage command as a child process: `sh -c <cmd>`, its output streamed as it comes. A run is
 * cancelled through an AbortSignal whose reason is the signal that cancelled it (a cancelled GitHub
 * job sends SIGINT to the action's process only, then SIGTERM 7.5 s later). Without a terminal the
 * command runs in a process group of its own, and the whole group, the shell and whatever it
 * started, gets that signal, as a terminal's Ctrl-C would reach it, so a training script can stop
 * cleanly (Python raises KeyboardInterrupt); what is still running after `graceMs` is killed, and
 * the group is killed too if this process exits first. In a terminal the command stays in the
 * terminal's foreground group, where Ctrl-C reaches it directly and a prompt (`git`, `ssh`) can
 * read the terminal; then only the shell is signalled.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

export interface StageProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Shell that runs the command with `-c` (default `sh`). */
  shell?: string;
  signal?: AbortSignal;
  /** How long the group may take to stop after the cancelling signal before SIGKILL (default 10 s). */
  graceMs?: number;
  /** Its own process group (default: when this process has no terminal on stdin). */
  group?: boolean;
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
}

export interface StageProcessResult {
  /** The exit code, or null when a signal ended it or it did not start. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when it could not start. */
  error?: Error;
  /** The signal that cancelled the run, when it was cancelled while this command ran. */
  cancelledBy?: NodeJS.Signals;
}

/** Why a stage command did not succeed, for its record; undefined when it exited with 0. */
export function stageFailure(r: StageProcessResult, cmd: string): string | undefined {
  if (r.cancelledBy) return `cancelled (${r.cancelledBy})`;
  if (r.error) return `could not start the command: ${r.error.message}`;
  if (r.code === 0) return undefined;
  return `command ${r.signal ? `killed by ${r.signal}` : `exited with code ${r.code}`}: ${cmd}`;
}

/** The signal an AbortSignal's reason names (SIGINT unless it names SIGTERM or SIGHUP). */
export function cancelSignal(signal: AbortSignal | undefined): NodeJS.Signals {
  const r = signal?.reason;
  return r === "SIGTERM" || r === "SIGHUP" ? r : "SIGINT";
}

/**
 * Starts a command the way stages run: in a process group of its own when this process has no
 * terminal on stdin (a runner, another tool), so `kill` reaches the command and everything it
 * started; in a terminal, in the terminal's foreground group, so Ctrl-C reaches it directly and a
 * prompt can read the terminal, and `kill` signals the process itself.
 */
export function spawnStage(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
  group = process.stdin.isTTY !== true,
): { child: ChildProcess; kill(sig: NodeJS.Signals): void } {
  const child = spawn(file, args, { ...options, detached: group });
  return {
    child,
    kill(sig) {
      if (child.pid === undefined) return;
      try {
        process.kill(group ? -child.pid : child.pid, sig);
      } catch {
        // It is gone already.
      }
    },
  };
}

export function runStageProcess(cmd: string, opts: StageProcessOptions): Promise<StageProcessResult> {
  return new Promise((resolve) => {
    if (opts.signal?.aborted) {
      resolve({ code: null, signal: null, cancelledBy: cancelSignal(opts.signal) });
      return;
    }
    const { child, kill } = spawnStage(
      opts.shell ?? "sh",
      ["-c", cmd],
      { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], ...(opts.env ? { env: opts.env } : {}) },
      opts.group,
    );
    let cancelledBy: NodeJS.Signals | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (cancelledBy) return;
      cancelledBy = cancelSignal(opts.signal);
      kill(cancelledBy);
      killTimer = setTimeout(() => kill("SIGKILL"), opts.graceMs ?? 10_000);
    };
    const onExit = () => kill("SIGKILL");
    opts.signal?.addEventListener("abort", onAbort);
    process.on("exit", onExit);
    for (const stream of ["stdout", "stderr"] as const) {
      child[stream]?.setEncoding("utf8");
      child[stream]?.on("data", (chunk: string) => opts.onOutput?.(stream, chunk));
    }
    const done = (result: StageProcessResult) => {
      opts.signal?.removeEventListener("abort", onAbort);
      process.off("exit", onExit);
      if (killTimer) clearTimeout(killTimer);
      // A cancelled run leaves nothing of its group behind.
      if (cancelledBy) kill("SIGKILL");
      resolve(cancelledBy ? { ...result, cancelledBy } : result);
    };
    child.on("error", (error) => done({ code: null, signal: null, error }));
    child.on("close", (code, signal) => done({ code, signal }));
  });
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * An AbortSignal for the entry points that run stages: the first SIGINT, SIGTERM or SIGHUP aborts
 * it (the reason is the signal's name) so the running stage is stopped and the run is recorded as
 * cancelled; a second one exits at once (128 + the signal's number), killing the stage's group.
 */
export function cancelOnSignals(onCancel?: (signal: NodeJS.Signals) => void): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => {
    const handler = () => {
      if (controller.signal.aborted) process.exit(128 + (SIGNAL_NUMBERS[sig] ?? 2));
      onCancel?.(sig);
      controller.abort(sig);
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [sig, handler] of handlers) process.off(sig, handler);
    },
  };
}
