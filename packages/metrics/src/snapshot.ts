import { defaultConfig, type MlciConfig } from "./config";
import { type DvcAwareSource, projectCacheResolver, withDvcCache } from "./dvc-cache";
import { discover } from "./dvc-discovery";
import type { ParamsTarget, PlotTarget } from "./dvc-yaml";
import { type MlflowOptions, readMlflow } from "./mlflow";
import { formatOf, ParseError, parseValuesFile } from "./parse-values";
import { parsePlotFile } from "./plots";
import { type FileSource, workingTreeSource } from "./source";
import type { FlatValues, PlotData, RevisionSnapshot, ValuesFile } from "./types";

export interface SnapshotOptions {
  /** What the user asked for: a ref name, a SHA, or `workspace`. */
  ref: string;
  /** The commit's full SHA; also picks the MLflow run tagged with it. */
  sha?: string;
  /** Project settings (`loadMlciConfig`); the defaults when absent. */
  config?: MlciConfig;
  /** Metrics files, folders or globs from the command line or action inputs. */
  extraMetrics?: readonly string[];
  extraParams?: readonly string[];
  extraPlots?: readonly string[];
  /** MLflow settings over the config's `mlflow`; `false` turns MLflow off. */
  mlflow?: MlflowOptions | false;
  /**
   * The local DVC cache folder for every output; by default each output's DVC project (the folder
   * with `.dvc/` above its lock file) in the source's working tree gives it.
   */
  cacheRoot?: string;
}

const PLOT_DATA_FORMATS = new Set(["csv", "tsv", "json", "yaml"]);

/**
 * Reads the metrics, params and plots of one revision (or the working tree): what dvc.yaml files
 * declare, what the config and caller add, DVC-cached outputs from the local cache, and an MLflow
 * run. Files that cannot be read come back with a `problem`; this throws only for bugs and git
 * failures, never for a bad metrics file.
 */
export async function readSnapshot(source: FileSource, options: SnapshotOptions): Promise<RevisionSnapshot> {
  const config = options.config ?? defaultConfig();
  const cache =
    options.cacheRoot ?? (source.workTree === undefined ? undefined : projectCacheResolver(source.workTree));
  const src = withDvcCache(source, cache);
  const found = await discover(src, {
    dvc: config.metrics.dvc,
    metrics: [...config.metrics.files, ...(options.extraMetrics ?? [])],
    params: [...config.metrics.params, ...(options.extraParams ?? [])],
    plots: [...config.metrics.plots, ...(options.extraPlots ?? [])],
  });
  const problems: NonNullable<RevisionSnapshot["problems"]> = found.problems.map(
    ({ path, kind, message }) => ({
      path,
      kind,
      message,
    }),
  );

  const metrics = await mapLimited(found.metrics, (path) => readValues(src, path));
  const params = await mapLimited(found.params, (target) => readParams(src, target));
  const plots: PlotData[] = [];
  const plotTargets = found.plots.filter(
    (t) => PLOT_DATA_FORMATS.has(formatOf(t.path) ?? "") && !t.template?.startsWith("confusion"),
  );
  for (const result of await mapLimited(plotTargets, (t) => readPlot(src, t))) {
    if ("plot" in result) plots.push(result.plot);
    else if (result.problem) problems.push(result.problem);
  }

  const mlflow = mlflowOptions(config, options.mlflow);
  if (mlflow) {
    const store = mlflow.store ?? (await defaultMlflowStore(source, mlflow.dir ?? "mlruns"));
    const run = await readMlflow(store, { ...mlflow, ...(options.sha ? { sha: options.sha } : {}) });
    metrics.push(run.metrics);
    params.push(run.params);
  }

  return {
    ref: options.ref,
    ...(options.sha === undefined ? {} : { sha: options.sha }),
    metrics,
    params,
    plots,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

async function readValues(src: DvcAwareSource, path: string): Promise<ValuesFile> {
  const bytes = await src.readFile(path);
  if (!bytes) return { path, values: {}, problem: await src.explainMissing(path) };
  return parseValuesFile(path, bytes);
}

/** A params file keeps only the tracked keys, each with its whole subtree, as `dvc params diff`. */
async function readParams(src: DvcAwareSource, target: ParamsTarget): Promise<ValuesFile> {
  const file = await readValues(src, target.path);
  if (file.problem || target.keys === null) return file;
  const keys = target.keys;
  const values: FlatValues = {};
  for (const [k, v] of Object.entries(file.values)) {
    if (keys.some((t) => k === t || k.startsWith(`${t}.`))) values[k] = v;
  }
  return { ...file, values };
}

type PlotResult = { plot: PlotData } | { problem?: NonNullable<RevisionSnapshot["problems"]>[number] };

async function readPlot(src: DvcAwareSource, target: PlotTarget): Promise<PlotResult> {
  const bytes = await src.readFile(target.path);
  if (!bytes) {
    // A plot missing on one side is ordinary (new or removed plot); only a cache miss is news.
    const why = await src.explainMissing(target.path);
    return why.kind === "missing" ? {} : { problem: { path: target.path, ...why } };
  }
  try {
    return { plot: parsePlotFile(target, bytes) };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return {
      problem: { path: target.path, kind: "parse-error", message: `plot ${target.id}: ${e.message}` },
    };
  }
}

function mlflowOptions(
  config: MlciConfig,
  override: MlflowOptions | false | undefined,
): MlflowOptions | undefined {
  if (override === false) return undefined;
  const c = config.mlflow;
  if (!c && !override) return undefined;
  return {
    ...(c
      ? {
          dir: c.dir,
          ...(c.experiment === undefined ? {} : { experiment: c.experiment }),
          ...(c.run === undefined ? {} : { runId: c.run }),
          ...(c.select === undefined ? {} : { select: c.select }),
        }
      : {}),
    ...override,
  };
}

/** The source's own store when it has one (committed runs), else its working tree's. */
async function defaultMlflowStore(source: FileSource, dir: string): Promise<FileSource> {
  const prefix = `${dir.replace(/\/+$/, "")}/`;
  if (source.workTree === undefined || (await source.listFiles()).some((f) => f.startsWith(prefix)))
    return source;
  return workingTreeSource(source.workTree);
}

/** Maps with at most `limit` calls in flight, keeping the order (git spawns one process per file). */
async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit = 8): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
