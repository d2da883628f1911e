// Entry points that run stages stop them on a cancelled job's signals.
export { cancelOnSignals } from "@mlci/pipeline";
export { ANNOTATIONS_PER_LEVEL, type DataAnnotation, dataAnnotations } from "./data/annotations";
export {
  runValidateDataAction,
  type ValidateDataActionDeps,
  type ValidateDataActionInputs,
  type ValidateDataActionOutcome,
  type ValidateDataActionOutputs,
} from "./data/data-action";
export {
  DATA_RESULT_VERSION,
  type DataReference,
  type DataResult,
  parseDataResult,
} from "./data/data-result";
export {
  checkHeadline,
  type DataSectionOptions,
  driftHeadline,
  renderDataSection,
} from "./data/data-section";
export { clean, renderCheckText, renderDriftText, renderProfileText } from "./data/data-text";
export { formatBytes, type ProgressBar, progressBar, progressLine, type ScanProgress } from "./data/progress";
export { type DataReportSection, dataReportSection } from "./data/report-section";
export { type ValidateDataOptions, type ValidateDataOutcome, validateData } from "./data/validate-data";
export {
  type DeployActionDeps,
  type DeployActionInputs,
  type DeployActionOutcome,
  type DeployStatus,
  runDeployAction,
} from "./deploy/deploy-action";
export { readGateResultInput } from "./deploy/gate-input";
export { metricsDigest } from "./deploy/metrics-digest";
export { type CommandResult, type CommandRunner, runShellCommand } from "./deploy/run-command";
export { CONFIG_FILES, type ConfigFile, checkConfigFiles } from "./doctor/config-check";
export { type DoctorOptions, runDoctor } from "./doctor/doctor";
export { checkGpu, type GpuCheckOptions } from "./doctor/gpu-check";
export { renderDoctor, STATUS_MARK } from "./doctor/render";
export { checkGit, checkNode } from "./doctor/system-checks";
export {
  checkToken,
  judgeRepoAccess,
  type RepoAnswer,
  repoFromRemote,
  type TokenCheckOptions,
  type TokenKind,
  tokenKind,
} from "./doctor/token-check";
export type { CheckStatus, DoctorCheck, DoctorReport } from "./doctor/types";
export { parseBaselineOverride, type ResolvedBaseline, resolveBaseline } from "./gate/baseline";
export { type ComputedGate, type ComputeGateOptions, computeGate } from "./gate/compute-gate";
export {
  type GateActionDeps,
  type GateActionInputs,
  type GateActionOutcome,
  type GateActionOutputs,
  runGateAction,
} from "./gate/gate-action";
export { type GateReportSection, gateReportSection } from "./gate/report-section";
export { escapeHtml, renderInline, safeHref } from "./preview/inline";
export { renderMarkdownHtml } from "./preview/markdown-html";
export { renderPreviewPage } from "./preview/preview-page";
export { parseXyChart, renderXyChartSvg, type XyChart } from "./preview/xychart-svg";
export {
  type CardFacts,
  type CollectCardOptions,
  collectCard,
  gateFacts,
  outputsOf,
  profileDigest,
} from "./registry/card-data";
export {
  type CardEntry,
  type CardGate,
  type CardValue,
  type ModelCard,
  renderCardMarkdown,
  renderCardText,
} from "./registry/model-card";
export { labelsForCommit } from "./registry/pr-labels";
export {
  type RegisterActionDeps,
  type RegisterActionInputs,
  type RegisterActionResult,
  type RegisteredArtifact,
  runRegisterAction,
} from "./registry/register-action";
export {
  assignRemote,
  type RemoteAssignOptions,
  type RemoteAssignOutcome,
  type RemoteOutcome,
  type RemoteRegisterOptions,
  type RemoteRegistryDeps,
  registerRemote,
} from "./registry/remote-registry";
export { type RemoteRepo, RemoteTags } from "./registry/remote-tags";
export { ACTIONS_TAGGER, isoSeconds, type TaggerIdentity } from "./registry/remote-writer";
export { renderRegisterSummary } from "./registry/summary";
export {
  BUNDLE_FILE,
  BUNDLE_VERSION,
  parseReportBundle,
  type ReportBundle,
} from "./report/bundle";
export { type ComputedReport, type ComputeReportOptions, computeReport, WORKSPACE } from "./report/compute";
export { type OutsidePr, type PostOutcome, postReport } from "./report/post";
export {
  defaultBase,
  type ReportActionDeps,
  type ReportActionInputs,
  type ReportActionResult,
  runPostBundle,
  runReportAction,
} from "./report/report-action";
export { verifyBundleTarget } from "./report/verify-bundle";
export { renderRetrainBody, retrainTitle } from "./retrain/body";
export {
  decideRetrain,
  describeDrift,
  RETRAIN_DECISION_VERSION,
  type RetrainColumn,
  type RetrainDecision,
} from "./retrain/decide";
export {
  openRetrainPullRequest,
  type RetrainPullRequest,
  type RetrainPullRequestOptions,
  retrainBranchName,
} from "./retrain/open-pr";
export {
  parseReferenceSpec,
  type ReferenceSpec,
  type ResolvedReference,
  resolveReference,
} from "./retrain/reference";
export { computeRetrainDecision, type RetrainOptions } from "./retrain/retrain";
export { booleanInput, oneOf, type Runner, readRunner } from "./runner";
export {
  buildLeaderboard,
  LEADERBOARD_VERSION,
  type Leaderboard,
  type LeaderboardRow,
  renderLeaderboard,
} from "./sweep/leaderboard";
export { type MergeSweepOptions, mergeSweep, type SweepMerge } from "./sweep/merge";
export { type LockMerge, mergeLocks, type TakenStage } from "./sweep/merge-locks";
export { planShards, planSweep, type ShardEntry, type ShardMatrix, type SweepPlan } from "./sweep/plan";
export { type SweepUnit, type SweepUnits, sweepUnits } from "./sweep/units";
export { type CacheService, directoryCacheService } from "./train/cache-service";
export {
  type CacheHit,
  type DvcCachePlan,
  planDvcCache,
  restoreDvcCache,
  saveDvcCache,
} from "./train/dvc-cache";
export { type GpuMode, type GpuRequest, onPath, startGpuTelemetry } from "./train/gpu";
export { changedMetrics, metricsPaths, snapshotMetrics } from "./train/metrics-files";
export {
  type ReproHooks,
  type ReproOptions,
  type ReproResult,
  type RunFacts,
  reproduce,
  writeRunRecord,
} from "./train/repro";
export {
  cleanTail,
  failureAnnotation,
  renderTrainSummary,
  type TrainSummaryModel,
  trainOutputs,
} from "./train/summary";
export {
  runTrainAction,
  type TrainActionDeps,
  type TrainActionInputs,
  type TrainActionResult,
  type TrainLog,
} from "./train/train-action";
