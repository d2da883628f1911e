import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Git } from "./git";

/**
 * Where a snapshot reads files from: the working tree or one git revision. Paths are relative to
 * the repository root with POSIX separators.
 */
export interface FileSource {
  /** Shown in messages: `workspace`, or the ref or short SHA of a revision. */
  label: string;
  /** The bytes of a file, or null when it is not there (or is a directory). */
  readFile(path: string): Promise<Buffer | null>;
  /** Every file, repo-relative POSIX paths, sorted. */
  listFiles(): Promise<string[]>;
  /** The working tree on disk this source belongs to; where the local DVC cache is found. */
  workTree?: string;
}

/**
 * Directories never walked in the working tree: version control, dependencies, DVC's own cache and
 * temp files, Python environments and tool caches. None of them hold metrics, and some are huge.
 */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  ".git",
  "node_modules",
  ".venv",
  "venv",
  "__pycache__",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
]);
const SKIPPED_PATHS: ReadonlySet<string> = new Set([".dvc/cache", ".dvc/tmp"]);

/** Normalises a user or dvc.yaml path to repo-relative POSIX form (`./a//b/../c` -> `a/c`). */
export function normalizePath(path: string): string {
  const p = posix.normalize(path.replaceAll("\\", "/")).replace(/^(\.\/)+/, "");
  return p === "." ? "" : p.replace(/\/$/, "");
}

/** Files of the working tree at `root`, walked on demand and remembered. */
export function workingTreeSource(root: string, label = "workspace"): FileSource {
  let listing: Promise<string[]> | undefined;
  return {
    label,
    workTree: root,
    async readFile(path) {
      const rel = normalizePath(path);
      if (rel === "" || rel.startsWith("../")) return null;
      try {
        return await readFile(join(root, rel));
      } catch {
        return null;
      }
    },
    listFiles() {
      listing ??= walk(root).then((files) => files.sort(byCodePoint));
      return listing;
    },
  };
}

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const pending: string[] = [""];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !SKIPPED_PATHS.has(rel)) pending.push(rel);
      } else if (entry.isFile()) {
        out.push(rel);
      } else if (entry.isSymbolicLink()) {
        // DVC links outputs into its cache (cache.type symlink); follow links to files only,
        // never to directories, so a link cycle cannot trap the walk.
        const info = await stat(join(root, rel)).catch(() => null);
        if (info?.isFile()) out.push(rel);
      }
    }
  }
  return out;
}

/** Files of one commit, read through `git cat-file` and `git ls-tree`; nothing is checked out. */
export function gitRevisionSource(git: Git, sha: string, label = sha.slice(0, 7)): FileSource {
  let listing: Promise<string[]> | undefined;
  return {
    label,
    workTree: git.cwd,
    readFile(path) {
      const rel = normalizePath(path);
      if (rel === "" || rel.startsWith("../")) return Promise.resolve(null);
      return git.showFile(sha, rel);
    },
    listFiles() {
      listing ??= git.listFiles(sha).then((files) => files.sort(byCodePoint));
      return listing;
    },
  };
}

/** A source over files held in memory; for tests and for hosts that already have the bytes. */
export function memorySource(files: Record<string, string | Buffer>, label = "memory"): FileSource {
  const map = new Map(Object.entries(files).map(([p, c]) => [normalizePath(p), Buffer.from(c)]));
  return {
    label,
    readFile: (path) => Promise.resolve(map.get(normalizePath(path)) ?? null),
    listFiles: () => Promise.resolve([...map.keys()].sort(byCodePoint)),
  };
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
