import type { GitHubClient } from "@mlci/github";
import { statusOf, toApiError } from "@mlci/github";

/**
 * The labels of the pull requests a commit came from (GET /commits/{sha}/pulls), for
 * `release:minor`-style bumps. A merge commit lists the PR it merged; labels of every listed PR
 * count, so a squash-merge and a merge commit behave the same. A token that may not read pull
 * requests gives no labels (the bump falls back to patch) rather than failing the registration.
 */
export async function labelsForCommit(
  octokit: GitHubClient,
  o: { owner: string; repo: string; sha: string },
  log?: { warning(m: string): void },
): Promise<{ labels: string[]; pulls: number[] }> {
  try {
    const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: o.owner,
      repo: o.repo,
      commit_sha: o.sha,
      per_page: 100,
    });
    const merged = pulls.data.filter((p) => p.merge_commit_sha === o.sha || p.merged_at);
    const chosen = merged.length ? merged : pulls.data;
    const labels = chosen.flatMap((p) => p.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))));
    return { labels: labels.filter(Boolean), pulls: chosen.map((p) => p.number) };
  } catch (err) {
    const status = statusOf(err);
    if (status === 403 || status === 404) {
      log?.warning(
        `could not read the pull requests of ${o.sha.slice(0, 7)} (${status}); using the default bump (patch)`,
      );
      return { labels: [], pulls: [] };
    }
    throw toApiError(err, `list the pull requests of commit ${o.sha.slice(0, 7)}`);
  }
}
