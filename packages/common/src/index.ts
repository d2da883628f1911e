export { writeFileAtomic, writeFileAtomicSync } from "./atomic-write";
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
