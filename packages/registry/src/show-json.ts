import { type RegistryState, sortVersions } from "./state";
import type { VersionSort } from "./version-order";

/**
 * `mlci registry show --json`: a stable, versioned shape documented in this package's README.
 * Fields are only ever added within one `version`; a change of meaning bumps it.
 */
export const SHOW_JSON_VERSION = 1;

export interface ShowJsonVersion {
  /** `v1.2.3`, or the commit SHA of a commit that got stage tags without a registration. */
  version: string;
  commit: string;
  registered: boolean;
  /** false once deregistered. */
  active: boolean;
  /** ISO 8601 (UTC) time of the latest registration tag (else of the latest tag of the version). */
  createdAt: string;
  tag: string;
  message: string;
  author: string;
  authorEmail: string;
  /** Every stage this version holds (its latest event for the stage is an assignment), oldest first. */
  stages: string[];
}

export interface ShowJsonArtifact {
  /** The greatest registered active version, or null. */
  latest: string | null;
  /** The latest event of the artifact is a deprecation. */
  deprecated: boolean;
  /** Stage -> the version shown for it (see `sort`); keys sorted. */
  stages: Record<string, string>;
  /** Every version, newest first (by time or by SemVer, after `sort`), deregistered ones included. */
  versions: ShowJsonVersion[];
}

export interface ShowJson {
  version: typeof SHOW_JSON_VERSION;
  /** How stage columns and the version list were ordered. */
  sort: VersionSort;
  /** Artifact name (`name` or `dir:name`) -> its state; keys sorted. */
  artifacts: Record<string, ShowJsonArtifact>;
  /** Tags that were skipped and ties that were broken. */
  warnings: string[];
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/** The JSON document for a registry state (all artifacts, or the ones the state holds). */
export function toShowJson(state: RegistryState): ShowJson {
  const artifacts: Record<string, ShowJsonArtifact> = {};
  for (const [name, a] of state.artifacts) {
    const stages: Record<string, string> = {};
    for (const [stage, hold] of a.stages) stages[stage] = hold.version;
    artifacts[name] = {
      latest: a.latest?.version ?? null,
      deprecated: a.deprecated,
      stages,
      versions: sortVersions(a.versions, state.sort).map((v) => ({
        version: v.version,
        commit: v.commit,
        registered: v.registered,
        active: v.active,
        createdAt: iso(v.createdAt),
        tag: v.tag,
        message: v.message,
        author: v.author,
        authorEmail: v.authorEmail,
        stages: v.stages.map((s) => s.stage),
      })),
    };
  }
  return { version: SHOW_JSON_VERSION, sort: state.sort, artifacts, warnings: [...state.warnings] };
}

/** `toShowJson` serialised: two-space indented, with a final newline. */
export function renderShowJson(state: RegistryState): string {
  return `${JSON.stringify(toShowJson(state), null, 2)}\n`;
}
