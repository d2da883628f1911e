export {
  BUNDLE_FILE,
  BUNDLE_VERSION,
  parseReportBundle,
  type ReportBundle,
} from "./report/bundle";
export { type ComputedReport, type ComputeReportOptions, computeReport, WORKSPACE } from "./report/compute";
