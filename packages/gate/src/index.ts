export { escapeMarkdown, escapePlain, fencedCode } from "./escape";
export { evaluateGate, type GateInput } from "./evaluate";
export type { MetricsInput } from "./metric-match";
export {
  type Amount,
  type BaselineSpec,
  DEFAULT_POLICY_PATH,
  formatBaselineSpec,
  GATES_SCHEMA_ID,
  gatesJsonSchema,
  gatesPolicySchema,
  type Policy,
  type PolicyInput,
  parsePolicy,
  policyNeedsBaseline,
  type Rule,
  type Severity,
} from "./policy";
export {
  type PolicyChange,
  type PolicyFrom,
  type PolicyResolution,
  type PolicyVersion,
  type ReadFileAt,
  type ResolvePolicyOptions,
  resolvePolicy,
} from "./policy-source";
export {
  formatGateValue,
  type GateMarkdownOptions,
  gateVerdictLine,
  renderGateMarkdown,
  renderGateText,
} from "./render";
export { renderPolicyChangeMarkdown, renderPolicyChangeText } from "./render-policy";
export { gateResultSchema, parseGateResult, requirePassingGate, serializeGateResult } from "./result-json";
export {
  type CheckKind,
  type CheckResult,
  GATE_RESULT_VERSION,
  type GateFinding,
  type GateResult,
  type GateValue,
  type MetricResult,
  type PolicyProvenance,
  type RuleResult,
  type Threshold,
  type Verdict,
} from "./types";
