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
