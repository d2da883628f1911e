import type { RunRecord } from "@mlci/common";
import type { Git } from "@mlci/git";
import {
  diffSnapshots,
  findDvcCacheDir,
  gitRevisionSource,
  loadMlciConfig,
  type MetricsDiff,
  type MlciConfig,
  type PlotDiff,
  plotDiffs,
  readSnapshot,
  resolveBase,
  workingTreeSource,
} from "@mlci/metrics";
import type { ExtraSection, ReportLinks, ReportModel } from "@mlci/report";

export const WORKSPACE = "workspace";

export interface ComputeReportOptions {
  git: Git;
  /** Root of the repository (the working tree). */
  root: string;
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
  const revs = await resolveBase(opts.git, { baseRef: opts.base, headRef: workspace ? "HEAD" : headRef });
  const worktree = workingTreeSource(opts.root);
  const headSource = workspace ? worktree : gitRevisionSource(opts.git, revs.head);
  // Settings come from the head: they only shape the display (directions, noise, extra files).
  const config = await loadMlciConfig(headSource);
  const shared = {
    config,
    ...(opts.extraMetrics ? { extraMetrics: opts.extraMetrics } : {}),
    ...(opts.extraParams ? { extraParams: opts.extraParams } : {}),
    ...(opts.extraPlots ? { extraPlots: opts.extraPlots } : {}),
  };
  // DVC-cached files of either revision are looked up in the working tree's cache.
  const cache = { cacheRoot: await findDvcCacheDir(opts.root) };
  const [baseSnap, headSnap] = await Promise.all([
    readSnapshot(gitRevisionSource(opts.git, revs.base), {
      ...shared,
      ...cache,
      ref: opts.base,
      sha: revs.base,
    }),
    readSnapshot(headSource, { ...shared, ...cache, ref: workspace ? WORKSPACE : headRef, sha: revs.head }),
  ]);
  const diff = diffSnapshots(baseSnap, headSnap, config);
  const plots = plotDiffs(baseSnap.plots, headSnap.plots);
  const model: ReportModel = {
    reportId: opts.reportId ?? config.report.id,
    base: { ref: opts.base, sha: revs.base },
    head: workspace
      ? { ref: `${WORKSPACE} (on ${revs.head.slice(0, 7)})`, sha: revs.head }
      : { ref: headRef, sha: revs.head },
    diff,
    plots,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    ...(opts.run ? { run: opts.run } : {}),
    ...(opts.sections ? { sections: opts.sections } : {}),
    ...(opts.links ? { links: opts.links } : {}),
  };
  return {
    model,
    config,
    diff,
    plots,
    base: { ref: opts.base, sha: revs.base },
    head: { ref: headRef, sha: revs.head, workspace },
  };
}
