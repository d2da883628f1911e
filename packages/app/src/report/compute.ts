import type { RunRecord } from "@mlci/common";
import type { Git } from "@mlci/git";
import { compareRevisions, type MetricsDiff, type MlciConfig, type PlotDiff, WORKSPACE } from "@mlci/metrics";
import type { ExtraSection, ReportLinks, ReportModel } from "@mlci/report";

export { WORKSPACE };

export interface ComputeReportOptions {
  git: Git;
  /**
   * The base branch, tag or SHA. The report compares against the merge-base of it and the head,
   * which for a pull request is what the pull request changed.
   */
  base: string;
  /** A revision, or `workspace` for the files on disk (metrics a training step just wrote). */
  head?: string;
  extraMetrics?: readonly string[];
  extraParams?: readonly string[];
  extraPlots?: readonly string[];
  /** Overrides `report.id` from the config. */
  reportId?: string;
  run?: RunRecord;
  sections?: ExtraSection[];
  links?: ReportLinks;
  now?: Date;
}

export interface ComputedReport {
  model: ReportModel;
  config: MlciConfig;
  diff: MetricsDiff;
  plots: PlotDiff[];
  base: { ref: string; sha: string };
  head: { ref: string; sha: string; workspace: boolean };
}

/** Reads base and head (no checkout), diffs them and builds the report model. */
export async function computeReport(opts: ComputeReportOptions): Promise<ComputedReport> {
  const headRef = opts.head ?? WORKSPACE;
  const workspace = headRef === WORKSPACE;
  const cmp = await compareRevisions(opts.git, {
    baseRef: opts.base,
    headRef,
    ...(opts.extraMetrics ? { extraMetrics: opts.extraMetrics } : {}),
    ...(opts.extraParams ? { extraParams: opts.extraParams } : {}),
    ...(opts.extraPlots ? { extraPlots: opts.extraPlots } : {}),
  });
  const baseSha = cmp.base.sha ?? "";
  const headSha = cmp.head.sha ?? (await opts.git.revParse("HEAD"));
  const model: ReportModel = {
    reportId: opts.reportId ?? cmp.config.report.id,
    base: { ref: opts.base, sha: baseSha },
    head: { ref: headRef, sha: headSha },
    diff: cmp.diff,
    plots: cmp.plots,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    ...(opts.run ? { run: opts.run } : {}),
    ...(opts.sections ? { sections: opts.sections } : {}),
    ...(opts.links ? { links: opts.links } : {}),
  };
  return {
    model,
    config: cmp.config,
    diff: cmp.diff,
    plots: cmp.plots,
    base: { ref: opts.base, sha: baseSha },
    head: { ref: headRef, sha: headSha, workspace },
  };
}
