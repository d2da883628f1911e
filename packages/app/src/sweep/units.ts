import { closure, type Stage, type StageGraph } from "@mlci/pipeline";

/**
 * How a sweep splits a pipeline. A *run* is one `foreach`/`matrix` instance that has no other
 * instance upstream (a root such as `train@lr0.1`) together with the stages only it feeds
 * (`evaluate@lr0.1`). Runs are independent, so shards can run them apart. The rest is:
 * - shared: upstream of a run (`prepare`); every shard runs it again (deterministic stages give
 *   identical lock entries, which the merge checks);
 * - after: stages fed by several runs (`compare`); they run after the merge;
 * - independent chains with no instance in them, kept together as one unit each.
 */

export interface SweepUnit {
  /** The root instance, or the first stage of an independent chain. */
  name: string;
  kind: "run" | "chain";
  /** Its stages, in run order. */
  stages: string[];
}

export interface SweepUnits {
  units: SweepUnit[];
  shared: string[];
  after: string[];
}

export const isInstance = (name: string): boolean => name.includes("@");

/** Splits `stages` (a selection of the graph, in run order) into runs, shared and after stages. */
export function sweepUnits(graph: StageGraph, stages: readonly Stage[]): SweepUnits {
  const names = stages.map((s) => s.name);
  const selected = new Set(names);
  const upstream = new Map(
    names.map((n) => [n, closure(graph.upstream.get(n) ?? [], graph.upstream)] as const),
  );
  const roots = names.filter((n) => isInstance(n) && ![...(upstream.get(n) ?? [])].some(isInstance));
  const rootSet = new Set(roots);
  const rootsOf = new Map(
    names.map((n) => {
      const ups = upstream.get(n) ?? new Set<string>();
      return [n, [...(rootSet.has(n) ? [n] : []), ...roots.filter((r) => ups.has(r))]] as const;
    }),
  );
  const byRoot = new Map(roots.map((r) => [r, [] as string[]]));
  const after: string[] = [];
  const rootless: string[] = [];
  for (const n of names) {
    const rs = rootsOf.get(n) ?? [];
    if (rs.length === 1) byRoot.get(rs[0] as string)?.push(n);
    else if (rs.length > 1) after.push(n);
    else rootless.push(n);
  }
  // A rootless stage that feeds a run (directly or not) is shared; the others form chains.
  const feedsRun = (n: string) =>
    names.some((m) => (rootsOf.get(m)?.length ?? 0) > 0 && upstream.get(m)?.has(n));
  const shared = rootless.filter(feedsRun);
  const chainStages = rootless.filter((n) => !shared.includes(n));
  const units: SweepUnit[] = roots.map((r) => ({ name: r, kind: "run", stages: byRoot.get(r) ?? [] }));
  // Chains: connected components of the remaining stages (through their direct edges).
  const parent = new Map(chainStages.map((n) => [n, n]));
  const find = (n: string): string => {
    let p = n;
    while (parent.get(p) !== p) p = parent.get(p) as string;
    return p;
  };
  for (const n of chainStages) {
    for (const u of graph.upstream.get(n) ?? []) {
      if (parent.has(u) && selected.has(u)) parent.set(find(n), find(u));
    }
  }
  const chains = new Map<string, string[]>();
  for (const n of chainStages) {
    const k = find(n);
    chains.set(k, [...(chains.get(k) ?? []), n]);
  }
  for (const members of chains.values()) {
    units.push({ name: members[0] as string, kind: "chain", stages: members });
  }
  return { units, shared, after };
}
