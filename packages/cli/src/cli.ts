import { parseArgs } from "node:util";
import { ExitCode, exitCodeFor, formatError, MlciError } from "@mlci/common";
import type { CliContext, Command } from "./command";

export const VERSION = "0.1.0";

function optionHelp(cmd: Command): string[] {
  const flags = Object.entries(cmd.options).map(([name, o]) => ({
    flag: `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? " <value>" : ""}`,
    help: cmd.optionHelp?.[name] ?? "",
  }));
  const width = Math.max(...flags.map((f) => f.flag.length), 0) + 2;
  return flags.map((f) => `  ${f.help ? f.flag.padEnd(width) + f.help : f.flag}`);
}

export function renderHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4) + 2;
  const lines = [
    `mlci ${VERSION}: continuous integration and delivery for machine learning`,
    "",
    "Usage: mlci <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Examples:",
    ...commands.flatMap((c) => c.examples.slice(0, 1).map((e) => `  ${e}`)),
    "",
    "Run `mlci <command> --help` for a command's options.",
    "Exit codes: 0 ok, 1 a gate/check/stage failed, 2 bad usage or config, 3 git/API/file unavailable, 70 a bug, 130 cancelled (Ctrl-C).",
  ];
  return lines.join("\n");
}

export function renderCommandHelp(cmd: Command): string {
  return [
    `Usage: ${cmd.usage}`,
    "",
    cmd.summary,
    "",
    "Options:",
    ...optionHelp(cmd),
    "  -h, --help",
    "",
    "Examples:",
    ...cmd.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/** Find the longest command name that prefixes argv (so `registry show` beats `registry`). */
function resolve(commands: Command[], argv: string[]): { cmd: Command; rest: string[] } | null {
  let best: { cmd: Command; rest: string[] } | null = null;
  for (const cmd of commands) {
    const words = cmd.name.split(" ");
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.cmd.name.split(" ").length)) {
      best = { cmd, rest: argv.slice(words.length) };
    }
  }
  return best;
}

/** Runs mlci with argv (without `node` and the script). Returns the exit code; never throws. */
export async function runCli(argv: string[], ctx: CliContext, commands: Command[]): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      ctx.stdout(`${renderHelp(commands)}\n`);
      return argv.length === 0 ? ExitCode.USAGE : ExitCode.OK;
    }
    if (argv[0] === "--version" || argv[0] === "-v") {
      ctx.stdout(`${VERSION}\n`);
      return ExitCode.OK;
    }
    const found = resolve(commands, argv);
    if (!found) {
      throw new MlciError("INPUT", `unknown command "${argv[0]}"`, {
        hint: "run `mlci --help` to list commands",
      });
    }
    const { cmd, rest } = found;
    if (rest.includes("--help") || rest.includes("-h")) {
      ctx.stdout(`${renderCommandHelp(cmd)}\n`);
      return ExitCode.OK;
    }
    let parsed: { values: Record<string, unknown>; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: cmd.options,
        allowPositionals: cmd.allowPositionals ?? false,
        strict: true,
      }) as { values: Record<string, unknown>; positionals: string[] };
    } catch (e) {
      throw new MlciError("INPUT", `mlci ${cmd.name}: ${(e as Error).message}`, {
        hint: `run \`mlci ${cmd.name} --help\``,
      });
    }
    return await cmd.run(parsed, ctx);
  } catch (err) {
    ctx.stderr(`mlci: ${formatError(err)}\n`);
    return exitCodeFor(err);
  }
}
