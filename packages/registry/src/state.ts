import type { TagInfo } from "@mlci/git";
import type { TagAction } from "./tag-grammar";
import { compareEventOrder, orderRegistryTags, type RegistryTag } from "./tag-order";
import { compareVersions, maxVersion, type VersionSort } from "./version-order";

/** One registry event: one annotated tag, read. */
export interface RegistryEvent {
  action: TagAction;
  artifact: string;
  /**
   * The version concerned. For stage events, the version registered at the tag's commit when the
   * event happened, or the commit SHA when none was (GTO counts such a commit as a version).
   * Undefined for deprecation.
   */
  version?: string;
  stage?: string;
  counter?: number;
  tag: string;
  commit: string;
  /** Tagger date, seconds since the epoch. */
  createdAt: number;
  author: string;
  authorEmail: string;
  message: string;
}

/** A stage a version holds: its latest event for that stage is an assignment. */
export interface StageHold {
  stage: string;
  version: string;
  commit: string;
  /** When the stage was (last) assigned to this version. */
  assignedAt: number;
  /** The assignment tag. */
  tag: string;
}

export interface VersionState {
  /** `v1.2.3`, or a commit SHA for a commit that received stage tags but no registration. */
  version: string;
  commit: string;
  /** Has at least one registration tag. */
  registered: boolean;
  /**
   * Registered versions: their latest registration event is a registration (not a deregistration).
   * Unregistered commit versions count as active, as in GTO.
   */
  active: boolean;
  /** The authoring event (GTO): the latest registration, else the latest event of this version. */
  createdAt: number;
  tag: string;
  message: string;
  author: string;
  authorEmail: string;
  /** Stages held, oldest assignment first. */
  stages: StageHold[];
}

export interface ArtifactState {
  /** `name` or `dir:name`. */
  name: string;
  /** Every version, in the order of its first event. */
  versions: VersionState[];
  /** Per stage, the version `gto show` shows (see `buildRegistryState`'s `sort`). Keys sorted. */
  stages: Map<string, StageHold>;
  /** The greatest (SemVer) registered active version, as GTO's `latest`. */
  latest: VersionState | undefined;
  /** The artifact's latest event is a deprecation. A later event makes it active again (GTO). */
  deprecated: boolean;
  /** Every event, oldest first. */
  events: RegistryEvent[];
}

export interface RegistryState {
  /** By artifact name, sorted by name. */
  artifacts: Map<string, ArtifactState>;
  /** Tags skipped and ties broken; never fatal. */
  warnings: string[];
  sort: VersionSort;
}

export interface BuildStateOptions {
  /**
   * How a stage picks its version among those holding it: `timestamp` (GTO's default) shows the
   * one assigned most recently, `semver` the greatest version.
   */
  sort?: VersionSort;
}

interface VersionAcc {
  version: string;
  commit: string;
  direct: RegistryEvent[];
  stageEvents: Map<string, { event: RegistryEvent; seq: number }[]>;
  all: RegistryEvent[];
}

interface ArtifactAcc {
  name: string;
  versions: VersionAcc[];
  events: RegistryEvent[];
}

/** Builds the registry from a repository's tags (the output of `Git.listTags()`). */
export function buildRegistryState(tags: readonly TagInfo[], options: BuildStateOptions = {}): RegistryState {
  const sort = options.sort ?? "timestamp";
  const { tags: ordered, warnings } = orderRegistryTags(tags);
  const accs = new Map<string, ArtifactAcc>();
  ordered.forEach((tag, seq) => {
    let acc = accs.get(tag.parsed.artifact);
    if (!acc) {
      acc = { name: tag.parsed.artifact, versions: [], events: [] };
      accs.set(acc.name, acc);
    }
    const warning = applyTag(acc, tag, seq);
    if (warning) warnings.push(warning);
  });
  const artifacts = new Map<string, ArtifactState>();
  for (const name of [...accs.keys()].sort()) artifacts.set(name, finish(accs.get(name)!, sort));
  return { artifacts, warnings, sort };
}

function toEvent(tag: RegistryTag, version: string | undefined): RegistryEvent {
  const p = tag.parsed;
  const e: RegistryEvent = {
    action: p.action,
    artifact: p.artifact,
    tag: tag.name,
    commit: tag.commit,
    createdAt: tag.createdAt,
    author: tag.author,
    authorEmail: tag.authorEmail,
    message: tag.message,
  };
  if (version !== undefined) e.version = version;
  if (p.action === "assign" || p.action === "unassign") e.stage = p.stage;
  if (p.counter !== undefined) e.counter = p.counter;
  return e;
}

/** Applies one tag in event order; returns a warning when the tag contradicts earlier ones. */
function applyTag(acc: ArtifactAcc, tag: RegistryTag, seq: number): string | undefined {
  const p = tag.parsed;
  if (p.action === "deprecate") {
    acc.events.push(toEvent(tag, undefined));
    return undefined;
  }
  if (p.action === "register" || p.action === "deregister") {
    let v = acc.versions.find((x) => x.version === p.version);
    if (v && v.commit !== tag.commit) {
      return `tag "${tag.name}" ignored: ${p.version} of "${p.artifact}" belongs to commit ${v.commit.slice(0, 7)}, not ${tag.commit.slice(0, 7)}`;
    }
    let warning: string | undefined;
    if (!v) {
      v = newVersion(acc, p.version, tag.commit);
      if (p.action === "deregister") {
        warning = `tag "${tag.name}" deregisters ${p.version} of "${p.artifact}", which was never registered`;
      }
    }
    const e = toEvent(tag, v.version);
    v.direct.push(e);
    v.all.push(e);
    acc.events.push(e);
    return warning;
  }
  if (p.action !== "assign" && p.action !== "unassign") return undefined;
  const v = versionAtCommit(acc, tag.commit) ?? newVersion(acc, tag.commit, tag.commit);
  const e = toEvent(tag, v.version);
  const list = v.stageEvents.get(p.stage);
  if (list) list.push({ event: e, seq });
  else v.stageEvents.set(p.stage, [{ event: e, seq }]);
  v.all.push(e);
  acc.events.push(e);
  return undefined;
}

function newVersion(acc: ArtifactAcc, version: string, commit: string): VersionAcc {
  const v: VersionAcc = { version, commit, direct: [], stageEvents: new Map(), all: [] };
  acc.versions.push(v);
  return v;
}

/**
 * The version a stage tag on `commit` refers to: the registered version there (an active one
 * first, then the one registered last), else the commit's own unregistered version.
 */
function versionAtCommit(acc: ArtifactAcc, commit: string): VersionAcc | undefined {
  const here = acc.versions.filter((v) => v.commit === commit);
  const registered = here.filter((v) => v.direct.some((e) => e.action === "register"));
  const active = registered.filter(isActiveAcc);
  const pick = (vs: VersionAcc[]) =>
    vs.reduce<VersionAcc | undefined>(
      (best, v) => (best === undefined || lastTime(v.direct) >= lastTime(best.direct) ? v : best),
      undefined,
    );
  return pick(active) ?? pick(registered) ?? here.find((v) => v.direct.length === 0);
}

function lastTime(events: readonly RegistryEvent[]): number {
  return events.length ? events[events.length - 1]!.createdAt : Number.NEGATIVE_INFINITY;
}

function isActiveAcc(v: VersionAcc): boolean {
  const last = v.direct[v.direct.length - 1];
  return last ? last.action === "register" : true;
}

function finish(acc: ArtifactAcc, sort: VersionSort): ArtifactState {
  const seqOf = new Map<StageHold, number>();
  const versions = acc.versions.map((v): VersionState => {
    const stages: StageHold[] = [];
    for (const [stage, events] of v.stageEvents) {
      const last = events[events.length - 1]!;
      if (last.event.action !== "assign") continue;
      const hold = {
        stage,
        version: v.version,
        commit: v.commit,
        assignedAt: last.event.createdAt,
        tag: last.event.tag,
      };
      seqOf.set(hold, last.seq);
      stages.push(hold);
    }
    stages.sort((a, b) => seqOf.get(a)! - seqOf.get(b)!);
    const registrations = v.direct.filter((e) => e.action === "register");
    const authoring =
      registrations[registrations.length - 1] ?? v.direct[v.direct.length - 1] ?? v.all[v.all.length - 1]!;
    return {
      version: v.version,
      commit: v.commit,
      registered: registrations.length > 0,
      active: isActiveAcc(v),
      createdAt: authoring.createdAt,
      tag: authoring.tag,
      message: authoring.message,
      author: authoring.author,
      authorEmail: authoring.authorEmail,
      stages,
    };
  });
  const lastEvent = acc.events[acc.events.length - 1];
  const latestName = maxVersion(versions.filter((v) => v.registered && v.active).map((v) => v.version));
  return {
    name: acc.name,
    versions,
    stages: pickStages(versions, sort, seqOf),
    latest: versions.find((v) => v.version === latestName),
    deprecated: lastEvent?.action === "deprecate",
    events: acc.events,
  };
}

/** Per stage, among active versions holding it, the one GTO's `show` puts in the stage column. */
function pickStages(
  versions: readonly VersionState[],
  sort: VersionSort,
  seqOf: Map<StageHold, number>,
): Map<string, StageHold> {
  const best = new Map<string, StageHold>();
  for (const v of versions) {
    if (!v.active) continue;
    for (const hold of v.stages) {
      const current = best.get(hold.stage);
      const better =
        current === undefined ||
        (sort === "semver"
          ? compareVersions(hold.version, current.version) > 0
          : seqOf.get(hold)! > seqOf.get(current)!);
      if (better) best.set(hold.stage, hold);
    }
  }
  return new Map([...best.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The versions sorted for display: newest first by time or by SemVer precedence. */
export function sortVersions(versions: readonly VersionState[], sort: VersionSort): VersionState[] {
  const copy = [...versions];
  if (sort === "semver") return copy.sort((a, b) => compareVersions(b.version, a.version));
  return copy.sort((a, b) => b.createdAt - a.createdAt);
}

/** Every event of the registry (or of one artifact), oldest first. */
export function registryHistory(state: RegistryState, artifact?: string): RegistryEvent[] {
  const events =
    artifact === undefined
      ? [...state.artifacts.values()].flatMap((a) => a.events)
      : [...(state.artifacts.get(artifact)?.events ?? [])];
  return events.sort(compareEventOrder);
}
