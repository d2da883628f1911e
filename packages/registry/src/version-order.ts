import semver from "semver";
import { isVersion } from "./tag-grammar";

export type VersionSort = "timestamp" | "semver";

/**
 * SemVer precedence of two `v`-prefixed versions (build metadata ignored, as SemVer 2.0 says).
 * Values that are not versions (the commit SHA that stands for an unregistered commit) sort
 * below every version and among themselves by plain string order, as GTO's `sort_versions` does.
 */
export function compareVersions(a: string, b: string): number {
  const va = isVersion(a);
  const vb = isVersion(b);
  if (va && vb) {
    try {
      return semver.compare(a.slice(1), b.slice(1));
    } catch {
      // Numbers past 2^53 are valid SemVer but beyond the semver package; fall back to text.
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
  if (va !== vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The greatest of the given versions by SemVer precedence, or undefined for none. */
export function maxVersion(versions: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const v of versions) if (best === undefined || compareVersions(v, best) > 0) best = v;
  return best;
}
