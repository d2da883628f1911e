import { readFile, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { loadDvcConfig } from "@mlci/pipeline";
import { parseJsonLenient, parseStructured } from "./parse-values";
import { type FileSource, normalizePath } from "./source";
import type { ValuesFile } from "./types";

/** An output that DVC recorded with its hash, from `dvc.lock` or a `.dvc` file. */
export interface DvcOutput {
  /** Repo-relative path. */
  path: string;
  md5: string;
  /** true for entries without `hash: md5` (DVC 2.x), which live at the cache's top level. */
  legacy: boolean;
  /** The lock or .dvc file that records it. */
  recordedIn: string;
}

export type Problem = NonNullable<ValuesFile["problem"]>;

/** A source that also sees DVC-cached outputs, and can say why a file is not there. */
export interface DvcAwareSource extends FileSource {
  explainMissing(path: string): Promise<Problem>;
}

/** Where a cached object lives: `files/md5/ab/cdef…` for DVC 3, `ab/cdef…` for legacy entries. */
export function cacheObjectPath(cacheDir: string, md5: string, legacy: boolean): string {
  const rel = `${md5.slice(0, 2)}/${md5.slice(2)}`;
  return legacy ? join(cacheDir, rel) : join(cacheDir, "files", "md5", rel);
}

/**
 * The local cache folder of the DVC project in `workTree`: `cache.dir` from `.dvc/config.local`,
 * else `.dvc/config` (relative paths are relative to `.dvc/`), else `.dvc/cache`, as the pipeline
 * reads it. A config that does not parse gives the default: reading metrics never fails on it.
 */
export async function findDvcCacheDir(workTree: string): Promise<string> {
  const config = await loadDvcConfig(workTree).catch(() => null);
  return config?.cacheDir ?? join(workTree, ".dvc", "cache");
}

/** Finds the local cache folder for the outputs recorded in one lock or .dvc file. */
export type CacheDirResolver = (recordedIn: string) => Promise<string | undefined>;

/**
 * The cache of the DVC project that a lock or .dvc file (repo-relative) belongs to: the nearest
 * folder above it, up to the work tree's root, that holds `.dvc/`. So a project made with
 * `dvc init --subdir` in `proj/` reads `proj/.dvc/cache`, and one at the root `.dvc/cache`.
 * Without any `.dvc/` the root's default is used (it reports the objects as missing).
 */
export function projectCacheResolver(workTree: string): CacheDirResolver {
  const byDir = new Map<string, Promise<string>>();
  const cacheOf = (dir: string): Promise<string> => {
    let found = byDir.get(dir);
    if (!found) {
      found = (async () => {
        const isProject = await stat(join(workTree, dir, ".dvc"))
          .then((st) => st.isDirectory())
          .catch(() => false);
        if (isProject || dir === "") return findDvcCacheDir(join(workTree, dir));
        const parent = posix.dirname(dir);
        return cacheOf(parent === "." ? "" : parent);
      })();
      byDir.set(dir, found);
    }
    return found;
  };
  return (recordedIn) => {
    const dir = posix.dirname(normalizePath(recordedIn));
    return cacheOf(dir === "." ? "" : dir);
  };
}

/** Every output recorded in the revision's dvc.lock files and .dvc files. */
export async function recordedOutputs(source: FileSource): Promise<DvcOutput[]> {
  const files = await source.listFiles();
  const out: DvcOutput[] = [];
  for (const lock of files.filter((f) => f === "dvc.lock" || f.endsWith("/dvc.lock"))) {
    const dir = posix.dirname(lock) === "." ? "" : posix.dirname(lock);
    const doc = await readYaml(source, lock);
    const wdirs = stageWdirs(await readYaml(source, posix.join(dir, "dvc.yaml")));
    const stages = record(record(doc).stages);
    for (const [name, stage] of Object.entries(stages)) {
      const wdir = posix.join(dir, wdirs[name.split("@")[0] ?? name] ?? "");
      for (const o of list(record(stage).outs)) pushOutput(out, o, wdir, lock);
    }
  }
  for (const file of files.filter((f) => f.endsWith(".dvc") && !f.startsWith(".dvc/"))) {
    const doc = record(await readYaml(source, file));
    const dir = posix.join(posix.dirname(file), typeof doc.wdir === "string" ? doc.wdir : "");
    for (const o of list(doc.outs)) pushOutput(out, o, dir, file);
  }
  return out;
}

function pushOutput(out: DvcOutput[], o: unknown, base: string, recordedIn: string): void {
  const entry = record(o);
  if (typeof entry.path !== "string" || typeof entry.md5 !== "string") return;
  const path = normalizePath(posix.join(base, entry.path));
  out.push({ path, md5: entry.md5, legacy: entry.hash !== "md5", recordedIn });
}

function stageWdirs(doc: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, stage] of Object.entries(record(record(doc).stages))) {
    const wdir = record(stage).wdir;
    if (typeof wdir === "string" && !wdir.includes("${")) out[name] = wdir;
  }
  return out;
}

/**
 * Wraps a source so that outputs DVC caches instead of committing read from the local cache by
 * the md5 their lock records at that revision. Files in the source itself always win. `cache` is
 * one folder for every output, or a resolver that picks it by the file that records the output.
 */
export function withDvcCache(
  source: FileSource,
  cache: string | CacheDirResolver | undefined,
): DvcAwareSource {
  const cacheFor = async (o: DvcOutput): Promise<string | undefined> =>
    typeof cache === "function" ? cache(o.recordedIn) : cache;
  let outputs: Promise<DvcOutput[]> | undefined;
  let listing: Promise<string[]> | undefined;
  const recorded = () => {
    outputs ??= recordedOutputs(source);
    return outputs;
  };
  const manifest = async (o: DvcOutput): Promise<Array<{ md5: string; relpath: string }> | null> => {
    const cacheDir = await cacheFor(o);
    if (!cacheDir || !o.md5.endsWith(".dir")) return null;
    const bytes = await readObject(cacheDir, o.md5, o.legacy);
    if (!bytes) return null;
    try {
      const entries = parseJsonLenient(bytes.toString("utf8"));
      return list(entries)
        .map(record)
        .filter((e) => typeof e.md5 === "string" && typeof e.relpath === "string")
        .map((e) => ({ md5: e.md5 as string, relpath: normalizePath(e.relpath as string) }));
    } catch {
      return null;
    }
  };
  /** The output holding `path`: the file itself, or a cached folder it lies in. */
  const owner = async (path: string) => {
    for (const o of await recorded()) {
      if (o.path === path && !o.md5.endsWith(".dir")) return { output: o, md5: o.md5, inside: undefined };
      if (o.md5.endsWith(".dir") && path.startsWith(`${o.path}/`)) {
        const rel = path.slice(o.path.length + 1);
        const entries = await manifest(o);
        // A folder whose listing we have, and which does not hold the file: not ours.
        if (entries && !entries.some((e) => e.relpath === rel)) return undefined;
        return { output: o, md5: entries?.find((e) => e.relpath === rel)?.md5, inside: rel };
      }
    }
    return undefined;
  };
  return {
    label: source.label,
    ...(source.workTree === undefined ? {} : { workTree: source.workTree }),
    async readFile(path) {
      const own = await source.readFile(path);
      if (own || !cache) return own;
      const found = await owner(normalizePath(path));
      const cacheDir = found?.md5 ? await cacheFor(found.output) : undefined;
      if (!found?.md5 || !cacheDir) return null;
      return readObject(cacheDir, found.md5, found.output.legacy);
    },
    listFiles() {
      listing ??= (async () => {
        const files = new Set(await source.listFiles());
        for (const o of await recorded()) {
          if (!o.md5.endsWith(".dir")) files.add(o.path);
          else for (const e of (await manifest(o)) ?? []) files.add(`${o.path}/${e.relpath}`);
        }
        return [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      })();
      return listing;
    },
    async explainMissing(path) {
      const found = await owner(normalizePath(path));
      if (!found) return { kind: "missing", message: `not found at ${source.label}` };
      const { output } = found;
      const what =
        found.inside === undefined ? `md5 ${output.md5}` : `in folder ${output.path}, md5 ${output.md5}`;
      return {
        kind: "not-in-cache",
        message: `DVC-cached (${what}, recorded in ${output.recordedIn}) and not in the local cache; run \`dvc pull\` or restore the cache`,
      };
    },
  };
}

/** Reads a cache object where its lock entry says, then where the other DVC layout would keep it. */
async function readObject(cacheDir: string, md5: string, legacy: boolean): Promise<Buffer | null> {
  for (const l of [legacy, !legacy]) {
    const bytes = await readFile(cacheObjectPath(cacheDir, md5, l)).catch(() => null);
    if (bytes) return bytes;
  }
  return null;
}

async function readYaml(source: FileSource, path: string): Promise<unknown> {
  const bytes = await source.readFile(path);
  if (!bytes) return undefined;
  try {
    return parseStructured(bytes.toString("utf8"), "yaml");
  } catch {
    return undefined;
  }
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
