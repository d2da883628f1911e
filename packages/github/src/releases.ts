import type { GitHubClient } from "./client";
import { isNotFound, isRequestError, statusOf, toApiError } from "./errors";
import type { RepoRef } from "./refs";

export interface ReleaseInfo {
  id: number;
  /** The release page. */
  url: string;
  tagName: string;
}

export interface CreateReleaseOptions extends RepoRef {
  /** An existing tag (create the tag first: a release for a missing tag makes a lightweight one). */
  tagName: string;
  name: string;
  /** Markdown; GitHub accepts up to 125,000 characters. */
  body: string;
  prerelease?: boolean;
}

export interface CreateReleaseResult extends ReleaseInfo {
  /** false when a release for the tag existed already (another run, or our own retried request). */
  created: boolean;
}

/** The longest release body GitHub accepts. */
export const RELEASE_BODY_LIMIT = 125_000;

function alreadyExists(err: unknown): boolean {
  if (statusOf(err) !== 422 || !isRequestError(err)) return false;
  const errors = (err.response?.data as { errors?: Array<{ code?: string }> } | undefined)?.errors;
  return Array.isArray(errors) && errors.some((e) => e?.code === "already_exists");
}

/** The published release of a tag, or undefined when it has none. */
export async function findReleaseByTag(
  octokit: GitHubClient,
  o: RepoRef & { tagName: string },
): Promise<ReleaseInfo | undefined> {
  try {
    const res = await octokit.rest.repos.getReleaseByTag({ owner: o.owner, repo: o.repo, tag: o.tagName });
    return { id: res.data.id, url: res.data.html_url, tagName: res.data.tag_name };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toApiError(err, `read the release of ${o.tagName}`);
  }
}

/**
 * Creates a release for a tag. When the tag has one already (a concurrent run, or a create that
 * GitHub stored but answered 5xx before the retry), that release comes back with `created: false`:
 * a tag never gets two releases from us.
 */
export async function createRelease(
  octokit: GitHubClient,
  o: CreateReleaseOptions,
): Promise<CreateReleaseResult> {
  try {
    const res = await octokit.rest.repos.createRelease({
      owner: o.owner,
      repo: o.repo,
      tag_name: o.tagName,
      name: o.name,
      body: o.body,
      prerelease: o.prerelease ?? false,
    });
    return { created: true, id: res.data.id, url: res.data.html_url, tagName: res.data.tag_name };
  } catch (err) {
    if (alreadyExists(err)) {
      const existing = await findReleaseByTag(octokit, o);
      if (existing) return { ...existing, created: false };
    }
    throw toApiError(err, `create the release for ${o.tagName}`);
  }
}
