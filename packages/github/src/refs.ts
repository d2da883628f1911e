import type { GitHubClient } from "./client";
import { statusOf, toApiError } from "./errors";

/**
 * Refs as a lock: GitHub creates a ref atomically, so of two runs creating the same tag exactly
 * one succeeds. This thin layer says which, even when our own first try was stored but answered
 * 5xx and the retry met "Reference already exists". The registry builds tags on top of it.
 */

export interface CreateRefOptions {
  owner: string;
  repo: string;
  /** Fully qualified: `refs/tags/model@v1.0.0`, `refs/heads/mlci/update`. */
  ref: string;
  sha: string;
}

export interface CreateRefResult {
  /** True when the ref now points at `sha` (this call or its retried first try made it). */
  created: boolean;
  /** Where the ref points now. */
  sha: string;
}

function alreadyExists(err: unknown): boolean {
  return statusOf(err) === 422 && /Reference already exists/i.test(String((err as Error).message));
}

export async function createRef(octokit: GitHubClient, o: CreateRefOptions): Promise<CreateRefResult> {
  try {
    const res = await octokit.rest.git.createRef({ owner: o.owner, repo: o.repo, ref: o.ref, sha: o.sha });
    return { created: true, sha: res.data.object.sha };
  } catch (err) {
    if (!alreadyExists(err)) throw toApiError(err, `create ${o.ref}`);
    try {
      const existing = await octokit.rest.git.getRef({
        owner: o.owner,
        repo: o.repo,
        ref: o.ref.replace(/^refs\//, ""),
      });
      const sha = existing.data.object.sha;
      return { created: sha === o.sha, sha };
    } catch (readErr) {
      throw toApiError(readErr, `read ${o.ref}`);
    }
  }
}

/** The refs under a prefix such as `tags/model@` (all pages). */
export async function listMatchingRefs(
  octokit: GitHubClient,
  o: { owner: string; repo: string; prefix: string },
): Promise<Array<{ ref: string; sha: string; type: string }>> {
  try {
    const refs = await octokit.paginate(octokit.rest.git.listMatchingRefs, {
      owner: o.owner,
      repo: o.repo,
      ref: o.prefix.replace(/^refs\//, ""),
    });
    return refs.map((r) => ({ ref: r.ref, sha: r.object.sha, type: r.object.type }));
  } catch (err) {
    throw toApiError(err, `list refs under ${o.prefix}`);
  }
}
