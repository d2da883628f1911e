import { MlciError } from "@mlci/common";
import {
  type ArtifactState,
  type BumpPart,
  buildRegistryState,
  checkArtifactName,
  checkName,
  checkVersion,
  defaultMessage,
  findVersionAtCommit,
  formatTag,
  nextCounter,
  nextTaggerDate,
  nextVersion,
  type VersionState,
} from "@mlci/registry";
import type { RemoteRepo, RemoteTags } from "./remote-tags";
import { removeRemoteTag, type TaggerIdentity, writeRemoteTag } from "./remote-writer";

/**
 * Register and assign through the GitHub API, safe when several runs do it at once:
 * - a tag name is taken by creating its ref, which GitHub does atomically;
 * - the loser reads the tags again: when the name now points at its own commit, another run did
 *   the same work and nothing more is written; otherwise it takes the next version (register) or
 *   the next counter (assign) and tries again, a bounded number of times;
 * - a commit holds at most one version: a re-run finds it and writes nothing.
 * Tagger dates are strictly after every registry tag read, so mlci's own events never tie.
 */

export interface RemoteRegistryDeps {
  repo: RemoteRepo;
  tags: RemoteTags;
  tagger: TaggerIdentity;
  /** Seconds since the epoch; tests pass their own clock. */
  now?: () => number;
  log?: { info(m: string): void; warning(m: string): void };
  /** Tries before giving up when other runs keep taking the names (default 5). */
  maxAttempts?: number;
}

export interface RemoteOutcome {
  /** false: the registry already said so (a re-run, or another run at the same moment). */
  created: boolean;
  name: string;
  version: string;
  commit: string;
  /** The tag written, or the existing tag that made writing unnecessary. */
  tag: string;
  /** The tagger date written, seconds since the epoch (only when created). */
  createdAt?: number;
  note?: string;
}

export interface RemoteRegisterOptions {
  name: string;
  /** Full SHA. */
  commit: string;
  /** An explicit version; otherwise the next one by `bump`. */
  version?: string;
  bump?: BumpPart;
  /** The tag message for the version chosen. */
  message: (version: string) => string;
}

export interface RemoteAssignOptions {
  name: string;
  stage: string;
  /** The version to assign; or `commit` (registered first when it holds no version). */
  version?: string;
  commit?: string;
  /** For a commit without a version: how to register it (default: the next patch, GTO's message). */
  register?: Partial<Omit<RemoteRegisterOptions, "name" | "commit">>;
  message: (version: string) => string;
}

export interface RemoteAssignOutcome extends RemoteOutcome {
  stage: string;
  /** The registration made (or found) for a commit that held no version. */
  registered?: RemoteOutcome;
}

const short = (sha: string) => sha.slice(0, 7);
const defaultNow = () => Date.now() / 1000;

async function read(deps: RemoteRegistryDeps, name: string) {
  const tags = await deps.tags.list();
  const state = buildRegistryState(tags);
  return { tags, names: new Set(tags.map((t) => t.name)), artifact: state.artifacts.get(name) };
}

function tooManyRaces(what: string, attempts: number): MlciError {
  return new MlciError("API", `could not ${what}: other runs took the name ${attempts} times in a row`, {
    hint: "several workflows are writing registry tags for this artifact at once; run again, or serialise them with `concurrency:`",
  });
}

function existing(name: string, commit: string, v: VersionState, note: string): RemoteOutcome {
  return { created: false, name, version: v.version, commit, tag: v.tag, note };
}

/** The version for a registration at `commit`, and the tag name it gets. */
function plan(
  artifact: ArtifactState | undefined,
  names: ReadonlySet<string>,
  o: RemoteRegisterOptions,
): { version: string; tag: string } {
  const previous = findVersionAtCommit(artifact, o.commit, { includeInactive: true });
  let version: string;
  if (o.version !== undefined) {
    if (previous && previous.version !== o.version) {
      throw new MlciError("INPUT", `commit ${short(o.commit)} can only hold ${o.name} ${previous.version}`, {
        hint: `${previous.version} was registered there before and deregistered; leave \`version\` empty to register it again`,
      });
    }
    const other = artifact?.versions.find((v) => v.version === o.version && v.commit !== o.commit);
    if (other) {
      throw new MlciError(
        "INPUT",
        `${o.name} ${o.version} is registered at commit ${short(other.commit)} already`,
      );
    }
    version = o.version;
  } else {
    version = previous?.version ?? nextVersion(artifact, o.bump ?? "patch");
  }
  const simple = formatTag({ action: "register", artifact: o.name, version });
  // A version registered again after deregistration: its simple tag exists, so it gets `#N`.
  const tag =
    previous && names.has(simple)
      ? formatTag({ action: "register", artifact: o.name, version, counter: nextCounter(names, o.name) })
      : simple;
  return { version, tag };
}

/** Registers the next version of `name` at `commit` (or finds the one it holds). */
export async function registerRemote(
  deps: RemoteRegistryDeps,
  o: RemoteRegisterOptions,
): Promise<RemoteOutcome> {
  const problem =
    checkArtifactName(o.name) ?? (o.version === undefined ? undefined : checkVersion(o.version));
  if (problem) throw new MlciError("INPUT", problem);
  const now = deps.now ?? defaultNow;
  const attempts = deps.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { tags, names, artifact } = await read(deps, o.name);
    const held = findVersionAtCommit(artifact, o.commit);
    if (held) {
      return existing(
        o.name,
        o.commit,
        held,
        `commit ${short(o.commit)} already holds ${o.name} ${held.version}`,
      );
    }
    const { version, tag } = plan(artifact, names, o);
    const date = nextTaggerDate(tags, now());
    const res = await writeRemoteTag(deps.repo, deps.tags, {
      tag,
      commit: o.commit,
      message: o.message(version),
      date,
      tagger: deps.tagger,
    });
    if (res.created) return keepOneVersion(deps, o, { version, tag, date });
    if (res.takenBy === o.commit) {
      return {
        created: false,
        name: o.name,
        version,
        commit: o.commit,
        tag,
        note: `another run registered commit ${short(o.commit)} as ${o.name} ${version} at the same time`,
      };
    }
    deps.log?.info(`${tag} was just taken by commit ${short(res.takenBy)}; reading the registry again`);
  }
  throw tooManyRaces(`register ${o.name} at ${short(o.commit)}`, attempts);
}

/**
 * After a registration, makes sure the commit holds one version. Two runs for one commit that
 * chose different versions (different bumps) both win their refs; each then sees the other, and
 * the later one (by tagger date, then tag name) removes its own tag and reports the earlier.
 */
async function keepOneVersion(
  deps: RemoteRegistryDeps,
  o: RemoteRegisterOptions,
  ours: { version: string; tag: string; date: number },
): Promise<RemoteOutcome> {
  const mine: RemoteOutcome = {
    created: true,
    name: o.name,
    version: ours.version,
    commit: o.commit,
    tag: ours.tag,
    createdAt: ours.date,
  };
  const { artifact } = await read(deps, o.name);
  const others = (artifact?.versions ?? []).filter(
    (v) => v.commit === o.commit && v.registered && v.active && v.version !== ours.version,
  );
  const first = others.sort((a, b) => a.createdAt - b.createdAt || (a.tag < b.tag ? -1 : 1))[0];
  if (!first) return mine;
  const oursFirst = ours.date < first.createdAt || (ours.date === first.createdAt && ours.tag < first.tag);
  if (oursFirst) return mine;
  await removeRemoteTag(deps.repo, ours.tag);
  deps.log?.warning(
    `another run registered commit ${short(o.commit)} as ${o.name} ${first.version} at the same time; removed ${ours.tag}`,
  );
  return existing(
    o.name,
    o.commit,
    first,
    `another run registered commit ${short(o.commit)} as ${first.version}`,
  );
}

/** Assigns a stage (`name#stage#N`), registering the commit first when it holds no version. */
export async function assignRemote(
  deps: RemoteRegistryDeps,
  o: RemoteAssignOptions,
): Promise<RemoteAssignOutcome> {
  const problem = checkArtifactName(o.name) ?? checkName(o.stage, "stage");
  if (problem) throw new MlciError("INPUT", problem);
  if ((o.version === undefined) === (o.commit === undefined)) {
    throw new MlciError("INPUT", "give exactly one of a version or a commit to assign a stage to");
  }
  const now = deps.now ?? defaultNow;
  const attempts = deps.maxAttempts ?? 5;
  let registered: RemoteOutcome | undefined;
  const withRegistration = (out: RemoteAssignOutcome): RemoteAssignOutcome =>
    registered ? { ...out, registered } : out;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { tags, names, artifact } = await read(deps, o.name);
    const version = target(artifact, o);
    if (!version) {
      const r = o.register ?? {};
      registered = await registerRemote(deps, {
        name: o.name,
        commit: o.commit!,
        ...(r.version !== undefined ? { version: r.version } : { bump: r.bump ?? "patch" }),
        message:
          r.message ?? ((version) => defaultMessage({ action: "register", artifact: o.name, version })),
      });
      continue;
    }
    const hold = version.stages.find((s) => s.stage === o.stage);
    if (hold) {
      return withRegistration({
        ...existing(
          o.name,
          version.commit,
          version,
          `${o.name} ${version.version} is in stage ${o.stage} already`,
        ),
        tag: hold.tag,
        stage: o.stage,
      });
    }
    const tag = formatTag({
      action: "assign",
      artifact: o.name,
      stage: o.stage,
      counter: nextCounter(names, o.name),
    });
    const date = nextTaggerDate(tags, now());
    const res = await writeRemoteTag(deps.repo, deps.tags, {
      tag,
      commit: version.commit,
      message: o.message(version.version),
      date,
      tagger: deps.tagger,
    });
    if (res.created) {
      return withRegistration({
        created: true,
        name: o.name,
        version: version.version,
        commit: version.commit,
        tag,
        createdAt: date,
        stage: o.stage,
      });
    }
    deps.log?.info(`${tag} was just taken by another run; taking the next counter`);
  }
  throw tooManyRaces(`assign stage ${o.stage} of ${o.name}`, attempts);
}

function target(artifact: ArtifactState | undefined, o: RemoteAssignOptions): VersionState | undefined {
  if (o.version !== undefined) {
    const v = artifact?.versions.find((x) => x.version === o.version && x.registered);
    if (!v) throw new MlciError("NOT_FOUND", `${o.name} ${o.version} is not registered`);
    if (!v.active) {
      throw new MlciError("INPUT", `${o.name} ${o.version} is deregistered; register it again first`);
    }
    return v;
  }
  return findVersionAtCommit(artifact, o.commit!);
}
