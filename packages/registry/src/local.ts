import { MlciError } from "@mlci/common";
import type { Git } from "@mlci/git";
import { type BumpPart, findVersionAtCommit, nextVersion } from "./bump";
import { nextCounter } from "./counter";
import { readRegistry } from "./local-read";
import {
  type AssignOutcome,
  assertName,
  outcome,
  type StageOptions,
  simpleOrCounted,
  type TagOutcome,
  target,
  writeOptionsOf,
} from "./local-shared";
import { defaultMessage } from "./messages";
import { checkName, checkVersion, formatTag } from "./tag-grammar";
import { TagExistsError, type WriteOptions, writeTag } from "./tag-writer";

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
  for (let attempt = 1; ; attempt++) {
    try {
      return await registerOnce(git, o);
    } catch (err) {
      // Another process took the version between our read and our write: read again.
      if (err instanceof TagExistsError && err.remote === undefined && attempt < 3) continue;
      throw err;
    }
  }
}

async function registerOnce(git: Git, o: RegisterOptions): Promise<TagOutcome> {
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
      // `#N` only to register a deregistered version again: its simple tag exists already.
      nameFor: previous
        ? simpleOrCounted({ action: "register", artifact: o.name, version })
        : () => formatTag({ action: "register", artifact: o.name, version }),
    },
    o,
  );
  return outcome(created, o.name, version);
}

export interface AssignOptions extends StageOptions {
  /** For a commit without a version: the version to register it as (else the next by `bump`). */
  registerVersion?: string;
  bump?: BumpPart;
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
      retryOnConflict: true,
    },
    o,
  );
  const out: AssignOutcome = { ...outcome(created, o.name, versionName), stage: o.stage };
  if (registered) out.registered = registered;
  return out;
}
