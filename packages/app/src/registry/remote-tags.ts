import type { Git, TagInfo } from "@mlci/git";
import { type GitHubClient, getTagObject, listMatchingRefs, type TagObject } from "@mlci/github";

/**
 * The repository's registry tags as GitHub has them right now. The refs are listed through the
 * API on every read (the API is the authority when runs race); annotated tag objects never change,
 * so each is read once: from the local clone when it has it (a checkout with `fetch-depth: 0`
 * or `fetch-tags: true`), otherwise through the API, with a few requests in flight at a time.
 */

export interface RemoteRepo {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** A clone whose tag objects can be read without the API. */
  git?: Git;
}

/** Tag objects fetched at once. */
const PARALLEL = 8;
const TAGS = "refs/tags/";

/** Tags that can be registry tags (`name@…`, `name#…`); others are never read further. */
export function mayBeRegistryTag(name: string): boolean {
  return name.includes("@") || name.includes("#");
}

interface ObjectInfo {
  commit: string;
  taggerDate: number;
  taggerName: string;
  taggerEmail: string;
  message: string;
}

export class RemoteTags {
  private readonly objects = new Map<string, Promise<ObjectInfo>>();
  private local: Promise<Map<string, TagInfo>> | undefined;
  /** Tag objects read through the API (for tests and logs). */
  apiReads = 0;

  constructor(private readonly r: RemoteRepo) {}

  /** Every registry candidate tag, in the shape `buildRegistryState` takes. */
  async list(): Promise<TagInfo[]> {
    const refs = await listMatchingRefs(this.r.octokit, {
      owner: this.r.owner,
      repo: this.r.repo,
      prefix: TAGS,
    });
    const wanted = refs.filter((r) => r.ref.startsWith(TAGS) && mayBeRegistryTag(r.ref.slice(TAGS.length)));
    const out: TagInfo[] = [];
    for (let i = 0; i < wanted.length; i += PARALLEL) {
      const batch = wanted.slice(i, i + PARALLEL);
      out.push(
        ...(await Promise.all(
          batch.map(async (r): Promise<TagInfo> => {
            const name = r.ref.slice(TAGS.length);
            if (r.type !== "tag") return { name, objectName: r.sha, objectType: r.type, commit: r.sha };
            const o = await this.object(r.sha);
            return {
              name,
              objectName: r.sha,
              objectType: "tag",
              commit: o.commit,
              taggerDate: o.taggerDate,
              taggerName: o.taggerName,
              taggerEmail: o.taggerEmail,
              message: o.message,
            };
          }),
        )),
      );
    }
    return out;
  }

  /** The commit a ref's object names: itself for a commit, the peeled target for a tag object. */
  async peel(sha: string, type = "tag"): Promise<string> {
    return type === "tag" ? (await this.object(sha)).commit : sha;
  }

  private object(sha: string): Promise<ObjectInfo> {
    let found = this.objects.get(sha);
    if (!found) {
      found = this.read(sha);
      // A failed read is not remembered: the next list tries again.
      found.catch(() => this.objects.delete(sha));
      this.objects.set(sha, found);
    }
    return found;
  }

  private async read(sha: string): Promise<ObjectInfo> {
    const local = (await this.localTags()).get(sha);
    if (local?.taggerDate !== undefined) {
      return {
        commit: local.commit,
        taggerDate: local.taggerDate,
        taggerName: local.taggerName ?? "",
        taggerEmail: local.taggerEmail ?? "",
        message: local.message ?? "",
      };
    }
    let o: TagObject = await this.fetch(sha);
    const outer = o;
    // A tag of a tag: follow it to the commit, keeping the outer tagger and message.
    for (let depth = 0; o.object.type === "tag" && depth < 5; depth++) o = await this.fetch(o.object.sha);
    return {
      commit: o.object.sha,
      taggerDate: Math.floor(Date.parse(outer.tagger.date) / 1000),
      taggerName: outer.tagger.name,
      taggerEmail: outer.tagger.email,
      message: outer.message,
    };
  }

  private fetch(sha: string): Promise<TagObject> {
    this.apiReads++;
    return getTagObject(this.r.octokit, { owner: this.r.owner, repo: this.r.repo, sha });
  }

  private localTags(): Promise<Map<string, TagInfo>> {
    const git = this.r.git;
    this.local ??= git
      ? git
          .listTags()
          .then((tags) => new Map(tags.filter((t) => t.objectType === "tag").map((t) => [t.objectName, t])))
          .catch(() => new Map<string, TagInfo>())
      : Promise.resolve(new Map<string, TagInfo>());
    return this.local;
  }
}
