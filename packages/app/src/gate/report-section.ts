import { type GateResult, parseGateResult, renderGateMarkdown } from "@mlci/gate";
import { type ResultSection, type ResultSectionKind, resultSection } from "../report/result-section";

export type GateReportSection = ResultSection<GateResult>;

export const GATE_SECTION: ResultSectionKind<GateResult> = {
  id: "gate",
  title: "Gate",
  what: "gate result",
  check: "the gate",
  hint: "pass the gate action's `result-path` output, from a gate step that ran in this job",
  maxBytes: 16 * 1024 * 1024,
  parse: parseGateResult,
  render: (result) => renderGateMarkdown(result),
};

/** The gate section of the sticky report, from the result file the gate action wrote; fails closed. */
export function gateReportSection(path: string): Promise<GateReportSection> {
  return resultSection(GATE_SECTION, path);
}
