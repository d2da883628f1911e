import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Git } from "@mlci/git";

/** Read-only view of a repository's files: the working tree or one git revision. */
export interface FileSource {
  /** Bytes of a file (path relative to the repository root, `/`-separated), or null when absent. */
  readFile(path: string): Promise<Buffer | null>;
  /** Every file, relative to the repository root. */
  listFiles(): Promise<string[]>;
}

/** The files of `rev` (a commit, branch or tag), read through git without a checkout. */
export function gitRevisionSource(git: Git, rev: string): FileSource {
  return {
    readFile: (path) => git.showFile(rev, path),
    listFiles: () => git.listFiles(rev),
  };
}

/**
 * The working tree: tracked files plus untracked ones git does not ignore, read from disk (so
 * edits not yet committed count). Paths are relative to the repository root.
 */
export async function workingTreeSource(git: Git): Promise<FileSource> {
  const root = new Git(await git.topLevel());
  return {
    async readFile(path) {
      try {
        return await readFile(join(root.cwd, path));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return null;
        throw err;
      }
    },
    async listFiles() {
      const out = await root.run(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
      return [...new Set(out.split("\0").filter(Boolean))];
    },
  };
}

/** An in-memory source, for tests and for callers that already hold the files. */
export function memorySource(files: Record<string, string | Buffer>): FileSource {
  const map = new Map(Object.entries(files));
  return {
    readFile: async (path) => {
      const v = map.get(path);
      return v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v);
    },
    listFiles: async () => [...map.keys()],
  };
}
