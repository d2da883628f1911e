/**
 * The hash cache: remembers a file's MD5 by path, size, mtime (ns) and inode, so unchanged
 * data is not read again. Stored as JSON (default `.dvc/tmp/mlci-hashes.json`) and written
 * atomically.
 *
 * Racy entries: a file can change again within the same mtime tick without its stat changing.
 * As in git's "racy clean" rule, an entry is trusted only when the file's mtime was at least
 * `racyWindowMs` older than the moment its stat was taken for hashing; otherwise the file is
 * hashed again next time (and that newer entry will usually be trusted).
 */
import type { BigIntStats } from "node:fs";
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "@mlci/common";

export const HASH_CACHE_VERSION = 1;
/** Covers the coarsest common mtime granularity (FAT's 2 s); ext4 and friends are far finer. */
export const DEFAULT_RACY_WINDOW_MS = 2000;

type Entry = [size: string, mtimeNs: string, ino: string, statAtNs: string, md5: string];

export interface HashCacheOptions {
  racyWindowMs?: number;
  /** Wall clock in ns (injectable for tests). */
  nowNs?: () => bigint;
}

export type HashAlgo = "md5" | "md5-dos2unix";

export class HashCache {
  private dirty = false;
  private readonly racyNs: bigint;
  readonly nowNs: () => bigint;

  private constructor(
    readonly file: string | null,
    private readonly entries: Map<string, Entry>,
    options: HashCacheOptions,
  ) {
    this.racyNs = BigInt(options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS) * 1_000_000n;
    this.nowNs = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
  }

  /** A cache kept only in memory. */
  static memory(options: HashCacheOptions = {}): HashCache {
    return new HashCache(null, new Map(), options);
  }

  /** Load the cache file; a missing or unreadable file starts an empty cache. */
  static async load(file: string, options: HashCacheOptions = {}): Promise<HashCache> {
    const entries = new Map<string, Entry>();
    try {
      const data = JSON.parse(await readFile(file, "utf8")) as { version?: number; entries?: unknown };
      if (data.version === HASH_CACHE_VERSION && data.entries && typeof data.entries === "object") {
        for (const [k, v] of Object.entries(data.entries as Record<string, unknown>)) {
          if (Array.isArray(v) && v.length === 5 && v.every((x) => typeof x === "string")) {
            entries.set(k, v as Entry);
          }
        }
      }
    } catch {
      // absent or corrupt: start empty, it is only a cache
    }
    return new HashCache(file, entries, options);
  }

  private static key(path: string, algo: HashAlgo): string {
    return `${algo}:${path}`;
  }

  /** The cached MD5 for this path if its stat still matches and the entry is not racy. */
  get(path: string, st: BigIntStats, algo: HashAlgo): string | undefined {
    const e = this.entries.get(HashCache.key(path, algo));
    if (!e) return undefined;
    const [size, mtime, ino, statAt, md5] = e;
    if (size !== String(st.size) || mtime !== String(st.mtimeNs) || ino !== String(st.ino)) return undefined;
    if (BigInt(mtime) + this.racyNs > BigInt(statAt)) return undefined;
    return md5;
  }

  /** Record a hash computed from the content seen with stat `st`, taken at `statAtNs`. */
  set(path: string, st: BigIntStats, algo: HashAlgo, md5: string, statAtNs: bigint): void {
    this.entries.set(HashCache.key(path, algo), [
      String(st.size),
      String(st.mtimeNs),
      String(st.ino),
      String(statAtNs),
      md5,
    ]);
    this.dirty = true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Write the cache file if anything changed. */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const entries: Record<string, Entry> = {};
    for (const [k, v] of this.entries) entries[k] = v;
    await writeFileAtomic(this.file, `${JSON.stringify({ version: HASH_CACHE_VERSION, entries })}\n`);
    this.dirty = false;
  }
}
