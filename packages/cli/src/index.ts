export { renderCommandHelp, renderHelp, runCli, VERSION } from "./cli";
export type { CliContext, Command } from "./command";
export { commands } from "./commands/index";
