/**
 * A DVC project opened for work: dvc.yaml parsed and resolved, the stage graph, dvc.lock,
 * `.dvc/config`, the DVC cache and the hash cache. The CLI and the train action start here.
 */
import { dirname, join, resolve } from "node:path";
import { CacheStore } from "./cache";
import { type DvcConfig, loadDvcConfig } from "./config";
import { parseDvcYaml } from "./dvc-yaml/parse";
import type { Pipeline } from "./dvc-yaml/types";
import { buildGraph, type StageGraph } from "./graph";
import { HashCache } from "./hash/hash-cache";
import { type Lock, readLock } from "./lock";

export interface OpenProjectOptions {
  /** Repository root (default: the current directory). */
  root?: string;
  /** dvc.yaml relative to the root (default `dvc.yaml`). */
  file?: string;
  /** Hash cache file, or false for an in-memory one (default `.dvc/tmp/mlci-hashes.json`). */
  hashCacheFile?: string | false;
  /** See {@link HashCache}; default 2000 ms. */
  racyWindowMs?: number;
}

export interface Project {
  root: string;
  /** dvc.yaml relative to the root. */
  file: string;
  /** Absolute path of dvc.lock (beside dvc.yaml). */
  lockPath: string;
  /** dvc.lock relative to the root, for messages. */
  lockFile: string;
  config: DvcConfig;
  pipeline: Pipeline;
  graph: StageGraph;
  lock: Lock;
  hashCache: HashCache;
  cache: CacheStore;
}

export async function openProject(options: OpenProjectOptions = {}): Promise<Project> {
  const root = resolve(options.root ?? process.cwd());
  const config = await loadDvcConfig(root);
  const pipeline = await parseDvcYaml({ root, file: options.file ?? "dvc.yaml", parsing: config.parsing });
  const graph = buildGraph(pipeline);
  const lockPath = join(dirname(join(root, pipeline.file)), "dvc.lock");
  const lockFile = join(dirname(pipeline.file), "dvc.lock").split("\\").join("/");
  const lock = await readLock(lockPath, lockFile);
  const hcOpts = options.racyWindowMs === undefined ? {} : { racyWindowMs: options.racyWindowMs };
  const hashCache =
    options.hashCacheFile === false
      ? HashCache.memory(hcOpts)
      : await HashCache.load(options.hashCacheFile ?? join(root, ".dvc", "tmp", "mlci-hashes.json"), hcOpts);
  return {
    root,
    file: pipeline.file,
    lockPath,
    lockFile,
    config,
    pipeline,
    graph,
    lock,
    hashCache,
    cache: new CacheStore(config.cacheDir),
  };
}
