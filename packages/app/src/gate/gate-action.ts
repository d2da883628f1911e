import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { formatError, MlciError, writeFileAtomic } from "@mlci/common";
import {
  fencedCode,
  type GateFinding,
  type GateResult,
  gateVerdictLine,
  type PolicyFrom,
  serializeGateResult,
} from "@mlci/gate";
import type { Git } from "@mlci/git";
import {
  type CheckConclusion,
  createCheckRun,
  type EventContext,
  type GitHubClient,
  isForkPermissionError,
} from "@mlci/github";
import { WORKSPACE } from "@mlci/metrics";
import { defaultBase } from "../report/report-action";
import { computeGate } from "./compute-gate";

export interface GateActionInputs {
  policyPath: string;
  /** Inline policy; empty: read `policyPath` from git. */
  policy: string;
  policyFrom: PolicyFrom;
  bootstrap: boolean;
  base: string;
  head: string;
  metrics: string[];
  baseline: string;
  workingDirectory: string;
  failOnViolation: boolean;
  /** The check run's name; empty: no check run. */
  checkRun: string;
  resultPath: string;
  summary: boolean;
}

export interface GateActionDeps {
  inputs: GateActionInputs;
  ctx: EventContext;
  /** null when there is no token: no check run. */
  octokit: GitHubClient | null;
  gitFor: (dir: string) => Git;
  workspace: string;
  runnerTemp: string;
  appendSummary: (markdown: string) => Promise<void>;
  log: { info(m: string): void; warning(m: string): void; error(m: string): void };
  /** The commit before a push, for the default base. */
  before?: string;
}

export interface GateActionOutputs {
  passed: "true" | "false";
  /** JSON arrays of `{rule, id, metric, file?, reason}`. */
  failedRules: string;
  warnings: string;
  resultJson: string;
  resultPath: string;
  checkRunUrl: string;
}

export interface GateActionOutcome {
  outputs: GateActionOutputs;
  /** Undefined when the gate could not be evaluated. */
  result?: GateResult;
  /** What the step must fail with, if anything; the outputs are valid either way. */
  failure?: Error;
}

/** Job outputs share 1 MB per job: past this the JSON is left to the result file. */
const MAX_OUTPUT_JSON = 512 * 1024;
const SUMMARY_HEADING = "## mlci gate";

function conclusionOf(result: GateResult): CheckConclusion {
  if (!result.passed) return "failure";
  return result.counts.warned > 0 ? "neutral" : "success";
}

function findingLine(f: GateFinding): string {
  return `${f.id}: ${f.reason}`;
}

/**
 * The gate action: evaluate, write the result file, the job summary and a check run, and say
 * whether the step fails. Fails closed: an error leaves `passed` false, removes any stale result
 * file, and still reports a failing check run when it can; an API error never turns a failing gate
 * into a pass, and on a passing gate it fails the step so that a pass is never silently unrecorded.
 */
export async function runGateAction(deps: GateActionDeps): Promise<GateActionOutcome> {
  const { inputs, ctx, log } = deps;
  const root = resolve(deps.workspace, inputs.workingDirectory || ".");
  const resultPath = inputs.resultPath
    ? resolve(root, inputs.resultPath)
    : join(deps.runnerTemp, "mlci-gate", "gate-result.json");
  const outputs: GateActionOutputs = {
    passed: "false",
    failedRules: "[]",
    warnings: "[]",
    resultJson: "",
    resultPath,
    checkRunUrl: "",
  };

  let computed: Awaited<ReturnType<typeof computeGate>>;
  try {
    const top = await deps.gitFor(root).topLevel();
    const base = inputs.base || defaultBase(ctx, deps.before);
    computed = await computeGate({
      git: deps.gitFor(top),
      base,
      head: inputs.head || WORKSPACE,
      policyPath: inputs.policyPath,
      ...(inputs.policy.trim() ? { inlinePolicy: inputs.policy } : {}),
      policyFrom: inputs.policyFrom,
      bootstrap: inputs.bootstrap,
      ...(inputs.baseline ? { baseline: inputs.baseline } : {}),
      extraMetrics: inputs.metrics,
      // The commit the event is about (a pull request's head, not the merge commit checked out).
      ...((inputs.head || WORKSPACE) === WORKSPACE && ctx.headSha ? { sha: ctx.headSha } : {}),
    });
  } catch (err) {
    await rm(resultPath, { force: true });
    const message = formatError(err);
    if (inputs.summary) {
      await deps.appendSummary(
        `${SUMMARY_HEADING}\n\n❌ **The gate could not be evaluated.**\n\n${fencedCode(message)}\n`,
      );
    }
    const check = await postCheckRun(deps, {
      conclusion: "failure",
      title: "The gate could not be evaluated",
      summary: fencedCode(message),
    });
    outputs.checkRunUrl = check.url;
    return { outputs, failure: err instanceof Error ? err : new Error(String(err)) };
  }

  const { result } = computed;
  const json = serializeGateResult(result);
  await writeFileAtomic(resultPath, `${json}\n`);
  outputs.passed = result.passed ? "true" : "false";
  outputs.failedRules = JSON.stringify(result.failedRules);
  outputs.warnings = JSON.stringify(result.warnings);
  if (json.length <= MAX_OUTPUT_JSON) outputs.resultJson = json;
  else
    log.warning(`the gate result is ${json.length} characters; read it from ${resultPath}, not result-json`);

  const verdict = gateVerdictLine(result);
  for (const f of result.failedRules.slice(0, 10)) log.error(findingLine(f));
  for (const f of result.warnings.slice(0, 10)) log.warning(findingLine(f));
  for (const p of result.problems) log.error(p);
  if (computed.resolution?.note) log.info(computed.resolution.note);
  log.info(verdict);
  if (inputs.summary) await deps.appendSummary(`${SUMMARY_HEADING}\n\n${computed.markdown}\n`);

  const check = await postCheckRun(deps, {
    conclusion: conclusionOf(result),
    title: verdict,
    summary: computed.markdown,
  });
  outputs.checkRunUrl = check.url;

  const failures: string[] = [];
  if (!result.passed) {
    if (inputs.failOnViolation) failures.push(verdict);
    else log.warning(`${verdict} (fail-on-violation is off, so the step passes)`);
  }
  if (check.error) failures.push(formatError(check.error));
  if (failures.length === 0) return { outputs, result };
  const code = !result.passed && inputs.failOnViolation ? "FAILED" : "API";
  return { outputs, result, failure: new MlciError(code, failures.join("\n")) };
}

interface CheckOutcome {
  url: string;
  error?: Error;
}

async function postCheckRun(
  deps: GateActionDeps,
  o: { conclusion: CheckConclusion; title: string; summary: string },
): Promise<CheckOutcome> {
  const { inputs, ctx, log } = deps;
  if (!inputs.checkRun) return { url: "" };
  if (!deps.octokit) {
    log.warning("no token: no check run was created; the verdict is in the job summary and the outputs");
    return { url: "" };
  }
  if (!ctx.headSha) {
    log.warning("the event names no commit: no check run was created");
    return { url: "" };
  }
  try {
    const run = await createCheckRun(deps.octokit, {
      owner: ctx.owner,
      repo: ctx.repo,
      name: inputs.checkRun,
      headSha: ctx.headSha,
      status: "completed",
      conclusion: o.conclusion,
      ...(ctx.runUrl ? { detailsUrl: ctx.runUrl } : {}),
      output: { title: o.title.slice(0, 255), summary: o.summary },
    });
    log.info(`created check run ${run.url}`);
    return { url: run.url };
  } catch (err) {
    if (isForkPermissionError(err)) {
      log.warning(
        "the token cannot create check runs (a pull request from a fork gets a read-only token): the verdict is in the job summary and the outputs",
      );
      return { url: "" };
    }
    return { url: "", error: err instanceof Error ? err : new Error(String(err)) };
  }
}
