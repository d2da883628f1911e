export { writeFileAtomic, writeFileAtomicSync } from "./atomic-write";
export {
  type ConfigProblem,
  configJsonSchema,
  formatKeyPath,
  type LocatedDocument,
  loadConfigFile,
  parseConfigFile,
  parseYamlLocated,
} from "./config-file";
export {
  configError,
  type ErrorCode,
  ExitCode,
  exitCodeFor,
  formatError,
  formatLocation,
  type Location,
  MlciError,
} from "./errors";
export {
  type GpuDevice,
  type GpuDeviceSummary,
  type GpuSummary,
  RUN_RECORD_VERSION,
  type RunRecord,
  type StageRecord,
} from "./run-record";
