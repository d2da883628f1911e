import { randomBytes } from "node:crypto";
import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileSystemError, MlciError } from "./errors";

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${path}'`);
  err.code = code;
  err.syscall = syscall;
  err.path = path;
  return err;
}

function statOrNull(path: string, stat: (p: string) => Stats): Stats | null {
  try {
    return stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * Creates `dir` and the folders above it that are missing. Not `mkdirSync(dir, { recursive: true })`:
 * where the file system answers ENOENT for a child of a folder that exists (procfs: `/proc/x/y`),
 * Node's recursive mkdir retries for ever at full CPU. Here each folder is created once, and a
 * refusal is an error that names it.
 */
export function ensureDirSync(dir: string): void {
  const st = statOrNull(dir, statSync);
  if (st?.isDirectory()) return;
  if (st) throw errnoError("ENOTDIR", "mkdir", dir);
  const parent = dirname(dir);
  if (parent !== dir) ensureDirSync(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST" && statOrNull(dir, statSync)?.isDirectory()) return;
    throw err;
  }
}

interface Target {
  /** Where the bytes go: the path, or the file its symbolic link(s) point to. */
  path: string;
  /** A device, pipe or socket (`/dev/stdout`): written in place, there is nothing to rename over. */
  special: boolean;
  /** Permission bits of the file replaced, kept on the new one. */
  mode?: number;
}

function targetOf(path: string): Target {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const st = statOrNull(current, statSync);
    if (st?.isDirectory()) throw errnoError("EISDIR", "open", path);
    if (st?.isFile()) return { path: realpathSync(current), special: false, mode: st.mode & 0o7777 };
    if (st) return { path: current, special: true };
    // Not there, or a symbolic link to something not there (yet): write what the link names.
    const link = statOrNull(current, lstatSync);
    if (!link?.isSymbolicLink()) return { path: current, special: false };
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw errnoError("ELOOP", "open", path);
}

/** The error for a write that failed: our own as it is, a file-system refusal named by `path`. */
function writeError(path: string, err: unknown): unknown {
  const f = err instanceof MlciError ? undefined : fileSystemError(err);
  if (!f) return err;
  // The folder that could not be created, when it is not the file itself (a temp file is not named).
  const detail = f.syscall === "mkdir" && f.path !== path ? `, creating the folder ${f.path}` : "";
  return new MlciError("IO", `cannot write ${path}: ${f.reason} (${f.code}${detail})`, { cause: err });
}

/** Where a write of `path` goes, with the folder that will hold it created; refusals name `path`. */
function prepareWrite<T>(path: string, write: (target: Target) => T): T {
  try {
    const target = targetOf(path);
    if (!target.special) ensureDirSync(dirname(target.path));
    return write(target);
  } catch (err) {
    throw writeError(path, err);
  }
}

/**
 * Writes a file so that readers see the old content or the new, never a part: a temp file beside
 * it, then a rename. A symbolic link stays a link (its target is replaced), the permission bits of
 * the file replaced are kept, and a device or pipe (`-o /dev/stdout`) is written in place. Missing
 * folders are created. A refusal (permission, read-only file system, full disk, a folder where the
 * file should be) is an MlciError("IO") that names `path`; nothing is left behind.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  prepareWrite(path, (target) => {
    if (target.special) {
      writeFileSync(target.path, data);
      return;
    }
    const tmp = tempPathFor(target.path);
    try {
      writeFileSync(tmp, data, target.mode === undefined ? {} : { mode: target.mode });
      renameSync(tmp, target.path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  });
}

/**
 * Checks, before long work, that `writeFileAtomicSync(path, ...)` will be able to write there: the
 * folders are created and the one that will hold the file must be writable. Throws the same
 * MlciError("IO") the write would.
 */
export function checkWritable(path: string): void {
  prepareWrite(path, (target) =>
    accessSync(target.special ? target.path : dirname(target.path), constants.W_OK),
  );
}

/**
 * The same as `writeFileAtomicSync`, for async callers. The files written this way are small
 * (locks, records, profiles, reports), so one implementation serves both.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  writeFileAtomicSync(path, data);
}
