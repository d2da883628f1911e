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
