import { MlciError } from "@mlci/common";
import type { ArtifactState, VersionState } from "./state";
import { checkVersion } from "./tag-grammar";

export type BumpPart = "major" | "minor" | "patch";

/** GTO's first version (`SemVer.get_minimal()`). */
export const FIRST_VERSION = "v0.0.1";

const PARTS: readonly BumpPart[] = ["patch", "minor", "major"];

/** Reads a bump input (`major`, `minor` or `patch`, any case); throws INPUT for anything else. */
export function parseBump(value: string): BumpPart {
  const v = value.trim().toLowerCase();
  if ((PARTS as readonly string[]).includes(v)) return v as BumpPart;
  throw new MlciError("INPUT", `bump must be "major", "minor" or "patch", not "${value}"`);
}

/**
 * The bump asked for by pull-request labels such as `release:minor` (prefix and part compared
 * without case). The largest wins when several are present; undefined when none is.
 */
export function bumpFromLabels(labels: Iterable<string>, prefix = "release:"): BumpPart | undefined {
  let best = -1;
  const p = prefix.toLowerCase();
  for (const label of labels) {
    const l = label.trim().toLowerCase();
    if (!l.startsWith(p)) continue;
    const i = (PARTS as readonly string[]).indexOf(l.slice(p.length).trim());
    if (i > best) best = i;
  }
  return best < 0 ? undefined : PARTS[best];
}

/** The bump to apply: an explicit input first, then PR labels, else patch. */
export function resolveBump(from: {
  input?: string | undefined;
  labels?: Iterable<string> | undefined;
}): BumpPart {
  if (from.input !== undefined && from.input.trim() !== "") return parseBump(from.input);
  return (from.labels && bumpFromLabels(from.labels)) ?? "patch";
}

/**
 * Bumps a `v`-version as GTO does (python-semver's `bump_*`): the part goes up by one, lower
 * parts reset to 0, pre-release and build metadata are dropped (`v1.2.3-rc.1` + patch = `v1.2.4`).
 */
export function bumpVersion(version: string, part: BumpPart): string {
  const problem = checkVersion(version);
  if (problem) throw new MlciError("INPUT", `cannot bump: ${problem}`);
  const m = /^v([0-9]+)\.([0-9]+)\.([0-9]+)/.exec(version)!;
  const [major, minor, patch] = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
  if (part === "major") return `v${major + 1n}.0.0`;
  if (part === "minor") return `v${major}.${minor + 1n}.0`;
  return `v${major}.${minor}.${patch + 1n}`;
}

/**
 * The version the next registration gets: the greatest active registered version bumped (GTO),
 * or `v0.0.1` for the first one. If that name was used before (by a version since deregistered),
 * the same part is bumped again until the name is free, so no two tags ever claim one version.
 */
export function nextVersion(artifact: ArtifactState | undefined, part: BumpPart = "patch"): string {
  const used = new Set(artifact?.versions.map((v) => v.version) ?? []);
  let candidate = artifact?.latest ? bumpVersion(artifact.latest.version, part) : FIRST_VERSION;
  while (used.has(candidate)) candidate = bumpVersion(candidate, part);
  return candidate;
}

/**
 * The registered version at `commit` (a commit holds at most one): the active one, or with
 * `includeInactive` the most recently registered one even if it was deregistered since.
 */
export function findVersionAtCommit(
  artifact: ArtifactState | undefined,
  commit: string,
  options: { includeInactive?: boolean } = {},
): VersionState | undefined {
  const here = (artifact?.versions ?? []).filter((v) => v.commit === commit && v.registered);
  const active = here.filter((v) => v.active);
  const pool = active.length || !options.includeInactive ? active : here;
  return pool.reduce<VersionState | undefined>(
    (best, v) => (best === undefined || v.createdAt >= best.createdAt ? v : best),
    undefined,
  );
}
