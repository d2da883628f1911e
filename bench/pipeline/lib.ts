/**
 * The in-process part of the pipeline benchmark, bundled by run.mjs with esbuild so it runs on
 * plain Node: hashing with and without a hash-cache entry, and pipelineStatus on a project.
 */
import { join } from "node:path";
import { HashCache, hashPath, openProject, pipelineStatus } from "@mlci/pipeline";

export interface HashTimes {
  md5: string;
  /** No entry in the hash cache: the file is read. */
  coldMs: number;
  /** With the entry just made, in the same process. */
  warmMs: number;
  /** With the entry, after loading the hash-cache file from disk (as a new `mlci` process would). */
  warmFromDiskMs: number;
}

export async function timeHashCache(file: string, cacheFile: string): Promise<HashTimes> {
  const cache = HashCache.memory();
  let t = performance.now();
  const first = await hashPath(file, { cache });
  const coldMs = performance.now() - t;
  t = performance.now();
  const second = await hashPath(file, { cache });
  const warmMs = performance.now() - t;
  if (second.md5 !== first.md5) throw new Error("the cached hash differs");
  // The same through the cache file: make it, then time load + hash.
  const onDisk = await HashCache.load(cacheFile);
  await hashPath(file, { cache: onDisk });
  await onDisk.save();
  t = performance.now();
  const loaded = await HashCache.load(cacheFile);
  const third = await hashPath(file, { cache: loaded });
  const warmFromDiskMs = performance.now() - t;
  if (third.md5 !== first.md5) throw new Error("the hash from the cache file differs");
  return { md5: first.md5, coldMs, warmMs, warmFromDiskMs };
}

/** Plain MD5 of the file (no cache), for the ratio to md5sum. */
export async function timeHash(file: string): Promise<{ md5: string; ms: number }> {
  const t = performance.now();
  const h = await hashPath(file);
  return { md5: h.md5, ms: performance.now() - t };
}

/** openProject + pipelineStatus, in process; returns the time and how many stages would run. */
export async function timeStatus(root: string): Promise<{ ms: number; stages: number; changed: number }> {
  const t = performance.now();
  const project = await openProject({ root, hashCacheFile: join(root, ".dvc", "tmp", "mlci-hashes.json") });
  const st = await pipelineStatus(project);
  return {
    ms: performance.now() - t,
    stages: st.length,
    changed: st.filter((s) => s.state !== "unchanged").length,
  };
}
