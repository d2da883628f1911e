/**
 * The stage graph: stage B depends on stage A when one of B's deps equals, contains or lies
 * inside one of A's outputs (paths resolved against each stage's wdir). Run order is
 * topological and, among the valid orders, follows dvc.yaml order.
 */
import { posix } from "node:path";
import { MlciError } from "@mlci/common";
import type { Pipeline, Stage } from "./dvc-yaml/types";

/** A path relative to the repository root, posix, normalised (`..` only when outside the repo). */
export function repoPath(stage: Pick<Stage, "wdir">, path: string): string {
  const p = posix.normalize(posix.isAbsolute(path) ? path : posix.join(stage.wdir, path.replace(/\\/g, "/")));
  return p.endsWith("/") && p.length > 1 ? p.slice(0, -1) : p;
}

/** Whether `a` equals `b` or lies inside it. */
export function isWithin(a: string, b: string): boolean {
  return b === "." || a === b || a.startsWith(`${b}/`);
}

export function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}

export interface StageGraph {
  pipeline: Pipeline;
  /** Stages in dvc.yaml order. */
  stages: Stage[];
  byName: Map<string, Stage>;
  /** Direct upstream stages (the stages producing this stage's deps), in dvc.yaml order. */
  upstream: Map<string, string[]>;
  downstream: Map<string, string[]>;
  /** All stages in run order. */
  order: string[];
}

function findCycle(stages: Stage[], upstream: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const u of upstream.get(n) ?? []) {
      if (state.get(u) === 1) return [...stack.slice(stack.indexOf(u)), u];
      if (!state.has(u)) {
        const c = visit(u);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const s of stages) {
    if (!state.has(s.name)) {
      const c = visit(s.name);
      if (c) return c;
    }
  }
  return null;
}

/** Build the graph; duplicate or overlapping outputs and cycles are CONFIG errors. */
export function buildGraph(pipeline: Pipeline): StageGraph {
  const stages = pipeline.stages;
  const byName = new Map(stages.map((s) => [s.name, s]));
  const outs: Array<{ path: string; stage: Stage }> = [];
  for (const s of stages) {
    for (const o of s.outs) {
      const path = repoPath(s, o.path);
      for (const other of outs) {
        if (other.path === path) {
          throw new MlciError(
            "CONFIG",
            `output '${path}' is specified in stages '${other.stage.name}' and '${s.name}'`,
            {
              location: { file: pipeline.file, line: s.source.line, key: s.source.key },
              hint: "each output must come from exactly one stage",
            },
          );
        }
        if (overlaps(other.path, path)) {
          throw new MlciError(
            "CONFIG",
            `output '${path}' of stage '${s.name}' overlaps output '${other.path}' of stage '${other.stage.name}'`,
            { location: { file: pipeline.file, line: s.source.line, key: s.source.key } },
          );
        }
      }
      outs.push({ path, stage: s });
    }
  }
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(stages.map((s) => [s.name, []]));
  for (const s of stages) {
    const ups = new Set<string>();
    for (const d of s.deps) {
      const dp = repoPath(s, d);
      for (const o of outs) if (overlaps(dp, o.path)) ups.add(o.stage.name);
    }
    const ordered = stages.filter((x) => ups.has(x.name)).map((x) => x.name);
    upstream.set(s.name, ordered);
    for (const u of ordered) downstream.get(u)?.push(s.name);
  }
  const cycle = findCycle(stages, upstream);
  if (cycle) {
    const first = byName.get(cycle[0] as string);
    throw new MlciError("CONFIG", `the pipeline has a cycle: ${cycle.join(" -> ")}`, {
      location: { file: pipeline.file, line: first?.source.line, key: first?.source.key },
      hint: "a stage cannot depend, directly or not, on its own outputs",
    });
  }
  // Kahn's algorithm, always taking the ready stage that comes first in dvc.yaml.
  const indeg = new Map(stages.map((s) => [s.name, (upstream.get(s.name) ?? []).length]));
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < stages.length) {
    const next = stages.find((s) => !done.has(s.name) && indeg.get(s.name) === 0) as Stage;
    done.add(next.name);
    order.push(next.name);
    for (const d of downstream.get(next.name) ?? []) indeg.set(d, (indeg.get(d) ?? 0) - 1);
  }
  return { pipeline, stages, byName, upstream, downstream, order };
}

/** Every node reachable from `start` (included) along `edges`. */
export function closure(start: readonly string[], edges: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const n = todo.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    todo.push(...(edges.get(n) ?? []));
  }
  return seen;
}

/** Stage names a target means: a stage, a foreach/matrix group (`build` for `build@*`), `dvc.yaml:name`. */
export function resolveTargets(graph: StageGraph, targets: string[]): string[] {
  const out: string[] = [];
  for (const raw of targets) {
    const t = raw.includes(":") ? raw.slice(raw.lastIndexOf(":") + 1) : raw;
    const matched = graph.byName.has(t)
      ? [t]
      : graph.stages.filter((s) => s.name.startsWith(`${t}@`)).map((s) => s.name);
    if (matched.length === 0) {
      throw new MlciError("INPUT", `'${raw}' is not a stage of ${graph.pipeline.file}`, {
        hint: `stages: ${graph.stages.map((s) => s.name).join(", ")}`,
      });
    }
    for (const m of matched) if (!out.includes(m)) out.push(m);
  }
  return out;
}

export interface Selection {
  /** Stage names or groups; none means the whole pipeline. */
  targets?: string[];
  /** Run the targets and what depends on them, instead of the targets and what they depend on. */
  downstream?: boolean;
}

/** The stages to consider, in run order: targets with their upstream (or downstream) stages. */
export function selectStages(graph: StageGraph, sel: Selection = {}): Stage[] {
  if (!sel.targets || sel.targets.length === 0) return graph.order.map((n) => graph.byName.get(n) as Stage);
  const names = resolveTargets(graph, sel.targets);
  const keep = closure(names, sel.downstream ? graph.downstream : graph.upstream);
  return graph.order.filter((n) => keep.has(n)).map((n) => graph.byName.get(n) as Stage);
}

/** The DAG as text, one stage per line with its upstream stages. */
export function dagText(graph: StageGraph): string {
  return graph.order
    .map((n) => {
      const ups = graph.upstream.get(n) ?? [];
      return ups.length ? `${n} <- ${ups.join(", ")}` : n;
    })
    .join("\n");
}

/** The DAG as a Mermaid flowchart (renders on github.com). */
export function dagMermaid(graph: StageGraph): string {
  const id = new Map(graph.order.map((n, i) => [n, `s${i}`]));
  const lines = ["flowchart TD"];
  for (const n of graph.order) lines.push(`  ${id.get(n)}["${n.replace(/"/g, "#quot;")}"]`);
  for (const n of graph.order)
    for (const u of graph.upstream.get(n) ?? []) lines.push(`  ${id.get(u)} --> ${id.get(n)}`);
  return lines.join("\n");
}
