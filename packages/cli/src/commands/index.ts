import type { Command } from "../command";

/** Every command of `mlci`. Keep the list sorted by name. */
export const commands: Command[] = [];
