export { type CompareOptions, type Comparison, compareRevisions, WORKSPACE } from "./compare";
export {
  CONFIG_FILE,
  defaultConfig,
  loadMlciConfig,
  type MlciConfig,
  type MlciConfigInput,
  mlciConfigJsonSchema,
  mlciConfigSchema,
  parseMlciConfig,
} from "./config";
export { type DiffConfig, diffSnapshots } from "./diff";
export { type DirectionResolver, directionResolver, inferDirection, nameTokens } from "./direction";
export {
  cacheObjectPath,
  type DvcOutput,
  findDvcCacheDir,
  projectCacheResolver,
  recordedOutputs,
} from "./dvc-cache";
export { type DiscoverOptions, type Discovery, discover } from "./dvc-discovery";
export type { ParamsTarget, PlotTarget } from "./dvc-yaml";
export {
  latestMetricValue,
  listMlflowRuns,
  type MlflowOptions,
  type MlflowRun,
  type RunStatus,
  readMlflow,
} from "./mlflow";
export { type NoiseBand, noiseResolver, parseNoiseBand } from "./noise";
export { type FileFormat, flatten, formatOf, parseValuesFile, tableValues } from "./parse-values";
export { plotDiffs } from "./plots";
export { type ResolvedRevisions, resolveBase } from "./resolve-base";
export { readSnapshot, type SnapshotOptions } from "./snapshot";
export { type FileSource, gitRevisionSource, memorySource, workingTreeSource } from "./source";
export type * from "./types";
