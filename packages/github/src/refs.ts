import { MlciError } from "@mlci/common";
import type { GitHubClient } from "./client";
import { isNotFound, statusOf, toApiError } from "./errors";

/**
 * Refs as a lock: GitHub creates a ref atomically, so of two runs creating the same tag exactly
 * one succeeds. This thin layer says which, even when our own first try was stored but answered
 * 5xx and the retry met "Reference already exists". The registry builds tags on top of it.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface CreateRefOptions extends RepoRef {
  /** Fully qualified: `refs/tags/model@v1.0.0`, `refs/heads/mlci/update`. */
  ref: string;
  sha: string;
}

export interface CreateRefResult {
  /** True when this call (or its retried first try) made the ref, which points at `sha`. */
  created: boolean;
  /** Where the ref points now. */
  sha: string;
}

function alreadyExists(err: unknown): boolean {
  return statusOf(err) === 422 && /Reference already exists/i.test(String((err as Error).message));
}

/** `refs/tags/x` -> `tags/x`: the form the ref endpoints take in their path. */
function shortRef(ref: string): string {
  return ref.replace(/^refs\//, "");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A failure after which the create may have been stored: a 5xx, or no answer at all. */
function maybeStored(err: unknown): boolean {
  const status = statusOf(err);
  return status === undefined ? err instanceof Error && !(err instanceof MlciError) : status >= 500;
}

/**
 * Creates a ref; when the name is taken, says where it points and whether that is our doing.
 * Retries are made here rather than by the client, so "the ref points at our object" counts as
 * ours only after one of our tries may have been stored: a run whose tag object is identical to
 * another run's (same name, message, date and commit) is told it did not create the ref.
 */
export async function createRef(
  octokit: GitHubClient,
  o: CreateRefOptions & { retryDelayMs?: number },
): Promise<CreateRefResult> {
  let stored = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await octokit.rest.git.createRef({
        owner: o.owner,
        repo: o.repo,
        ref: o.ref,
        sha: o.sha,
        request: { retries: 0 },
      });
      return { created: true, sha: res.data.object.sha };
    } catch (err) {
      if (maybeStored(err) && attempt < 3) {
        stored = true;
        await sleep((o.retryDelayMs ?? 500) * attempt);
        continue;
      }
      if (!alreadyExists(err)) throw toApiError(err, `create ${o.ref}`);
      try {
        const existing = await octokit.rest.git.getRef({
          owner: o.owner,
          repo: o.repo,
          ref: shortRef(o.ref),
        });
        const sha = existing.data.object.sha;
        return { created: stored && sha === o.sha, sha };
      } catch (readErr) {
        throw toApiError(readErr, `read ${o.ref}`);
      }
    }
  }
}

/** Deletes a ref; false when it was not there. */
export async function deleteRef(octokit: GitHubClient, o: RepoRef & { ref: string }): Promise<boolean> {
  try {
    await octokit.rest.git.deleteRef({ owner: o.owner, repo: o.repo, ref: shortRef(o.ref) });
    return true;
  } catch (err) {
    if (statusOf(err) === 422 || isNotFound(err)) return false;
    throw toApiError(err, `delete ${o.ref}`);
  }
}

export interface MatchingRef {
  ref: string;
  /** The object the ref points at: a tag object for annotated tags. */
  sha: string;
  /** `tag` (annotated), `commit` (lightweight), ... */
  type: string;
}

/** The refs under a prefix such as `tags/model@` (all pages). */
export async function listMatchingRefs(
  octokit: GitHubClient,
  o: RepoRef & { prefix: string },
): Promise<MatchingRef[]> {
  try {
    const refs = await octokit.paginate(octokit.rest.git.listMatchingRefs, {
      owner: o.owner,
      repo: o.repo,
      ref: shortRef(o.prefix),
    });
    return refs.map((r) => ({ ref: r.ref, sha: r.object.sha, type: r.object.type }));
  } catch (err) {
    throw toApiError(err, `list refs under ${o.prefix}`);
  }
}

export interface Tagger {
  name: string;
  email: string;
  /** ISO 8601 (`2026-03-01T12:00:00Z`); GitHub keeps whole seconds. */
  date: string;
}

export interface TagObject {
  sha: string;
  tag: string;
  message: string;
  tagger: Tagger;
  /** What the tag points at (a commit, or another tag object for a tag of a tag). */
  object: { sha: string; type: string };
}

export interface CreateTagObjectOptions extends RepoRef {
  tag: string;
  message: string;
  /** The commit to tag. */
  commit: string;
  tagger: Tagger;
}

/**
 * Creates an annotated tag object (POST /git/tags). It is not a tag until a ref points at it
 * (`createRef`); an object left unreferenced after a lost race is harmless. A retried create
 * with the same content gives the same object.
 */
export async function createTagObject(octokit: GitHubClient, o: CreateTagObjectOptions): Promise<TagObject> {
  try {
    const res = await octokit.rest.git.createTag({
      owner: o.owner,
      repo: o.repo,
      tag: o.tag,
      message: o.message,
      object: o.commit,
      type: "commit",
      tagger: o.tagger,
    });
    return tagObjectOf(res.data);
  } catch (err) {
    throw toApiError(err, `create the tag object for ${o.tag}`);
  }
}

/** Reads an annotated tag object (GET /git/tags/{sha}). */
export async function getTagObject(octokit: GitHubClient, o: RepoRef & { sha: string }): Promise<TagObject> {
  try {
    const res = await octokit.rest.git.getTag({ owner: o.owner, repo: o.repo, tag_sha: o.sha });
    return tagObjectOf(res.data);
  } catch (err) {
    throw toApiError(err, `read tag object ${o.sha}`);
  }
}

function tagObjectOf(d: {
  sha: string;
  tag: string;
  message: string;
  tagger: { name: string; email: string; date: string };
  object: { sha: string; type: string };
}): TagObject {
  return {
    sha: d.sha,
    tag: d.tag,
    message: d.message,
    tagger: { name: d.tagger.name, email: d.tagger.email, date: d.tagger.date },
    object: { sha: d.object.sha, type: d.object.type },
  };
}
