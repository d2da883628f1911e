import { type ResultSection, type ResultSectionKind, resultSection } from "../report/result-section";
import { type DataResult, parseDataResult } from "./data-result";
import { renderDataSection } from "./data-section";

export type DataReportSection = ResultSection<DataResult>;

export const DATA_SECTION: ResultSectionKind<DataResult> = {
  id: "data",
  title: "Data",
  what: "data result",
  check: "the data check",
  hint: "pass the validate-data action's `result-path` output, from a step that ran in this job",
  maxBytes: 32 * 1024 * 1024,
  parse: parseDataResult,
  render: renderDataSection,
};

/** The data section of the sticky report, from the result file the validate-data action wrote; fails closed. */
export function dataReportSection(path: string): Promise<DataReportSection> {
  return resultSection(DATA_SECTION, path);
}
