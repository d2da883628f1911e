import type { Command } from "../command";
import { reportCommand } from "./report";

/** Every command of `mlci`. Keep the list sorted by name. */
export const commands: Command[] = [reportCommand];
