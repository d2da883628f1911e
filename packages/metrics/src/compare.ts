import type { Git } from "@mlci/git";
import { loadMlciConfig, type MlciConfig } from "./config";
import { diffSnapshots } from "./diff";
import { plotDiffs } from "./plots";
import { resolveBase } from "./resolve-base";
import { readSnapshot, type SnapshotOptions } from "./snapshot";
import { type FileSource, gitRevisionSource, workingTreeSource } from "./source";
import type { MetricsDiff, PlotDiff, RevisionSnapshot } from "./types";

/** The name that stands for the working tree instead of a commit. */
export const WORKSPACE = "workspace";

export interface CompareOptions extends Omit<SnapshotOptions, "ref" | "sha" | "config"> {
  /** The pull request's base branch (`main`), or any ref or SHA. */
  baseRef: string;
  /** The head: a ref or SHA (default `HEAD`), or `workspace` for the working tree. */
  headRef?: string;
  /**
   * Compare with the merge-base of base and head (default), as a pull request does; false
   * compares with `baseRef` itself.
   */
  mergeBase?: boolean;
  /** Settings; by default `.mlci/config.yml` as the head has it. */
  config?: MlciConfig;
}

export interface Comparison {
  base: RevisionSnapshot;
  head: RevisionSnapshot;
  diff: MetricsDiff;
  plots: PlotDiff[];
  config: MlciConfig;
}

/**
 * The whole use case behind the report: find the base, read both revisions (through git, without
 * a checkout), and diff them. `git` must be bound to the repository's top level.
 */
export async function compareRevisions(git: Git, options: CompareOptions): Promise<Comparison> {
  const { baseRef, headRef = "HEAD", mergeBase = true, config: given, ...snapshotOptions } = options;
  const inWorkspace = headRef === WORKSPACE;
  const headSha = inWorkspace ? undefined : await git.revParse(headRef);
  let baseSha: string;
  if (!mergeBase) baseSha = await git.revParse(baseRef);
  else baseSha = (await resolveBase(git, { baseRef, headRef: inWorkspace ? "HEAD" : headRef })).base;

  const headSource: FileSource =
    headSha === undefined ? workingTreeSource(git.cwd) : gitRevisionSource(git, headSha, headRef);
  const config = given ?? (await loadMlciConfig(headSource));
  const base = await readSnapshot(gitRevisionSource(git, baseSha, baseRef), {
    ...snapshotOptions,
    ref: baseRef,
    sha: baseSha,
    config,
  });
  const head = await readSnapshot(headSource, {
    ...snapshotOptions,
    ref: headRef,
    ...(headSha === undefined ? {} : { sha: headSha }),
    config,
  });
  return {
    base,
    head,
    diff: diffSnapshots(base, head, config),
    plots: plotDiffs(base.plots, head.plots),
    config,
  };
}
