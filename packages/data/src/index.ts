// Readers

// Drift
export { compareDataset } from "./drift/compare-dataset";
export { chiSquareTest, jensenShannon, psi, samplePoints, wasserstein, zTest } from "./drift/distances";
export {
  type ColumnDrift,
  compareProfiles,
  DRIFT_VERSION,
  type DriftMethod,
  type DriftOptions,
  type DriftReport,
} from "./drift/drift";
export { type KsResult, ks2Samp } from "./drift/ks";
export { chiSquareSf, normalCdf } from "./drift/special";
// Profiles
export {
  type ColumnState,
  DEFAULT_SKETCH_CONFIG,
  type SketchConfig,
  type TypeCounts,
} from "./profile/column-profiler";
export { DatasetProfiler, type ProfilerOptions } from "./profile/dataset-profiler";
export { mergeAllProfiles, mergeProfiles } from "./profile/merge";
export {
  DEFAULT_PROFILE_PATH,
  PROFILE_ASSET_NAME,
  parseProfile,
  readProfile,
  writeProfile,
} from "./profile/profile-file";
export {
  type ColumnProfile,
  type ColumnType,
  type DatasetSummary,
  type FileSummary,
  type Histogram,
  PROFILE_VERSION,
  type Profile,
  type ProfileConfig,
  QUANTILES,
} from "./profile/profile-format";
export { CELL_TYPE_NAMES, CellType, DEFAULT_NULL_VALUES } from "./readers/cell";
export { CsvParser, type CsvParserOptions } from "./readers/csv-parser";
export { findSplitPoints, readCsvHeader } from "./readers/csv-split";
export { type ByteRange, readDelimited } from "./readers/delimited-reader";
export { readJsonLines } from "./readers/jsonl-reader";
export { readParquet } from "./readers/parquet-reader";
export { collectRows, readDataset, readSource } from "./readers/read";
export type { ReadOptions, ReadStats } from "./readers/read-options";
export {
  FIELD_ESCAPED,
  FIELD_QUOTED,
  fieldText,
  type Row,
  type RowIssue,
  type RowIssueKind,
  type RowSink,
  rowTexts,
  type TextRow,
  type ValueRow,
} from "./readers/row";
export {
  type DataFormat,
  type DataSource,
  detectFormat,
  type ResolveOptions,
  resolveSources,
} from "./readers/sources";
// Scanning (one pass: profile and/or check, one thread or several)
export {
  defaultWorkerUrl,
  profileDataset,
  type ScanDatasetOptions,
  type ScanResult,
  scanDataset,
  validateDataset,
} from "./scan/scan-dataset";
export type { ScanOptions } from "./scan/unit";
// Schema checks
export { CHECK_VERSION, type CheckResult, type RuleName, type RuleResult } from "./schema/check-result";
export type { Example } from "./schema/check-state";
export { type InferOptions, inferSchema } from "./schema/infer";
export {
  type ColumnRules,
  DATA_SCHEMA_ID,
  type DataSchema,
  DEFAULT_SCHEMA_PATH,
  dataSchemaFileSchema,
  dataSchemaJsonSchema,
  parseDataSchema,
  type SchemaColumnType,
  type Severity,
} from "./schema/schema-file";
// Sketches
export { FrequentItems, type FrequentState, type ItemValue } from "./sketch/frequent";
export { hashBytes, hashNumber, hashString } from "./sketch/hash";
export { FixedHistogram, type HistogramState } from "./sketch/histogram";
export { type HllState, HyperLogLog } from "./sketch/hll";
export { KllSketch, type KllState } from "./sketch/kll";
export { Moments, type MomentsState } from "./sketch/moments";
export { Rng } from "./sketch/prng";
export { Reservoir, type ReservoirState } from "./sketch/reservoir";
export { ValueCounts, type ValueCountsState } from "./sketch/value-counts";
