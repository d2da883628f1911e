export {
  type CodeSpanOptions,
  codeSpan,
  DEFAULT_MAX_TEXT_LENGTH,
  escapeText,
  link,
  safeUrl,
  type TextOptions,
} from "./escape";
export {
  formatChange,
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatTimestamp,
  NOT_APPLICABLE,
  plainNumber,
} from "./format-number";
export type {
  ExtraSection,
  RenderedReport,
  RenderOptions,
  ReportLinks,
  ReportModel,
  RevisionRef,
} from "./model";
export {
  COMMENT_LIMIT,
  renderReport,
  renderSummary,
  SUMMARY_LIMIT_BYTES,
  SUMMARY_MARGIN_BYTES,
} from "./render-report";
export { reportMarker } from "./report-marker";
export { type DisplayStatus, STATUS_MARKER } from "./report-parts";
export { gpuSummaryText } from "./run-facts";
export { OVERALL_MARKER, renderPlainVerdict } from "./verdict";
