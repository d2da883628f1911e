import type { ParseArgsConfig } from "node:util";

/** What a command can touch; the entry point builds it, tests pass their own. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** true when stdout/stderr is a terminal (progress bars, colours). */
  isTTY: boolean;
}

export interface Command {
  /** e.g. "report" or "registry show". */
  name: string;
  summary: string;
  usage: string;
  /** Example invocations shown by `--help`. */
  examples: string[];
  options: NonNullable<ParseArgsConfig["options"]>;
  /** One line per option for `--help`, by option name. */
  optionHelp?: Record<string, string>;
  /** Accept positional arguments. */
  allowPositionals?: boolean;
  /** Returns the exit code. Throws MlciError for user mistakes. */
  run(args: { values: Record<string, unknown>; positionals: string[] }, ctx: CliContext): Promise<number>;
}
