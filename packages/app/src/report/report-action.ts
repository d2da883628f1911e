import { lstat, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MlciError, type RunRecord, writeFileAtomic } from "@mlci/common";
import type { Git } from "@mlci/git";
import type { EventContext, GitHubClient } from "@mlci/github";
import type { MetricsDiff } from "@mlci/metrics";
import {
  type ExtraSection,
  type ReportModel,
  renderPlainVerdict,
  renderReport,
  renderSummary,
} from "@mlci/report";
import { DATA_SECTION, dataReportSection } from "../data/report-section";
import { GATE_SECTION, gateReportSection } from "../gate/report-section";
import { BUNDLE_FILE, BUNDLE_VERSION, parseReportBundle, type ReportBundle } from "./bundle";
import { computeReport, WORKSPACE } from "./compute";
import { type OutsidePr, type PostOutcome, postReport } from "./post";
import { sectionFromBundle } from "./result-section";
import { verifyBundleTarget } from "./verify-bundle";

export interface ReportActionInputs {
  mode: "report" | "post-bundle";
  base: string;
  head: string;
  metrics: string[];
  params: string[];
  plots: string[];
  workingDirectory: string;
  reportId: string;
  commentAuthor: string;
  outsidePr: OutsidePr;
  runRecord: string;
  /** The gate action's result file, to show the gate section; empty or absent: no gate section. */
  gateResult?: string;
  /** The validate-data action's result file, to show the data section; empty or absent: none. */
  dataResult?: string;
  bundlePath: string;
  summary: boolean;
}

export interface ReportActionDeps {
  inputs: ReportActionInputs;
  ctx: EventContext;
  /** null when there is no token: the report is written, not posted. */
  octokit: GitHubClient | null;
  gitFor: (dir: string) => Git;
  workspace: string;
  runnerTemp: string;
  /** Appends markdown to the job summary. */
  appendSummary: (markdown: string) => Promise<void>;
  log: { info(m: string): void; warning(m: string): void };
  /** Extra sections (the gate) rendered by their own trusted renderers. */
  sections?: ExtraSection[];
  now?: Date;
}

export interface ReportActionResult {
  reportPath: string;
  bundlePath: string;
  commentUrl: string;
  posted: boolean;
  diff: MetricsDiff;
}

const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
const ZERO = /^0+$/;

/** The default base: the PR's base branch, the commit before a push, else the parent commit. */
export function defaultBase(ctx: EventContext, payloadBefore: string | undefined): string {
  if (ctx.baseRef) return ctx.baseRef;
  if (payloadBefore && !ZERO.test(payloadBefore)) return payloadBefore;
  return "HEAD~1";
}

async function readRunRecord(path: string): Promise<RunRecord | undefined> {
  if (!path) return undefined;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new MlciError("NOT_FOUND", `the run record ${path} cannot be read`, {
      hint: "point `run-record` at the file the train action wrote, or leave it empty",
    });
  }
  try {
    const rec = JSON.parse(text) as RunRecord;
    if (rec.version !== 1 || !Array.isArray(rec.stages)) throw new Error("not a version 1 run record");
    return rec;
  } catch (e) {
    throw new MlciError("INPUT", `the run record is not valid: ${(e as Error).message}`, {
      location: { file: path },
    });
  }
}

function summaryLinks(ctx: EventContext, reportFile: string) {
  return { ...(ctx.runUrl ? { summaryUrl: ctx.runUrl, runUrl: ctx.runUrl } : {}), reportFile };
}

async function publish(
  deps: ReportActionDeps,
  model: ReportModel,
  outDir: string,
  post: (markdown: string, verdict: string) => Promise<PostOutcome | null>,
): Promise<{ reportPath: string; outcome: PostOutcome | null }> {
  const summary = renderSummary(model);
  const reportPath = join(outDir, "report.md");
  await writeFileAtomic(reportPath, summary.markdown);
  if (deps.inputs.summary) await deps.appendSummary(summary.markdown);
  const comment = renderReport(model);
  if (comment.truncated) deps.log.info(`left out of the comment: ${comment.omitted.join(", ")}`);
  const outcome = await post(comment.markdown, renderPlainVerdict(model.diff));
  return { reportPath, outcome };
}

/** mode `report`: compute in this checkout, write report, summary and bundle, and post. */
export async function runReportAction(deps: ReportActionDeps, before?: string): Promise<ReportActionResult> {
  const { inputs, ctx } = deps;
  const root = resolve(deps.workspace, inputs.workingDirectory || ".");
  const git = deps.gitFor(root);
  const top = await git.topLevel();
  const outDir = join(deps.runnerTemp, "mlci-report");
  const run = await readRunRecord(inputs.runRecord ? resolve(root, inputs.runRecord) : "");
  const reportFile = join(outDir, "report.md");
  const gate = inputs.gateResult ? await gateReportSection(resolve(root, inputs.gateResult)) : undefined;
  const data = inputs.dataResult ? await dataReportSection(resolve(root, inputs.dataResult)) : undefined;
  const sections = [
    ...(gate ? [gate.section] : []),
    ...(data ? [data.section] : []),
    ...(deps.sections ?? []),
  ];
  const computed = await computeReport({
    git: deps.gitFor(top),
    base: inputs.base || defaultBase(ctx, before),
    head: inputs.head || WORKSPACE,
    extraMetrics: inputs.metrics,
    extraParams: inputs.params,
    extraPlots: inputs.plots,
    ...(inputs.reportId ? { reportId: inputs.reportId } : {}),
    ...(run ? { run } : {}),
    ...(sections.length > 0 ? { sections } : {}),
    links: summaryLinks(ctx, reportFile),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const model = computed.model;

  const bundlePath = inputs.bundlePath ? resolve(root, inputs.bundlePath) : join(outDir, BUNDLE_FILE);
  if (ctx.prNumber !== undefined) {
    const bundle: ReportBundle = {
      version: BUNDLE_VERSION,
      kind: "mlci-report-bundle",
      reportId: model.reportId,
      repository: `${ctx.owner}/${ctx.repo}`,
      pullRequest: ctx.prNumber,
      headSha: ctx.headSha,
      base: { ref: computed.base.ref, sha: computed.base.sha },
      head: { ref: computed.head.ref, sha: ctx.headSha },
      createdAt: model.generatedAt ?? new Date().toISOString(),
      diff: computed.diff,
      plots: computed.plots,
      ...(run ? { run } : {}),
      ...(gate?.result ? { gate: gate.result } : {}),
      ...(data?.result ? { data: data.result } : {}),
    };
    await writeFileAtomic(bundlePath, `${JSON.stringify(bundle)}\n`);
  }

  const { reportPath, outcome } = await publish(deps, model, outDir, async (markdown, verdict) => {
    if (!deps.octokit) {
      deps.log.warning("no token: the report was written to the job summary but not posted");
      return null;
    }
    return postReport({
      octokit: deps.octokit,
      ctx,
      reportId: model.reportId,
      markdown,
      verdict,
      author: inputs.commentAuthor,
      outsidePr: inputs.outsidePr,
    });
  });
  if (outcome) (outcome.readOnly ? deps.log.warning : deps.log.info)(outcome.message);
  // Posted first, so reviewers see that the gate result is unavailable; then the step fails.
  if (gate?.error) throw gate.error;
  if (data?.error) throw data.error;
  return {
    reportPath,
    bundlePath: ctx.prNumber !== undefined ? bundlePath : "",
    commentUrl: outcome?.url ?? "",
    posted: outcome?.posted ?? false,
    diff: computed.diff,
  };
}

/** mode `post-bundle`: check an untrusted bundle against the workflow_run event, re-render and post. */
export async function runPostBundle(deps: ReportActionDeps): Promise<ReportActionResult> {
  const { inputs, ctx } = deps;
  if (!deps.octokit) throw new MlciError("INPUT", "mode post-bundle needs a token that can comment");
  if (!inputs.bundlePath) {
    throw new MlciError("INPUT", "mode post-bundle needs `bundle-path`: the downloaded report bundle", {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, shown to the user
      hint: "download the artifact into ${{ runner.temp }} with actions/download-artifact and pass its path",
    });
  }
  let file = resolve(deps.workspace, inputs.bundlePath);
  let info = await lstat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, BUNDLE_FILE);
    info = await lstat(file).catch(() => null);
  }
  if (!info) throw new MlciError("NOT_FOUND", `no report bundle at ${file}`);
  if (!info.isFile()) throw new MlciError("INPUT", `the report bundle ${file} is not a regular file`);
  if (info.size > MAX_BUNDLE_BYTES) {
    throw new MlciError(
      "INPUT",
      `the report bundle is ${info.size} bytes; at most ${MAX_BUNDLE_BYTES} are accepted`,
    );
  }
  const bundle = parseReportBundle(await readFile(file, "utf8"), file);
  const target = await verifyBundleTarget(deps.octokit, ctx, bundle);
  const outDir = join(deps.runnerTemp, "mlci-report");
  const sections = [
    ...(bundle.gate === undefined ? [] : [sectionFromBundle(GATE_SECTION, bundle.gate, file)]),
    ...(bundle.data === undefined ? [] : [sectionFromBundle(DATA_SECTION, bundle.data, file)]),
  ];
  const model: ReportModel = {
    reportId: inputs.reportId || bundle.reportId,
    base: bundle.base,
    head: bundle.head,
    diff: bundle.diff,
    plots: bundle.plots,
    ...(bundle.run ? { run: bundle.run } : {}),
    ...(sections.length > 0 ? { sections } : {}),
    generatedAt: (deps.now ?? new Date()).toISOString(),
    links: summaryLinks(ctx, join(outDir, "report.md")),
  };
  const { reportPath, outcome } = await publish(deps, model, outDir, (markdown, verdict) =>
    postReport({
      octokit: deps.octokit as GitHubClient,
      ctx,
      reportId: model.reportId,
      markdown,
      verdict,
      author: inputs.commentAuthor,
      outsidePr: "none",
      prNumber: target.prNumber,
      sha: target.headSha,
    }),
  );
  if (outcome) deps.log.info(outcome.message);
  return {
    reportPath,
    bundlePath: file,
    commentUrl: outcome?.url ?? "",
    posted: outcome?.posted ?? false,
    diff: bundle.diff,
  };
}
