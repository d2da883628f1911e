import { MlciError } from "@mlci/common";
import type { Git, TagInfo } from "@mlci/git";

export interface Tagger {
  name: string;
  email: string;
}

/** How local use cases write tags. Every field is optional. */
export interface WriteOptions {
  /** A custom tag message instead of GTO's default. */
  message?: string;
  /** Push the new tag(s) to `remote`. */
  push?: boolean;
  /** Default `origin`. */
  remote?: string;
  /** Tagger identity (GIT_COMMITTER_NAME/EMAIL); default: git's configuration. */
  tagger?: Tagger;
  /** The clock, in seconds since the epoch; tests pass their own. */
  now?: () => number;
}

export interface CreatedTag {
  tag: string;
  commit: string;
  /** The tagger date written, seconds since the epoch. */
  createdAt: number;
  pushed: boolean;
}

/**
 * The tagger date for a new tag: now, or one second after the newest tag of the repository when
 * that is not in the past, so the events mlci writes never tie (tagger dates have 1 s resolution).
 */
export function nextTaggerDate(existing: readonly TagInfo[], now: number): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const t of existing) if (t.taggerDate !== undefined && t.taggerDate > newest) newest = t.taggerDate;
  const current = Math.floor(now);
  return newest >= current ? newest + 1 : current;
}

const defaultNow = () => Date.now() / 1000;

/** The tag exists already: locally (another process was faster) or, with `remote`, on the remote. */
export class TagExistsError extends MlciError {
  readonly tag: string;
  readonly remote: string | undefined;

  constructor(tag: string, remote?: string) {
    super(
      "GIT",
      remote === undefined
        ? `tag "${tag}" exists already`
        : `tag "${tag}" already exists on ${remote}; the local tag was removed`,
      remote === undefined
        ? {}
        : { hint: "someone else created it first: run `git fetch --tags` and try again" },
    );
    this.name = "TagExistsError";
    this.tag = tag;
    this.remote = remote;
  }
}

export interface TagRequest {
  commit: string;
  message: string;
  /** Picks the tag name from the tag names present right now. */
  nameFor: (tagNames: ReadonlySet<string>) => string;
  /**
   * For counter tags (`#N`): when the name appeared in between (another process), ask `nameFor`
   * again with fresh names, a few times. Without it such a race throws `TagExistsError`.
   */
  retryOnConflict?: boolean;
}

/**
 * Creates one annotated tag on `commit` with a strictly increasing tagger date, and pushes it
 * when asked. A push rejected because the remote holds the tag already removes the local tag and
 * throws `TagExistsError`, so a retry after `git fetch --tags` starts clean.
 */
export async function writeTag(
  git: Git,
  request: TagRequest,
  options: WriteOptions = {},
): Promise<CreatedTag> {
  const now = options.now ?? defaultNow;
  for (let attempt = 1; ; attempt++) {
    const existing = await git.listTags();
    const tag = request.nameFor(new Set(existing.map((t) => t.name)));
    await assertValidRefName(git, tag);
    const date = nextTaggerDate(existing, now());
    const env: NodeJS.ProcessEnv = { GIT_COMMITTER_DATE: `${date} +0000` };
    if (options.tagger) {
      env.GIT_COMMITTER_NAME = options.tagger.name;
      env.GIT_COMMITTER_EMAIL = options.tagger.email;
    }
    const res = await git.tryRun(["tag", "-a", tag, "-m", request.message, request.commit], { env });
    if (res.code !== 0) {
      if (/already exists/.test(res.stderr)) {
        if (request.retryOnConflict && attempt < 5) continue;
        throw new TagExistsError(tag);
      }
      throw tagError(tag, res.stderr);
    }
    let pushed = false;
    if (options.push) {
      await pushTag(git, options.remote ?? "origin", tag);
      pushed = true;
    }
    return { tag, commit: request.commit, createdAt: date, pushed };
  }
}

async function assertValidRefName(git: Git, tag: string): Promise<void> {
  const res = await git.tryRun(["check-ref-format", `refs/tags/${tag}`]);
  if (res.code !== 0) throw new MlciError("INPUT", `"${tag}" is not a valid git tag name`);
}

function tagError(tag: string, stderr: string): MlciError {
  const detail = stderr.trim();
  if (/tell me who you are|empty ident|unable to auto-detect email/i.test(detail)) {
    return new MlciError("GIT", `git cannot create tag "${tag}": no tagger identity`, {
      hint: 'set git config user.name and user.email, or pass a tagger ("--tagger")',
    });
  }
  return new MlciError("GIT", `git could not create tag "${tag}": ${detail || "unknown error"}`);
}

/** `git push <remote> refs/tags/<tag>`; a rejection because the tag exists there is a clear error. */
export async function pushTag(git: Git, remote: string, tag: string): Promise<void> {
  const ref = `refs/tags/${tag}`;
  const res = await git.tryRun(["push", "--porcelain", remote, `${ref}:${ref}`]);
  if (res.code === 0) return;
  const out = `${res.stdout.toString("utf8")}\n${res.stderr}`;
  if (/already exists|\[rejected\]|non-fast-forward|fetch first/.test(out)) {
    await git.tryRun(["tag", "-d", tag]);
    throw new TagExistsError(tag, remote);
  }
  throw new MlciError(
    "GIT",
    `git push of tag "${tag}" to ${remote} failed: ${out.trim() || `exit code ${res.code}`}`,
  );
}
