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
