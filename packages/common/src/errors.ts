/**
 * The few error types mlci raises on purpose. Each carries a code and a message written for
 * the user; only entry points (the CLI and each action's main) catch them and pick the exit code.
 */
export type ErrorCode =
  | "INPUT" // a bad argument, input or flag
  | "CONFIG" // a config, policy, schema or pipeline file that does not parse or validate
  | "NOT_FOUND" // a file, revision, metric or resource that is not there
  | "GIT" // git refused or failed
  | "API" // the GitHub API answered with an error we cannot recover from
  | "DATA" // data that breaks a check we were asked to enforce
  | "IO" // a file or folder that cannot be written or read (permissions, a full disk, ...)
  | "FAILED"; // a gate, stage or check that ran and failed

/** Where in a file a problem lies. Lines are 1-based. */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted key path inside the file, e.g. `stages.train.deps[0]`. */
  key?: string;
}

export class MlciError extends Error {
  readonly code: ErrorCode;
  readonly location: Location | undefined;
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: Location; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MlciError";
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** A file, key or value that is not what we expected. */
export function configError(message: string, location: Location, hint?: string): MlciError {
  return new MlciError("CONFIG", message, hint === undefined ? { location } : { location, hint });
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return "";
  let out = loc.file ?? "";
  if (loc.line !== undefined) out += `${out ? ":" : "line "}${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) out += `:${loc.column}`;
  if (loc.key) out += `${out ? " " : ""}(key \`${loc.key}\`)`;
  return out;
}

const FS_REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  EEXIST: "it already exists",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EMFILE: "too many open files",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EBUSY: "it is busy",
  EIO: "an input/output error",
};

const FS_ACTIONS: Record<string, string> = {
  open: "cannot open",
  read: "cannot read",
  write: "cannot write",
  mkdir: "cannot create the folder",
  rename: "cannot rename to",
  rmdir: "cannot remove",
  unlink: "cannot remove",
  scandir: "cannot list",
  stat: "cannot read",
  lstat: "cannot read",
  copyfile: "cannot copy",
  symlink: "cannot link",
};

/**
 * A file-system error Node raised for a path (`EACCES`, `ENOSPC`, ...): the machine or the path the
 * user gave, not a bug. Written as `cannot write <path>: permission denied (EACCES)`.
 */
function fileSystemProblem(err: unknown): string | undefined {
  const f = fileSystemError(err);
  if (!f) return undefined;
  const action = FS_ACTIONS[f.syscall] ?? `${f.syscall} failed on`;
  return `${action} ${f.target}: ${f.reason} (${f.code})`;
}

export interface FileSystemError {
  code: string;
  reason: string;
  syscall: string;
  path: string;
  /** The path the operation was for (a rename's destination). */
  target: string;
}

/** The parts of a file-system error Node raised for a path, or undefined for any other error. */
export function fileSystemError(err: unknown): FileSystemError | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException & { dest?: unknown };
  if (typeof e.code !== "string" || typeof e.syscall !== "string" || typeof e.path !== "string")
    return undefined;
  const reason = FS_REASONS[e.code];
  if (!reason) return undefined;
  const target = e.syscall === "rename" && typeof e.dest === "string" ? e.dest : e.path;
  return { code: e.code, reason, syscall: e.syscall, path: e.path, target };
}

/** One line (or a few) for a person: no stack for our own errors, a bug-report hint otherwise. */
export function formatError(err: unknown): string {
  if (err instanceof MlciError) {
    const where = formatLocation(err.location);
    let out = where ? `${where}: ${err.message}` : err.message;
    if (err.hint) out += `\n  hint: ${err.hint}`;
    return out;
  }
  const fs = fileSystemProblem(err);
  if (fs) return fs;
  const e = err instanceof Error ? err : new Error(String(err));
  return `unexpected error: ${e.message}\nThis is a bug in mlci. Please report it with the output above and this stack:\n${e.stack ?? ""}`;
}

/** Exit codes shared by the CLI and the actions. Documented in docs/cli.md. */
export const ExitCode = {
  OK: 0,
  /** A gate, check or stage ran and failed. */
  FAILED: 1,
  /** Bad usage, input or configuration. */
  USAGE: 2,
  /** Something we could not reach or read: git, the API, a file. */
  ENVIRONMENT: 3,
  /** A bug. */
  INTERNAL: 70,
  /** Cancelled by SIGINT, SIGTERM or SIGHUP (a run of stages stops them first). */
  CANCELLED: 130,
} as const;

export function exitCodeFor(err: unknown): number {
  if (!(err instanceof MlciError)) return fileSystemError(err) ? ExitCode.ENVIRONMENT : ExitCode.INTERNAL;
  switch (err.code) {
    case "FAILED":
    case "DATA":
      return ExitCode.FAILED;
    case "INPUT":
    case "CONFIG":
      return ExitCode.USAGE;
    default:
      return ExitCode.ENVIRONMENT;
  }
}
