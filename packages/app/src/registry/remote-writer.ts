import { createRef, createTagObject, deleteRef } from "@mlci/github";
import type { RemoteRepo, RemoteTags } from "./remote-tags";

export interface TaggerIdentity {
  name: string;
  email: string;
}

/** The identity of GITHUB_TOKEN's writes; GitHub shows it with the Actions avatar. */
export const ACTIONS_TAGGER: TaggerIdentity = {
  name: "github-actions[bot]",
  email: "41898282+github-actions[bot]@users.noreply.github.com",
};

export interface RemoteTagRequest {
  tag: string;
  commit: string;
  message: string;
  /** Tagger date, seconds since the epoch (whole seconds: git keeps no more). */
  date: number;
  tagger: TaggerIdentity;
}

export type RemoteWrite =
  | { created: true; tag: string; object: string }
  /** The name was taken (by another run, in between our read and our write): by this commit? */
  | { created: false; tag: string; takenBy: string };

/** `2026-03-01T12:00:00Z`: the form GitHub's API takes for a tagger date. */
export function isoSeconds(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Writes one annotated tag through the API: the tag object (POST /git/tags), then the ref (POST
 * /git/refs), which GitHub creates atomically: of two runs writing the same name, one gets the
 * ref and the other learns which commit holds it now. No checkout with write access is needed.
 */
export async function writeRemoteTag(
  r: RemoteRepo,
  tags: RemoteTags,
  req: RemoteTagRequest,
): Promise<RemoteWrite> {
  const object = await createTagObject(r.octokit, {
    owner: r.owner,
    repo: r.repo,
    tag: req.tag,
    message: req.message,
    commit: req.commit,
    tagger: { ...req.tagger, date: isoSeconds(req.date) },
  });
  const ref = await createRef(r.octokit, {
    owner: r.owner,
    repo: r.repo,
    ref: `refs/tags/${req.tag}`,
    sha: object.sha,
  });
  if (ref.created) return { created: true, tag: req.tag, object: object.sha };
  // The existing ref may point at a tag object or, for a lightweight tag, at a commit.
  let takenBy: string;
  try {
    takenBy = await tags.peel(ref.sha, "tag");
  } catch {
    takenBy = ref.sha;
  }
  return { created: false, tag: req.tag, takenBy };
}

/** Removes a tag this run created (only to undo a double registration of one commit). */
export async function removeRemoteTag(r: RemoteRepo, tag: string): Promise<boolean> {
  return deleteRef(r.octokit, { owner: r.owner, repo: r.repo, ref: `refs/tags/${tag}` });
}
