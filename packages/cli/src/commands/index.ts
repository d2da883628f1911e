import type { Command } from "../command";
import { dagCommand } from "./dag";
import { gateCommand } from "./gate";
import { hashCommand } from "./hash";
import { registryCommand, registryHistoryCommand, registryShowCommand } from "./registry";
import {
  registryAssignCommand,
  registryDeprecateCommand,
  registryDeregisterCommand,
  registryRegisterCommand,
  registryUnassignCommand,
} from "./registry-write";
import { reportCommand } from "./report";
import { reproCommand } from "./repro";
import { retrainCommand, retrainOpenPrCommand } from "./retrain";
import { statusCommand } from "./status";

/** Every command of `mlci`. Keep the list sorted by name. */
export const commands: Command[] = [
  dagCommand,
  gateCommand,
  hashCommand,
  registryCommand,
  registryAssignCommand,
  registryDeprecateCommand,
  registryDeregisterCommand,
  registryHistoryCommand,
  registryRegisterCommand,
  registryShowCommand,
  registryUnassignCommand,
  reportCommand,
  reproCommand,
  retrainCommand,
  retrainOpenPrCommand,
  statusCommand,
];
