import { posix } from "node:path";
import { type Context, expandStage, isUnresolved, resolveDeep } from "./dvc-template";
import { normalizePath } from "./source";

/** A params file and the keys tracked in it; `keys: null` tracks the whole file. */
export interface ParamsTarget {
  path: string;
  keys: string[] | null;
}

/** One plots file to read, with the fields named for it in dvc.yaml. */
export interface PlotTarget {
  id: string;
  path: string;
  x?: string;
  y?: string[];
  title?: string;
  template?: string;
}

export interface DeclarationProblem {
  /** Where the problem lies: the dvc.yaml file, or the path as written. */
  path: string;
  kind: "parse-error" | "unreadable";
  message: string;
  /** What the path was declared as. */
  category: "metrics" | "params" | "plots";
}

export interface Declarations {
  metrics: string[];
  params: ParamsTarget[];
  plots: PlotTarget[];
  problems: DeclarationProblem[];
}

export const DEFAULT_PARAMS_FILE = "params.yaml";

/**
 * What one dvc.yaml declares, with repo-relative paths: top-level `metrics`, `params` and `plots`,
 * and each stage's `metrics` outputs, `params` and `plots` outputs (relative to its `wdir`).
 * `dir` is the folder holding the dvc.yaml; `ctx` is what `${...}` can refer to.
 */
export function declarationsOf(doc: unknown, file: string, ctx: Context): Declarations {
  const dir = posix.dirname(file) === "." ? "" : posix.dirname(file);
  const out: Declarations = { metrics: [], params: [], plots: [], problems: [] };
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== "object" || Array.isArray(doc)) {
    out.problems.push({
      path: file,
      kind: "parse-error",
      message: "expected a mapping at the top",
      category: "metrics",
    });
    return out;
  }
  const top = resolveDeep(withoutStages(doc as Record<string, unknown>), ctx) as Record<string, unknown>;
  const where = (category: DeclarationProblem["category"], what: string) => ({ file, category, what });

  for (const p of list(top.metrics)) addPath(out, out.metrics, dir, p, where("metrics", "top-level metrics"));
  for (const p of list(top.params)) {
    const path = joinPath(out, dir, p, where("params", "top-level params"));
    if (path !== undefined) out.params.push({ path, keys: null });
  }
  for (const item of list(top.plots)) topLevelPlot(out, dir, item, file);

  const stages = (doc as Record<string, unknown>).stages;
  if (stages !== null && typeof stages === "object" && !Array.isArray(stages)) {
    for (const [name, raw] of Object.entries(stages)) {
      const expanded = expandStage(name, raw, ctx);
      if (!expanded) {
        out.problems.push({
          path: file,
          kind: "unreadable",
          message: `stage ${name}: its foreach/matrix values could not be resolved, so its outputs are not read`,
          category: "metrics",
        });
        continue;
      }
      for (const stage of expanded) stageDeclarations(out, dir, stage.name, stage.definition, file);
    }
  }
  return out;
}

function stageDeclarations(
  out: Declarations,
  dir: string,
  name: string,
  def: Record<string, unknown>,
  file: string,
): void {
  const wdir = typeof def.wdir === "string" ? posix.join(dir, def.wdir) : dir;
  const what = (category: DeclarationProblem["category"]) => ({ file, category, what: `stage ${name}` });
  for (const item of list(def.metrics)) addPath(out, out.metrics, wdir, outPath(item), what("metrics"));
  for (const item of list(def.plots)) {
    const path = joinPath(out, wdir, outPath(item), what("plots"));
    if (path === undefined) continue;
    const props = outProps(item);
    out.plots.push({
      id: path,
      path,
      ...plotFields(props, typeof props.x === "string" ? props.x : undefined),
    });
  }
  for (const item of list(def.params)) {
    if (typeof item === "string") {
      const path = joinPath(out, wdir, DEFAULT_PARAMS_FILE, what("params"));
      if (path !== undefined) out.params.push({ path, keys: [item] });
    } else if (item !== null && typeof item === "object") {
      for (const [f, keys] of Object.entries(item)) {
        const path = joinPath(out, wdir, f, what("params"));
        if (path === undefined) continue;
        const ks = list(keys).filter((k): k is string => typeof k === "string");
        out.params.push({ path, keys: ks.length > 0 ? ks : null });
      }
    }
  }
}

function topLevelPlot(out: Declarations, dir: string, item: unknown, file: string): void {
  const where = { file, category: "plots" as const, what: "top-level plots" };
  if (typeof item === "string") {
    const path = joinPath(out, dir, item, where);
    if (path !== undefined) out.plots.push({ id: path, path });
    return;
  }
  if (item === null || typeof item !== "object") return;
  for (const [id, raw] of Object.entries(item)) {
    const props =
      raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const y = props.y;
    if (y !== null && typeof y === "object" && !Array.isArray(y)) {
      // `{id: {x, y: {file: field | [fields]}}}`: the id names the plot, y names its files.
      const files = Object.entries(y as Record<string, unknown>);
      for (const [f, fields] of files) {
        const path = joinPath(out, dir, f, where);
        if (path === undefined) continue;
        const x = typeof props.x === "string" ? props.x : fieldFor(props.x, f);
        const plotId = files.length > 1 ? `${id} (${f})` : id;
        out.plots.push({ id: plotId, path, ...plotFields({ ...props, y: fields }, x) });
      }
      continue;
    }
    // `{path: {x, y}}`: the id is the plots file (or folder).
    const path = joinPath(out, dir, id, where);
    if (path !== undefined) {
      out.plots.push({
        id: path,
        path,
        ...plotFields(props, typeof props.x === "string" ? props.x : fieldFor(props.x, id)),
      });
    }
  }
}

function fieldFor(x: unknown, file: string): string | undefined {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return undefined;
  const entries = Object.entries(x as Record<string, unknown>);
  const own = entries.find(([f]) => f === file) ?? entries[0];
  return typeof own?.[1] === "string" ? own[1] : undefined;
}

function plotFields(props: Record<string, unknown>, x: string | undefined): Omit<PlotTarget, "id" | "path"> {
  const y =
    typeof props.y === "string" ? [props.y] : list(props.y).filter((f): f is string => typeof f === "string");
  return {
    ...(x ? { x } : {}),
    ...(y.length > 0 ? { y } : {}),
    ...(typeof props.title === "string" ? { title: props.title } : {}),
    ...(typeof props.template === "string" ? { template: props.template } : {}),
  };
}

interface Where {
  file: string;
  category: DeclarationProblem["category"];
  what: string;
}

function addPath(out: Declarations, into: string[], base: string, p: unknown, where: Where): void {
  const path = joinPath(out, base, p, where);
  if (path !== undefined) into.push(path);
}

/** Joins a declared path onto its base folder, or records why it cannot be used. */
function joinPath(out: Declarations, base: string, p: unknown, where: Where): string | undefined {
  if (typeof p !== "string" || p === "") return undefined;
  if (isUnresolved(p) || isUnresolved(base)) {
    out.problems.push({
      path: normalizePath(posix.join(base, p)),
      kind: "unreadable",
      message: `${where.file} (${where.what}): the path template \`${p}\` could not be resolved from vars or params.yaml`,
      category: where.category,
    });
    return undefined;
  }
  const path = normalizePath(posix.join(base, p.replaceAll("\\${", "${")));
  if (path === "" || path.startsWith("../") || posix.isAbsolute(p)) {
    out.problems.push({
      path: p,
      kind: "unreadable",
      message: `${where.file} (${where.what}): \`${p}\` is outside the repository`,
      category: where.category,
    });
    return undefined;
  }
  return path;
}

/** An output entry is `path` or `{path: {cache, x, y, ...}}`. */
function outPath(item: unknown): unknown {
  if (typeof item === "string") return item;
  if (item !== null && typeof item === "object" && !Array.isArray(item)) return Object.keys(item)[0];
  return undefined;
}

function outProps(item: unknown): Record<string, unknown> {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return {};
  const v = Object.values(item)[0];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function withoutStages(doc: Record<string, unknown>): Record<string, unknown> {
  const { stages: _s, vars: _v, ...rest } = doc;
  return rest;
}

/** Merges params targets per file: a file tracked whole anywhere is tracked whole. */
export function mergeParams(targets: ParamsTarget[]): ParamsTarget[] {
  const byPath = new Map<string, string[] | null>();
  for (const t of targets) {
    const prev = byPath.get(t.path);
    if (prev === null) continue;
    if (t.keys === null) byPath.set(t.path, null);
    else byPath.set(t.path, [...(prev ?? []), ...t.keys]);
  }
  return [...byPath].map(([path, keys]) => ({
    path,
    keys: keys === null ? null : [...new Set(keys)].sort(),
  }));
}
