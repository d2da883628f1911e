import { MlciError } from "@mlci/common";
import type { Git } from "@mlci/git";
import { findVersionAtCommit } from "./bump";
import { nextCounter } from "./counter";
import type { ArtifactState, VersionState } from "./state";
import { checkArtifactName, formatTag, type ParsedTag } from "./tag-grammar";
import type { CreatedTag, WriteOptions } from "./tag-writer";

/** What a use case did: `created` false means the registry already said so and nothing was written. */
export interface TagOutcome {
  created: boolean;
  name: string;
  /** The version concerned (a commit SHA for an unregistered commit). */
  version: string;
  commit: string;
  /** The tag written, or the existing tag that made writing unnecessary. */
  tag: string;
  pushed: boolean;
  /** Why nothing was created, when it was not. */
  note?: string;
}

export interface AssignOutcome extends TagOutcome {
  stage: string;
  /** The registration made first, when the commit held no version. */
  registered?: TagOutcome;
}

export interface StageOptions extends WriteOptions {
  name: string;
  stage: string;
  /** The version to act on; or give `commit`. */
  version?: string;
  commit?: string;
  /** Write a new tag even when the registry already says so (GTO's `--force`). */
  force?: boolean;
}

export function assertName(name: string): void {
  const problem = checkArtifactName(name);
  if (problem) throw new MlciError("INPUT", problem);
}

/** The simple tag (GTO's default) unless it exists already, then the same with the next `#N`. */
export function simpleOrCounted(p: ParsedTag): (names: ReadonlySet<string>) => string {
  return (names) => {
    const simple = formatTag(p);
    return names.has(simple) ? formatTag({ ...p, counter: nextCounter(names, p.artifact) }) : simple;
  };
}

/** The write options without the message, for a tag written on the way (a registration). */
export function writeOptionsOf(o: WriteOptions): WriteOptions {
  const w: WriteOptions = {};
  if (o.push !== undefined) w.push = o.push;
  if (o.remote !== undefined) w.remote = o.remote;
  if (o.tagger !== undefined) w.tagger = o.tagger;
  if (o.now !== undefined) w.now = o.now;
  return w;
}

export function outcome(created: CreatedTag, name: string, version: string): TagOutcome {
  return { created: true, name, version, commit: created.commit, tag: created.tag, pushed: created.pushed };
}

/** Finds the version named by `version` or `commit`; a commit without one gives undefined. */
export async function target(
  git: Git,
  artifact: ArtifactState | undefined,
  o: { name: string; version?: string; commit?: string },
): Promise<{ commit: string; version: VersionState | undefined }> {
  if ((o.version === undefined) === (o.commit === undefined)) {
    throw new MlciError("INPUT", "give exactly one of a version or a commit");
  }
  if (o.version !== undefined) {
    const v = artifact?.versions.find((x) => x.version === o.version);
    if (!v) throw new MlciError("NOT_FOUND", `${o.name} ${o.version} is not registered`);
    return { commit: v.commit, version: v };
  }
  const commit = await git.revParse(o.commit!);
  const version =
    findVersionAtCommit(artifact, commit) ??
    artifact?.versions.find((x) => x.version === commit && !x.registered);
  return { commit, version };
}
