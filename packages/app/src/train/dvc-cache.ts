/**
 * Bringing the DVC cache to a fresh runner: restore `.dvc/cache` (or `cache.dir`) before the
 * run, keyed by the pipeline's inputs fingerprint, and save it after a successful run. With the
 * exact key a runner restores every output and runs nothing; a key sharing only the prefix (an
 * earlier commit's cache) still brings back the outputs of unchanged stages.
 *
 * The cache is an optimisation: when the service is missing or fails, the run goes on without
 * it, with a warning.
 */
import { readdir } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { MlciError } from "@mlci/common";
import { inputsFingerprint, type Project } from "@mlci/pipeline";
import type { CacheService } from "./cache-service";

export interface DvcCachePlan {
  /** `<prefix>-<os>-<fingerprint>`. */
  key: string;
  /** `<prefix>-<os>-`: any earlier cache of this project helps. */
  restoreKeys: string[];
  /** The cache folder: relative to the workspace (posix), or absolute when outside it. */
  paths: string[];
}

export type CacheHit = "exact" | "partial" | "none";

export interface CacheLog {
  info(message: string): void;
  warning(message: string): void;
}

/** The inputs fingerprint is an MD5 in hex. */
const FINGERPRINT_LENGTH = 32;

/** GitHub's cache service refuses keys with commas and keys over 512 characters. */
export function checkCacheKeyPrefix(prefix: string, os: string): void {
  if (prefix.includes(",")) {
    throw new MlciError(
      "INPUT",
      `input \`cache-key-prefix\` must not contain a comma (GitHub's cache keys cannot): "${prefix}"`,
    );
  }
  const longest = `${prefix}-${os}-`.length + FINGERPRINT_LENGTH;
  if (longest > 512) {
    throw new MlciError(
      "INPUT",
      `input \`cache-key-prefix\` is too long: the cache key would be ${longest} characters, GitHub allows 512`,
    );
  }
}

export async function planDvcCache(
  project: Project,
  opts: { prefix: string; os: string; workspace: string },
): Promise<DvcCachePlan> {
  const fingerprint = await inputsFingerprint(project);
  const base = `${opts.prefix}-${opts.os}-`;
  return {
    key: `${base}${fingerprint}`,
    restoreKeys: [base],
    paths: [cachePath(opts.workspace, project.cache.dir)],
  };
}

/**
 * The cache folder as `@actions/cache` accepts it: relative to the workspace (so the entry does
 * not depend on where the runner checks out), or absolute when `cache.dir` lies outside it (the
 * library refuses `..` in paths).
 */
export function cachePath(workspace: string, cacheDir: string): string {
  const rel = relative(workspace, cacheDir).split("\\").join("/");
  const inside = rel !== "" && rel !== ".." && !rel.startsWith("../") && !isAbsolute(rel);
  return inside ? rel : resolve(cacheDir);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Restore the cache; returns how well the key matched. Never throws. */
export async function restoreDvcCache(
  service: CacheService,
  plan: DvcCachePlan,
  log: CacheLog,
): Promise<{ hit: CacheHit; key?: string }> {
  const why = service.unavailable();
  if (why) {
    log.warning(`DVC cache not restored: ${why}; the stages run without it`);
    return { hit: "none" };
  }
  try {
    const key = await service.restore(plan.paths, plan.key, plan.restoreKeys);
    if (key === undefined) {
      log.info(`DVC cache: no saved cache for ${plan.key} (or its prefix)`);
      return { hit: "none" };
    }
    const hit: CacheHit = key === plan.key ? "exact" : "partial";
    log.info(`DVC cache: restored ${key}${hit === "partial" ? " (an earlier cache of this project)" : ""}`);
    return { hit, key };
  } catch (err) {
    log.warning(`DVC cache not restored: ${errorText(err)}; the stages run without it`);
    return { hit: "none" };
  }
}

/** Whether a folder holds at least one file (stops at the first). */
async function hasFiles(dir: string): Promise<boolean> {
  const list = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (list.some((e) => e.isFile())) return true;
  for (const e of list) if (e.isDirectory() && (await hasFiles(join(dir, e.name)))) return true;
  return false;
}

/**
 * Save the cache under the plan's key, unless it was restored with that very key (entries
 * are immutable) or holds nothing. Returns whether it saved. Never throws.
 */
export async function saveDvcCache(
  service: CacheService,
  plan: DvcCachePlan,
  project: Project,
  hit: CacheHit,
  log: CacheLog,
): Promise<boolean> {
  if (hit === "exact") {
    log.info(`DVC cache: ${plan.key} was restored as is; nothing new to save`);
    return false;
  }
  if (service.unavailable()) return false;
  if (!(await hasFiles(project.cache.dir))) {
    log.info("DVC cache: empty, nothing to save");
    return false;
  }
  try {
    await service.save(plan.paths, plan.key);
    log.info(`DVC cache: saved ${plan.key}`);
    return true;
  } catch (err) {
    log.warning(`DVC cache not saved: ${errorText(err)}`);
    return false;
  }
}
