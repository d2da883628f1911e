import { spawnStage } from "@mlci/pipeline";

export interface CommandResult {
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  signal: string | null;
}

export type CommandRunner = (
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
) => Promise<CommandResult>;

/**
 * Runs a command the way a workflow's `run:` step does on Linux and macOS (`bash --noprofile
 * --norc -eo pipefail`), with its output streamed to ours. A cancelled job's SIGINT or SIGTERM is
 * passed on to the command's whole process group (its own, without a terminal), so the programs
 * bash started stop too, not only bash, and the deployment is marked failed.
 */
export const runShellCommand: CommandRunner = (command, { cwd, env }) =>
  new Promise((resolve) => {
    const { child, kill } = spawnStage("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", command], {
      cwd,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    const forward = (signal: NodeJS.Signals) => () => kill(signal);
    const onInt = forward("SIGINT");
    const onTerm = forward("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    const done = (result: CommandResult) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(result);
    };
    child.on("error", () => done({ code: 127, signal: null }));
    child.on("close", (code, signal) => done({ code, signal }));
  });
