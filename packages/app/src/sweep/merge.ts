import { resolve } from "node:path";
import type { Direction } from "@mlci/metrics";
import { loadMlciConfig, workingTreeSource } from "@mlci/metrics";
import { openProject, writeLock } from "@mlci/pipeline";
import { buildLeaderboard, type Leaderboard } from "./leaderboard";
import { copyShardOutputs, mergeLocks, readShardLocks, type TakenStage } from "./merge-locks";

export interface MergeSweepOptions {
  /** The repository (the checkout of the merge job). */
  root: string;
  /** The shards' result directories (downloaded artifacts). */
  shardDirs: readonly string[];
  /** The metric that ranks the runs (`eval.accuracy`, or `file:key`). */
  metric: string;
  /** Default: `.mlci/config.yml`, then the name (inferDirection), then higher. */
  direction?: Direction;
  /** Rank only these stages' runs (as `mlci repro` targets). */
  targets?: readonly string[];
}

export interface SweepMerge {
  lockFile: string;
  lockWritten: boolean;
  taken: TakenStage[];
  provided: TakenStage[];
  ignored: string[];
  copied: string[];
  missing: string[];
  leaderboard: Leaderboard;
}

/**
 * Merges a sweep's shards into the workspace: one `dvc.lock` (the shards' entries in DVC's
 * format and order), the outputs they uploaded (hash-checked), and the leaderboard of runs.
 */
export async function mergeSweep(o: MergeSweepOptions): Promise<SweepMerge> {
  const root = resolve(o.root);
  const project = await openProject({ root, hashCacheFile: false });
  const shards = await readShardLocks(
    project,
    o.shardDirs.map((d) => resolve(root, d)),
  );
  const merged = mergeLocks(project.lock, shards, project.graph.order);
  const { copied, missing } = await copyShardOutputs(project, merged);
  const lockWritten = await writeLock(project.lockPath, merged.lock);
  const config = await loadMlciConfig(workingTreeSource(root));
  const leaderboard = await buildLeaderboard(project, {
    metric: o.metric,
    config,
    shards: new Map(merged.provided.map((t) => [t.stage, t.shard])),
    ...(o.direction ? { direction: o.direction } : {}),
    ...(o.targets ? { targets: o.targets } : {}),
  });
  return {
    lockFile: project.lockFile,
    lockWritten,
    taken: merged.taken,
    provided: merged.provided,
    ignored: merged.ignored,
    copied,
    missing,
    leaderboard,
  };
}
