import { MlciError } from "@mlci/common";
import { openProject, type StageGraph, selectStages } from "@mlci/pipeline";
import { type SweepUnit, sweepUnits } from "./units";

/** One entry of `strategy.matrix.include`. */
export interface ShardEntry {
  shard: number;
  /** Stage names to pass to `mlci repro` (their shared upstream stages run with them). */
  stages: string[];
}

/** The JSON `mlci repro --plan --shards N` prints, ready for `strategy.matrix`. */
export interface ShardMatrix {
  include: ShardEntry[];
}

export interface SweepPlan {
  matrix: ShardMatrix;
  units: SweepUnit[];
  /** Upstream of the runs: every shard runs them. */
  shared: string[];
  /** Fed by several runs: run them after `mlci sweep merge`. */
  after: string[];
}

/**
 * Spreads the units over at most `shards` shards, balanced by stage count: the largest unit goes
 * to the least loaded shard (the lowest index on a tie), so equal runs deal out round-robin.
 * Deterministic: the same pipeline always gives the same plan.
 */
export function planShards(graph: StageGraph, o: { shards: number; targets?: readonly string[] }): SweepPlan {
  if (!Number.isInteger(o.shards) || o.shards < 1) {
    throw new MlciError("INPUT", `--shards must be a whole number of at least 1, not ${String(o.shards)}`);
  }
  const stages = selectStages(graph, o.targets?.length ? { targets: [...o.targets] } : {});
  const { units, shared, after } = sweepUnits(graph, stages);
  if (units.length === 0) {
    throw new MlciError("INPUT", "nothing to shard: the selection has no stage a shard could run", {
      hint: "a sweep needs `foreach` or `matrix` stages (or independent stages)",
    });
  }
  const count = Math.min(o.shards, units.length);
  const load = new Array<number>(count).fill(0);
  const members: string[][] = Array.from({ length: count }, () => []);
  const bySize = units
    .map((u, i) => ({ u, i }))
    .sort((a, b) => b.u.stages.length - a.u.stages.length || a.i - b.i);
  for (const { u } of bySize) {
    let best = 0;
    for (let s = 1; s < count; s++) if ((load[s] as number) < (load[best] as number)) best = s;
    load[best] = (load[best] as number) + u.stages.length;
    members[best]?.push(...u.stages);
  }
  const order = new Map(graph.order.map((n, i) => [n, i]));
  const include = members.map((names, shard) => ({
    shard,
    stages: [...names].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
  }));
  return { matrix: { include }, units, shared, after };
}

/** Opens the project at `root` and plans its sweep. */
export async function planSweep(
  root: string,
  o: { shards: number; targets?: readonly string[] },
): Promise<SweepPlan> {
  const project = await openProject({ root, hashCacheFile: false });
  return planShards(project.graph, o);
}
