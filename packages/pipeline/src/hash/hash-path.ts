/**
 * `hashPath`: what DVC records for a file or a directory in `dvc.lock` (md5, size, nfiles,
 * isexec), and the details the cache needs (the files and the `.dir` manifest).
 */
import { type BigIntStats, constants } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MlciError } from "@mlci/common";
import { IgnoreFilter } from "./dvcignore";
import { md5Bytes, md5File } from "./file-md5";
import type { HashAlgo, HashCache } from "./hash-cache";
import { compareCodePoints, pyJsonDumps } from "./py-json";

/** An entry as DVC writes it in `dvc.lock` (without the path). */
export interface HashInfo {
  md5: string;
  size: number;
  nfiles?: number;
  isexec?: true;
}

export interface TreeFile {
  /** Posix path inside the directory. */
  relpath: string;
  md5: string;
  size: number;
  isexec: boolean;
  absPath: string;
}

export interface HashDetails extends HashInfo {
  isdir: boolean;
  /** For directories: the files, sorted by relpath, and the manifest bytes that were hashed. */
  files?: TreeFile[];
  manifest?: string;
}

export interface HashOptions {
  /** DVC 2's `md5-dos2unix` (lock entries without `hash: md5`). */
  legacy?: boolean;
  cache?: HashCache;
  /** Repository root, for `.dvcignore` files above a directory. Defaults to the directory itself. */
  root?: string;
}

const EXEC_BITS = constants.S_IXUSR | constants.S_IXGRP | constants.S_IXOTH;

async function hashFileWithCache(
  absPath: string,
  st: BigIntStats,
  statAtNs: bigint,
  algo: HashAlgo,
  cache: HashCache | undefined,
): Promise<string> {
  const hit = cache?.get(absPath, st, algo);
  if (hit) return hit;
  const md5 = await md5File(absPath, algo === "md5-dos2unix");
  if (cache) {
    // Only remember the hash if the file did not change while it was read.
    const after = await stat(absPath, { bigint: true });
    if (after.size === st.size && after.mtimeNs === st.mtimeNs && after.ino === st.ino) {
      cache.set(absPath, st, algo, md5, statAtNs);
    }
  }
  return md5;
}

async function statNow(path: string, cache?: HashCache): Promise<{ st: BigIntStats; at: bigint }> {
  const at = cache ? cache.nowNs() : 0n;
  return { st: await stat(path, { bigint: true }), at };
}

interface Found {
  relpath: string;
  absPath: string;
}

async function walk(
  dir: string,
  root: string,
  filter: IgnoreFilter,
  rel: string,
  out: Found[],
): Promise<void> {
  const entries = await readdir(join(dir, rel), { withFileTypes: true });
  for (const ent of entries) {
    const relpath = rel ? `${rel}/${ent.name}` : ent.name;
    const absPath = join(dir, relpath);
    let isDir = ent.isDirectory();
    let isFile = ent.isFile();
    if (ent.isSymbolicLink()) {
      // os.walk semantics: a link to a directory is not followed, a link to a file is.
      const target = await stat(absPath).catch(() => null);
      if (target?.isDirectory()) continue;
      isFile = true;
      isDir = false;
    }
    const filterPath = root ? `${root}/${relpath}` : relpath;
    if (filter.ignores(filterPath, isDir)) continue;
    if (isDir) {
      await walk(dir, root, filter, relpath, out);
    } else if (isFile) {
      if (ent.name === ".dvcignore") {
        throw new MlciError("CONFIG", `.dvcignore file should not be in collected dir path: '${absPath}'`);
      }
      out.push({ relpath, absPath });
    }
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

/** The `.dir` manifest DVC hashes: `json.dumps([{"md5", "relpath"}...], sort_keys=True)`. */
export function treeManifest(files: ReadonlyArray<{ relpath: string; md5: string }>): string {
  const sorted = [...files].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  return pyJsonDumps(sorted.map((f) => ({ md5: f.md5, relpath: f.relpath })));
}

/** Hash a file or directory with every detail the cache and the lock need. */
export async function hashPathDetailed(path: string, options: HashOptions = {}): Promise<HashDetails> {
  const abs = resolve(path);
  const algo: HashAlgo = options.legacy ? "md5-dos2unix" : "md5";
  const { st, at } = await statNow(abs, options.cache);
  if (st.isDirectory()) {
    const rootAbs = resolve(options.root ?? abs);
    const rel =
      rootAbs === abs
        ? ""
        : abs
            .slice(rootAbs.length + 1)
            .split(/[\\/]/)
            .join("/");
    const filter = rel.startsWith("..") ? IgnoreFilter.none() : await IgnoreFilter.forDir(rootAbs, abs);
    const found: Found[] = [];
    await walk(abs, rel.startsWith("..") ? "" : rel, filter, "", found);
    const files = await mapLimit(found, 4, async (f): Promise<TreeFile> => {
      const s = await statNow(f.absPath, options.cache);
      const md5 = await hashFileWithCache(f.absPath, s.st, s.at, algo, options.cache);
      return {
        relpath: f.relpath,
        md5,
        size: Number(s.st.size),
        isexec: (Number(s.st.mode) & EXEC_BITS) !== 0,
        absPath: f.absPath,
      };
    });
    files.sort((a, b) => compareCodePoints(a.relpath, b.relpath));
    const manifest = treeManifest(files);
    return {
      md5: `${md5Bytes(manifest)}.dir`,
      size: files.reduce((n, f) => n + f.size, 0),
      nfiles: files.length,
      isdir: true,
      files,
      manifest,
    };
  }
  if (!st.isFile()) throw new MlciError("DATA", `'${path}' is not a file or directory`);
  const md5 = await hashFileWithCache(abs, st, at, algo, options.cache);
  const info: HashDetails = { md5, size: Number(st.size), isdir: false };
  if ((Number(st.mode) & EXEC_BITS) !== 0) info.isexec = true;
  return info;
}

/** `{ md5, size, nfiles?, isexec? }` exactly as DVC records the path. */
export async function hashPath(path: string, options: HashOptions = {}): Promise<HashInfo> {
  const d = await hashPathDetailed(path, options);
  const out: HashInfo = { md5: d.md5, size: d.size };
  if (d.nfiles !== undefined) out.nfiles = d.nfiles;
  if (d.isexec) out.isexec = true;
  return out;
}
