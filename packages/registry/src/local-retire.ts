import { MlciError } from "@mlci/common";
import type { Git } from "@mlci/git";
import { findVersionAtCommit } from "./bump";
import { nextCounter } from "./counter";
import { readRegistry, requireArtifact } from "./local-read";
import {
  type AssignOutcome,
  assertName,
  outcome,
  type StageOptions,
  simpleOrCounted,
  type TagOutcome,
  target,
} from "./local-shared";
import { defaultMessage } from "./messages";
import { formatTag } from "./tag-grammar";
import { type WriteOptions, writeTag } from "./tag-writer";

/** Unassigns a stage (`name#stage!#N`); nothing is written when the version does not hold it. */
export async function unassign(git: Git, o: StageOptions): Promise<AssignOutcome> {
  assertName(o.name);
  const artifact = (await readRegistry(git)).artifacts.get(o.name);
  const { commit, version } = await target(git, artifact, o);
  if (!version) throw new MlciError("NOT_FOUND", `${o.name} has no version at commit ${commit.slice(0, 7)}`);
  const hold = version.stages.find((s) => s.stage === o.stage);
  if (!hold && !o.force) {
    return {
      created: false,
      name: o.name,
      stage: o.stage,
      version: version.version,
      commit,
      tag: "",
      pushed: false,
      note: `${o.name} ${version.version} is not in stage ${o.stage}`,
    };
  }
  const created = await writeTag(
    git,
    {
      commit,
      message:
        o.message ??
        defaultMessage({ action: "unassign", artifact: o.name, stage: o.stage, version: version.version }),
      nameFor: (names) =>
        formatTag({
          action: "unassign",
          artifact: o.name,
          stage: o.stage,
          counter: nextCounter(names, o.name),
        }),
      retryOnConflict: true,
    },
    o,
  );
  return { ...outcome(created, o.name, version.version), stage: o.stage };
}

/** Deregisters a version (`name@v1.2.3!`); nothing is written when it is deregistered already. */
export async function deregister(
  git: Git,
  o: WriteOptions & { name: string; version?: string; commit?: string },
): Promise<TagOutcome> {
  assertName(o.name);
  const artifact = (await readRegistry(git)).artifacts.get(o.name);
  const { commit, version } = await target(git, artifact, o);
  const v = version ?? findVersionAtCommit(artifact, commit, { includeInactive: true });
  if (!v?.registered)
    throw new MlciError("NOT_FOUND", `${o.name} has no registered version to deregister there`);
  if (!v.active) {
    return {
      created: false,
      name: o.name,
      version: v.version,
      commit: v.commit,
      tag: v.tag,
      pushed: false,
      note: `${o.name} ${v.version} is deregistered already`,
    };
  }
  const created = await writeTag(
    git,
    {
      commit: v.commit,
      message: o.message ?? defaultMessage({ action: "deregister", artifact: o.name, version: v.version }),
      nameFor: simpleOrCounted({ action: "deregister", artifact: o.name, version: v.version }),
    },
    o,
  );
  return outcome(created, o.name, v.version);
}

/**
 * Deprecates an artifact (`name@deprecated`), on `commit` or on the commit of its latest event
 * (GTO). Nothing is written when it is deprecated already.
 */
export async function deprecate(
  git: Git,
  o: WriteOptions & { name: string; commit?: string },
): Promise<TagOutcome> {
  assertName(o.name);
  const artifact = requireArtifact(await readRegistry(git), o.name);
  const last = artifact.events[artifact.events.length - 1]!;
  if (artifact.deprecated) {
    return {
      created: false,
      name: o.name,
      version: "",
      commit: last.commit,
      tag: last.tag,
      pushed: false,
      note: `${o.name} is deprecated already`,
    };
  }
  const commit = o.commit === undefined ? last.commit : await git.revParse(o.commit);
  const created = await writeTag(
    git,
    {
      commit,
      message: o.message ?? defaultMessage({ action: "deprecate", artifact: o.name }),
      nameFor: simpleOrCounted({ action: "deprecate", artifact: o.name }),
    },
    o,
  );
  return outcome(created, o.name, "");
}
