import type { Command } from "../command";
import { dagCommand } from "./dag";
import { doctorCommand } from "./doctor";
import { driftCommand } from "./drift";
import { gateCommand } from "./gate";
import { hashCommand } from "./hash";
import { profileCommand, profileMergeCommand } from "./profile";
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
import { schemaInferCommand } from "./schema";
import { statusCommand } from "./status";
import { sweepMergeCommand } from "./sweep";
import { validateCommand } from "./validate";

/** Every command of `mlci`. Keep the list sorted by name. */
export const commands: Command[] = [
  dagCommand,
  doctorCommand,
  driftCommand,
  gateCommand,
  hashCommand,
  profileCommand,
  profileMergeCommand,
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
  schemaInferCommand,
  statusCommand,
  sweepMergeCommand,
  validateCommand,
];
