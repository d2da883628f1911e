import { MlciError } from "@mlci/common";
import type { Git } from "@mlci/git";

export interface ResolvedRevisions {
  /** The merge-base of the base branch and head: what the pull request is compared against. */
  base: string;
  /** The head commit. */
  head: string;
  /** The ref the base branch was found as (`origin/main` or `main`). */
  baseRef: string;
  /** The tip of the base branch, which may be ahead of `base`. */
  baseTip: string;
}

const CHECKOUT_HINT =
  "check out with `fetch-depth: 0` (actions/checkout) so the base branch and its history are present, or run `git fetch origin <base>`";

/**
 * The base revision of a pull request: the merge-base of its base branch and head, so that the
 * diff shows what the pull request changed and not what landed on the base branch since. The base
 * branch is looked up as `origin/<base>`, then `<base>` (a SHA or tag works too).
 */
export async function resolveBase(
  git: Git,
  refs: { baseRef: string; headRef?: string },
): Promise<ResolvedRevisions> {
  const headRef = refs.headRef ?? "HEAD";
  const head = await git.revParse(headRef);
  const candidates =
    refs.baseRef.startsWith("origin/") || refs.baseRef.startsWith("refs/")
      ? [refs.baseRef]
      : [`origin/${refs.baseRef}`, refs.baseRef];
  let found: { ref: string; sha: string } | undefined;
  for (const ref of candidates) {
    const res = await git.tryRun(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    if (res.code === 0) {
      found = { ref, sha: res.stdout.toString("utf8").trim() };
      break;
    }
  }
  if (!found) {
    throw new MlciError(
      "NOT_FOUND",
      `base branch "${refs.baseRef}" not found (tried ${candidates.join(", ")})`,
      {
        hint: CHECKOUT_HINT,
      },
    );
  }
  const res = await git.tryRun(["merge-base", found.sha, head]);
  if (res.code !== 0) {
    const shallow = (await git.tryRun(["rev-parse", "--is-shallow-repository"])).stdout
      .toString("utf8")
      .trim();
    const why = shallow === "true" ? "the clone is shallow" : "they share no history";
    throw new MlciError("NOT_FOUND", `no merge base between ${found.ref} and ${headRef}: ${why}`, {
      hint: CHECKOUT_HINT,
    });
  }
  return { base: res.stdout.toString("utf8").trim(), head, baseRef: found.ref, baseTip: found.sha };
}
