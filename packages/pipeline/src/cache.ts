/**
 * The DVC cache, laid out as DVC 3 does so DVC finds what we store:
 * `<cache.dir>/files/md5/<first 2 hex>/<other 30>` for each file, read-only (0444); a
 * directory is its files plus the manifest JSON stored as `<md5>.dir` under the same scheme.
 */

import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, copyFile, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ensureDirSync, MlciError } from "@mlci/common";
import type { HashDetails } from "./hash/hash-path";

const CACHE_MODE = 0o444;

export interface ManifestEntry {
  md5: string;
  relpath: string;
}

/** `files/md5/ab/cdef...` for an object id (md5, or md5 + `.dir`). */
export function objectRelPath(oid: string): string {
  if (!/^[0-9a-f]{32}(\.dir)?$/.test(oid)) throw new MlciError("DATA", `not an md5 object id: '${oid}'`);
  return `files/md5/${oid.slice(0, 2)}/${oid.slice(2)}`;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

function tmpBeside(path: string): string {
  return join(dirname(path), `.${randomBytes(6).toString("hex")}.tmp`);
}

/** Copy (reflink when the file system can) to a temp name, then rename into place. */
export async function copyAtomic(src: string, dest: string, mode: number): Promise<void> {
  ensureDirSync(dirname(dest));
  const tmp = tmpBeside(dest);
  try {
    await copyFile(src, tmp, constants.COPYFILE_FICLONE);
    await chmod(tmp, mode);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export function parseManifest(text: string, oid: string): ManifestEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new MlciError("DATA", `cache object ${oid} is corrupted`);
  }
  if (!Array.isArray(data)) throw new MlciError("DATA", `cache object ${oid} is corrupted`);
  return data.map((e) => {
    const { md5, relpath } = (e ?? {}) as { md5?: unknown; relpath?: unknown };
    if (typeof md5 !== "string" || typeof relpath !== "string" || relpath.split("/").includes("..")) {
      throw new MlciError("DATA", `cache object ${oid} is corrupted`);
    }
    return { md5, relpath };
  });
}

export class CacheStore {
  /** `dir` is DVC's cache directory (`.dvc/cache` unless `cache.dir` says otherwise). */
  constructor(readonly dir: string) {}

  objectPath(oid: string): string {
    return join(this.dir, ...objectRelPath(oid).split("/"));
  }

  has(oid: string): Promise<boolean> {
    return exists(this.objectPath(oid));
  }

  async readManifest(oid: string): Promise<ManifestEntry[]> {
    return parseManifest(await readFile(this.objectPath(oid), "utf8"), oid);
  }

  /** Whether the whole output (for a directory: its manifest and every file) is cached. */
  async hasOutput(oid: string): Promise<boolean> {
    if (!(await this.has(oid))) return false;
    if (!oid.endsWith(".dir")) return true;
    const entries = await this.readManifest(oid).catch(() => null);
    if (!entries) return false;
    for (const e of entries) if (!(await this.has(e.md5))) return false;
    return true;
  }

  /** Add a file's content under its md5 (no-op when already there). */
  async addFile(src: string, md5: string): Promise<void> {
    const dest = this.objectPath(md5);
    if (await exists(dest)) return;
    await copyAtomic(src, dest, CACHE_MODE);
  }

  /** Add raw bytes (a directory manifest) under an object id. */
  async addBytes(oid: string, data: string): Promise<void> {
    const dest = this.objectPath(oid);
    if (await exists(dest)) return;
    ensureDirSync(dirname(dest));
    const tmp = tmpBeside(dest);
    await writeFile(tmp, data, { mode: CACHE_MODE });
    await rename(tmp, dest);
  }

  /** Store an output that was just hashed (`hashPathDetailed`). */
  async save(absPath: string, h: HashDetails): Promise<void> {
    if (!h.isdir) return this.addFile(absPath, h.md5);
    for (const f of h.files ?? []) await this.addFile(f.absPath, f.md5);
    await this.addBytes(h.md5, h.manifest ?? "[]");
  }

  /** Write an output back into the workspace from the cache (a copy; the cache stays read-only). */
  async checkout(oid: string, absPath: string, options: { isexec?: boolean } = {}): Promise<void> {
    const fileMode = (exec: boolean) => (exec ? 0o755 : 0o644) & ~process.umask();
    if (!oid.endsWith(".dir")) {
      await rm(absPath, { recursive: true, force: true });
      await copyAtomic(this.objectPath(oid), absPath, fileMode(options.isexec === true));
      return;
    }
    const entries = await this.readManifest(oid);
    await rm(absPath, { recursive: true, force: true });
    ensureDirSync(absPath);
    for (const e of entries) {
      await copyAtomic(this.objectPath(e.md5), join(absPath, ...e.relpath.split("/")), fileMode(false));
    }
  }

  /** Every object id an output needs (the `.dir` manifest and its files, or the file). */
  async objectsOf(oid: string): Promise<string[]> {
    if (!oid.endsWith(".dir")) return [oid];
    const entries = await this.readManifest(oid);
    return [oid, ...new Set(entries.map((e) => e.md5))];
  }
}
