import { MlciError } from "@mlci/common";
import type { Git } from "@mlci/git";
import { type BumpPart, findVersionAtCommit, nextVersion } from "./bump";
import { nextCounter } from "./counter";
import { defaultMessage } from "./messages";
import {
  type ArtifactState,
  type BuildStateOptions,
  buildRegistryState,
  type RegistryEvent,
  type RegistryState,
  registryHistory,
  type VersionState,
} from "./state";
import { checkArtifactName, checkName, checkVersion, formatTag, type ParsedTag } from "./tag-grammar";
import { type CreatedTag, type WriteOptions, writeTag } from "./tag-writer";

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

/** The registry as the repository's tags describe it now. */
export async function readRegistry(git: Git, options: BuildStateOptions = {}): Promise<RegistryState> {
  return buildRegistryState(await git.listTags(), options);
}

/** The whole registry, or one artifact's part of it (NOT_FOUND when it has no tags). */
export async function show(
  git: Git,
  options: BuildStateOptions & { name?: string } = {},
): Promise<RegistryState> {
  const state = await readRegistry(git, options);
  if (options.name === undefined) return state;
  const artifact = requireArtifact(state, options.name);
  return { ...state, artifacts: new Map([[artifact.name, artifact]]) };
}

/** Every registry event (or one artifact's), oldest first. */
export async function history(git: Git, name?: string): Promise<RegistryEvent[]> {
  const state = await readRegistry(git);
  if (name !== undefined) requireArtifact(state, name);
  return registryHistory(state, name);
}

function requireArtifact(state: RegistryState, name: string): ArtifactState {
  const a = state.artifacts.get(name);
  if (!a) throw new MlciError("NOT_FOUND", `artifact "${name}" has no registry tags`);
  return a;
}

function assertName(name: string): void {
  const problem = checkArtifactName(name);
  if (problem) throw new MlciError("INPUT", problem);
}

/** The simple tag (GTO's default) unless it exists already, then the same with the next `#N`. */
function simpleOrCounted(p: ParsedTag): (names: ReadonlySet<string>) => string {
  return (names) => {
    const simple = formatTag(p);
    return names.has(simple) ? formatTag({ ...p, counter: nextCounter(names, p.artifact) }) : simple;
  };
}

/** The write options without the message, for a tag written on the way (a registration). */
function writeOptionsOf(o: WriteOptions): WriteOptions {
  const w: WriteOptions = {};
  if (o.push !== undefined) w.push = o.push;
  if (o.remote !== undefined) w.remote = o.remote;
  if (o.tagger !== undefined) w.tagger = o.tagger;
  if (o.now !== undefined) w.now = o.now;
  return w;
}

function outcome(created: CreatedTag, name: string, version: string): TagOutcome {
  return { created: true, name, version, commit: created.commit, tag: created.tag, pushed: created.pushed };
}

export interface RegisterOptions extends WriteOptions {
  name: string;
  /** A revision; default HEAD. */
  commit?: string;
  /** An explicit version (`v1.2.3`); otherwise the next one by `bump`. */
  version?: string;
  bump?: BumpPart;
}

/**
 * Registers a version of `name` at a commit. A commit holds at most one version: when it already
 * holds an active one, nothing is written and that version comes back. A version deregistered at
 * this commit is registered again under the same name (as GTO does).
 */
export async function register(git: Git, o: RegisterOptions): Promise<TagOutcome> {
  assertName(o.name);
  if (o.version !== undefined && o.bump !== undefined) {
    throw new MlciError("INPUT", "give either a version or a bump, not both");
  }
  const commit = await git.revParse(o.commit ?? "HEAD");
  const artifact = (await readRegistry(git)).artifacts.get(o.name);
  const held = findVersionAtCommit(artifact, commit);
  if (held) {
    return {
      created: false,
      name: o.name,
      version: held.version,
      commit,
      tag: held.tag,
      pushed: false,
      note: `commit ${commit.slice(0, 7)} already holds ${o.name} ${held.version}`,
    };
  }
  const previous = findVersionAtCommit(artifact, commit, { includeInactive: true });
  let version: string;
  if (o.version !== undefined) {
    const problem = checkVersion(o.version);
    if (problem) throw new MlciError("INPUT", problem);
    if (previous && previous.version !== o.version) {
      throw new MlciError(
        "INPUT",
        `commit ${commit.slice(0, 7)} can only hold ${o.name} ${previous.version}`,
        {
          hint: `${previous.version} was registered there before and deregistered; register it again without a version`,
        },
      );
    }
    const other = artifact?.versions.find((v) => v.version === o.version && v.commit !== commit);
    if (other) {
      throw new MlciError(
        "INPUT",
        `${o.name} ${o.version} is registered at commit ${other.commit.slice(0, 7)} already`,
      );
    }
    version = o.version;
  } else {
    version = previous?.version ?? nextVersion(artifact, o.bump ?? "patch");
  }
  const created = await writeTag(
    git,
    {
      commit,
      message: o.message ?? defaultMessage({ action: "register", artifact: o.name, version }),
      nameFor: simpleOrCounted({ action: "register", artifact: o.name, version }),
    },
    o,
  );
  return outcome(created, o.name, version);
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

export interface AssignOptions extends StageOptions {
  /** For a commit without a version: the version to register it as (else the next by `bump`). */
  registerVersion?: string;
  bump?: BumpPart;
}

/** Finds the version named by `version` or `commit`; a commit without one gives undefined. */
async function target(
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

/**
 * Assigns a stage (`name#stage#N`). A commit without a version gets one registered first, as GTO
 * does. When the version holds the stage already, nothing is written unless `force`.
 */
export async function assign(git: Git, o: AssignOptions): Promise<AssignOutcome> {
  assertName(o.name);
  const stageProblem = checkName(o.stage, "stage");
  if (stageProblem) throw new MlciError("INPUT", stageProblem);
  const artifact = (await readRegistry(git)).artifacts.get(o.name);
  let { commit, version } = await target(git, artifact, o);
  let registered: TagOutcome | undefined;
  if (version === undefined || !version.registered) {
    const reg: RegisterOptions = { ...writeOptionsOf(o), name: o.name, commit };
    if (o.bump !== undefined) reg.bump = o.bump;
    if (o.registerVersion !== undefined) reg.version = o.registerVersion;
    registered = await register(git, reg);
    commit = registered.commit;
  } else if (!version.active) {
    throw new MlciError("INPUT", `${o.name} ${version.version} is deregistered; register it again first`);
  }
  const versionName = registered?.version ?? version!.version;
  const hold = version?.stages.find((s) => s.stage === o.stage);
  if (hold && !o.force && !registered) {
    return {
      created: false,
      name: o.name,
      stage: o.stage,
      version: versionName,
      commit,
      tag: hold.tag,
      pushed: false,
      note: `${o.name} ${versionName} is in stage ${o.stage} already`,
    };
  }
  const created = await writeTag(
    git,
    {
      commit,
      message:
        o.message ??
        defaultMessage({ action: "assign", artifact: o.name, stage: o.stage, version: versionName }),
      nameFor: (names) =>
        formatTag({
          action: "assign",
          artifact: o.name,
          stage: o.stage,
          counter: nextCounter(names, o.name),
        }),
    },
    o,
  );
  const out: AssignOutcome = { ...outcome(created, o.name, versionName), stage: o.stage };
  if (registered) out.registered = registered;
  return out;
}

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
