import { type ResultSection, resultSection } from "../report/result-section";
import { parseDataResult } from "./data-result";
import { renderDataSection } from "./data-section";

export type DataReportSection = ResultSection;

/** The data section of the sticky report, from the result file the validate-data action wrote; fails closed. */
export function dataReportSection(path: string): Promise<DataReportSection> {
  return resultSection(
    {
      id: "data",
      title: "Data",
      what: "data result",
      check: "the data check",
      hint: "pass the validate-data action's `result-path` output, from a step that ran in this job",
      maxBytes: 32 * 1024 * 1024,
      parse: parseDataResult,
      render: renderDataSection,
    },
    path,
  );
}
