/**
 * Where the train action keeps the DVC cache between runs. In GitHub Actions that is GitHub's
 * cache service (`@actions/cache`, wrapped in the action's entry point); the interface keeps the
 * use case free of it, so tests (and other CI systems) can pass their own.
 *
 * The semantics follow `@actions/cache`: paths are relative to the workspace (absolute when
 * outside it, as the library refuses `..`); `restore` tries the primary key exactly, then each
 * restore key as a prefix (the newest entry wins) and returns the key it restored, or undefined;
 * entries are immutable (saving an existing key fails); an entry saved for other paths never
 * matches.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ensureDirSync } from "@mlci/common";

export interface CacheService {
  /** Why the service cannot be used here, or undefined when it can. */
  unavailable(): string | undefined;
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

interface EntryMeta {
  key: string;
  paths: string[];
  createdAt: number;
}

const entryName = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 32);

/**
 * A cache service backed by a local directory, with `@actions/cache`'s semantics. The train
 * action uses it only when the test-only variable `MLCI_TEST_CACHE_DIR` is set (the end-to-end
 * tests have no GitHub cache service); restoring merges into what exists and skips files that
 * are already there (cache objects are content-addressed).
 */
export function directoryCacheService(dir: string, workspace: string): CacheService {
  const version = (paths: string[]) => JSON.stringify(paths);
  async function entries(): Promise<Array<EntryMeta & { dir: string }>> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const out: Array<EntryMeta & { dir: string }> = [];
    for (const n of names) {
      const meta = await readFile(join(dir, n, "meta.json"), "utf8").catch(() => null);
      if (meta) out.push({ ...(JSON.parse(meta) as EntryMeta), dir: join(dir, n) });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }
  return {
    unavailable: () => undefined,
    async restore(paths, primaryKey, restoreKeys) {
      const all = (await entries()).filter((e) => version(e.paths) === version(paths));
      const hit =
        all.find((e) => e.key === primaryKey) ??
        restoreKeys.map((k) => all.find((e) => e.key.startsWith(k))).find((e) => e !== undefined);
      if (!hit) return undefined;
      for (const [i, p] of paths.entries()) {
        const src = join(hit.dir, "files", String(i));
        if (existsSync(src)) await cp(src, resolve(workspace, p), { recursive: true, force: false });
      }
      return hit.key;
    },
    async save(paths, key) {
      const dest = join(dir, entryName(key));
      if (existsSync(dest)) {
        throw new Error(`Unable to reserve cache with key ${key}, another job may be creating this cache.`);
      }
      const tmp = join(dir, `.tmp-${randomBytes(6).toString("hex")}`);
      ensureDirSync(join(tmp, "files"));
      try {
        for (const [i, p] of paths.entries()) {
          const src = resolve(workspace, p);
          if (existsSync(src)) await cp(src, join(tmp, "files", String(i)), { recursive: true });
        }
        const meta: EntryMeta = { key, paths, createdAt: Date.now() };
        await writeFile(join(tmp, "meta.json"), JSON.stringify(meta));
        await rename(tmp, dest);
      } catch (err) {
        await rm(tmp, { recursive: true, force: true });
        throw err;
      }
    },
  };
}
