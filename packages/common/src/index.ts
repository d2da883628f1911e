export { checkWritable, ensureDirSync, writeFileAtomic, writeFileAtomicSync } from "./atomic-write";
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
  type CodeSpanOptions,
  codeSpan,
  DEFAULT_MAX_TEXT_LENGTH,
  escapeText,
  link,
  safeUrl,
  type TextOptions,
  toOneLine,
  truncate,
} from "./markdown-escape";
export {
  type GpuDevice,
  type GpuDeviceSummary,
  type GpuSummary,
  RUN_RECORD_VERSION,
  type RunRecord,
  type StageRecord,
} from "./run-record";
