import { posix } from "node:path";
import picomatch from "picomatch";
import type { Context } from "./dvc-template";
import {
  DEFAULT_PARAMS_FILE,
  type DeclarationProblem,
  declarationsOf,
  mergeParams,
  type ParamsTarget,
  type PlotTarget,
} from "./dvc-yaml";
import { formatOf, ParseError, parseStructured } from "./parse-values";
import { type FileSource, normalizePath } from "./source";

export interface DiscoverOptions {
  /** Read declarations from dvc.yaml files (default true). */
  dvc?: boolean;
  /** Extra metrics files, folders or globs (picomatch), repo-relative. */
  metrics?: readonly string[];
  /** Extra params files or globs; each is tracked whole. */
  params?: readonly string[];
  /** Extra plots files, folders or globs. */
  plots?: readonly string[];
}

export interface Discovery {
  metrics: string[];
  params: ParamsTarget[];
  plots: PlotTarget[];
  problems: DeclarationProblem[];
}

const METRIC_FORMATS = new Set(["json", "yaml", "toml", "csv", "tsv"]);
const PLOT_FORMATS = new Set(["json", "yaml", "csv", "tsv"]);

/** True for the dvc.yaml files discovery reads: the root one and nested ones. */
export function isDvcYaml(path: string): boolean {
  return path === "dvc.yaml" || path.endsWith("/dvc.yaml");
}

/**
 * Finds the metrics, params and plots files of a revision the way `dvc metrics/params/plots show`
 * would, plus the paths and globs the user gives. Folders expand to the files inside them that we
 * can read. Paths that name no file are kept, so the snapshot can report them missing.
 */
export async function discover(source: FileSource, options: DiscoverOptions = {}): Promise<Discovery> {
  const files = await source.listFiles();
  const fileSet = new Set(files);
  const out: Discovery = { metrics: [], params: [], plots: [], problems: [] };

  const dvcFiles = options.dvc === false ? [] : files.filter(isDvcYaml);
  for (const file of dvcFiles) {
    const decl = await readDvcYaml(source, file);
    out.metrics.push(...decl.metrics);
    out.params.push(...decl.params);
    out.plots.push(...decl.plots);
    out.problems.push(...decl.problems);
  }
  // Like DVC, the root params.yaml of a DVC project is shown whole, tracked by a stage or not.
  const isDvcProject = dvcFiles.length > 0 || fileSet.has(".dvc/config");
  if (isDvcProject && fileSet.has(DEFAULT_PARAMS_FILE))
    out.params.push({ path: DEFAULT_PARAMS_FILE, keys: null });

  for (const p of options.metrics ?? []) out.metrics.push(...expandUserPath(p, files));
  for (const p of options.params ?? []) {
    out.params.push(...expandUserPath(p, files).map((path) => ({ path, keys: null })));
  }
  for (const p of options.plots ?? []) {
    out.plots.push(...expandUserPath(p, files).map((path) => ({ id: path, path })));
  }

  out.metrics = unique(out.metrics.flatMap((p) => expandFolder(p, files, fileSet, METRIC_FORMATS)));
  out.params = mergeParams(out.params);
  out.plots = uniqueBy(
    out.plots.flatMap((t) =>
      expandFolder(t.path, files, fileSet, PLOT_FORMATS).map((path) =>
        path === t.path ? t : { ...t, id: path, path },
      ),
    ),
    (t) => t.id,
  );
  return out;
}

/** Reads one dvc.yaml with the context its `${...}` may use: params.yaml, then `vars`. */
async function readDvcYaml(source: FileSource, file: string): Promise<ReturnType<typeof declarationsOf>> {
  const bytes = await source.readFile(file);
  if (!bytes) return { metrics: [], params: [], plots: [], problems: [] };
  let doc: unknown;
  try {
    doc = parseStructured(bytes.toString("utf8"), "yaml");
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return {
      metrics: [],
      params: [],
      plots: [],
      problems: [{ path: file, kind: "parse-error", message: e.message, category: "metrics" }],
    };
  }
  const dir = posix.dirname(file) === "." ? "" : posix.dirname(file);
  const ctx = await templateContext(source, dir, doc);
  return declarationsOf(doc, file, ctx);
}

async function templateContext(source: FileSource, dir: string, doc: unknown): Promise<Context> {
  const ctx: Context = {};
  const defaults = await readData(source, posix.join(dir, DEFAULT_PARAMS_FILE));
  if (isRecord(defaults)) Object.assign(ctx, defaults);
  const vars = isRecord(doc) ? doc.vars : undefined;
  for (const entry of Array.isArray(vars) ? vars : vars === undefined ? [] : [vars]) {
    if (isRecord(entry)) {
      Object.assign(ctx, entry);
    } else if (typeof entry === "string") {
      const [f = "", keyList] = entry.split(":");
      const data = await readData(source, posix.join(dir, f));
      if (!isRecord(data)) continue;
      if (keyList === undefined) Object.assign(ctx, data);
      else for (const k of keyList.split(",")) if (k.trim() in data) ctx[k.trim()] = data[k.trim()];
    }
  }
  return ctx;
}

async function readData(source: FileSource, path: string): Promise<unknown> {
  const format = formatOf(path);
  if (!format || format === "csv" || format === "tsv") return undefined;
  const bytes = await source.readFile(normalizePath(path));
  if (!bytes) return undefined;
  try {
    return parseStructured(bytes.toString("utf8"), format);
  } catch {
    return undefined;
  }
}

/** A user's path or glob: a glob expands to the files it matches; a literal path stays as it is. */
export function expandUserPath(pattern: string, files: readonly string[]): string[] {
  const p = normalizePath(pattern);
  if (!picomatch.scan(p).isGlob) return p ? [p] : [];
  const isMatch = picomatch(p, { dot: true });
  return files.filter((f) => isMatch(f));
}

/** A folder expands to the readable files under it; anything else stays as it is. */
function expandFolder(
  path: string,
  files: readonly string[],
  fileSet: Set<string>,
  formats: Set<string>,
): string[] {
  if (fileSet.has(path)) return [path];
  const prefix = `${path}/`;
  const inside = files.filter((f) => f.startsWith(prefix) && hasFormat(f, formats));
  return inside.length > 0 ? inside : [path];
}

function hasFormat(f: string, formats: Set<string>): boolean {
  const format = formatOf(f);
  return format !== undefined && formats.has(format);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
