export { CacheStore, type ManifestEntry, objectRelPath } from "./cache";
export { type DvcConfig, loadDvcConfig, type ParsingConfig, type RemoteConfig } from "./config";
export { type ParseDvcYamlOptions, parseDvcYaml, parseDvcYamlText } from "./dvc-yaml/parse";
export type { ParamsRef, Pipeline, Stage, StageOut } from "./dvc-yaml/types";
export { inputsFingerprint } from "./fingerprint";
export { type CommandRunner, processRunner, type RunOutput, type StreamHandle } from "./gpu/command-runner";
export { detectGpus, type GpuDetection, GpuMonitor, type GpuOptions } from "./gpu/telemetry";
export {
  buildGraph,
  closure,
  dagMermaid,
  dagText,
  repoPath,
  resolveTargets,
  type Selection,
  type StageGraph,
  selectStages,
} from "./graph";
export { md5File } from "./hash/file-md5";
export { DEFAULT_RACY_WINDOW_MS, HashCache, type HashCacheOptions } from "./hash/hash-cache";
export {
  type HashDetails,
  type HashInfo,
  type HashOptions,
  hashPath,
  hashPathDetailed,
  type TreeFile,
  treeManifest,
} from "./hash/hash-path";
export {
  emptyLock,
  type Lock,
  type LockEntry,
  type LockStage,
  parseLock,
  readLock,
  serializeLock,
  setLockStage,
  writeLock,
} from "./lock";
export { LogTail } from "./log-tail";
export { type OpenProjectOptions, openProject, type Project } from "./project";
export { LocalRemote, openRemote, pull, push, type Remote, type TransferResult } from "./remote";
export { type RunOptions, type RunResult, runPipeline } from "./runner";
export {
  cancelOnSignals,
  cancelSignal,
  runStageProcess,
  type StageProcessOptions,
  type StageProcessResult,
  spawnStage,
  stageFailure,
} from "./stage-process";
export { type ChangeReason, describeReason, pipelineStatus, type StageStatus } from "./status";
export { PyFloat, pyStr, Timestamp, toPlain, type Value, type ValueMap } from "./values";
