import { MlciError } from "@mlci/common";
import type { RowIssue } from "../readers/row";
import type { ColumnState } from "./column-profiler";
import { mergeColumnStates, padWithNulls, summarizeColumn } from "./column-state";
import { type FileSummary, MAX_ISSUE_EXAMPLES, type Profile } from "./profile-format";

/**
 * Merges the profiles of two parts of a data set (`a` first): counts add up, distinct counts
 * are those of the union, moments merge by Chan's formula and quantiles by KLL's merge. A
 * column missing from one side counts as nulls for that side's rows. Both profiles must have
 * been built with the same sketch sizes and null spellings.
 */
export function mergeProfiles(a: Profile, b: Profile): Profile {
  for (const p of [a, b]) {
    if (p.version !== 1 || p.kind !== "mlci-profile") {
      throw new MlciError("INPUT", `not an mlci profile of version 1 (found version ${String(p.version)})`);
    }
  }
  if (JSON.stringify(a.config) !== JSON.stringify(b.config)) {
    throw new MlciError(
      "INPUT",
      "cannot merge profiles built with different sketch settings or null values",
      {
        hint: "profile every part with the same mlci version and options",
      },
    );
  }
  const stateA = new Map(a.columns.map((c) => [c.name, c.state] as const));
  const stateB = new Map(b.columns.map((c) => [c.name, c.state] as const));
  const names = [...stateA.keys(), ...[...stateB.keys()].filter((n) => !stateA.has(n))];
  const columns = names.map((name) => {
    const sa: ColumnState | undefined = stateA.get(name);
    const sb: ColumnState | undefined = stateB.get(name);
    let merged: ColumnState;
    if (sa && sb) merged = mergeColumnStates(sa, sb);
    else if (sa) merged = padWithNulls(sa, b.dataset.rows);
    else merged = padWithNulls(sb!, a.dataset.rows);
    return summarizeColumn(name, merged);
  });
  const files = new Map<string, FileSummary>();
  for (const f of [...a.dataset.files, ...b.dataset.files]) {
    const prev = files.get(f.path);
    files.set(
      f.path,
      prev
        ? {
            ...prev,
            bytes: prev.bytes + f.bytes,
            rows: prev.rows + f.rows,
            malformedRows: prev.malformedRows + f.malformedRows,
          }
        : { ...f },
    );
  }
  const issues: RowIssue[] = [...a.dataset.issues, ...b.dataset.issues].slice(0, MAX_ISSUE_EXAMPLES);
  return {
    version: 1,
    kind: "mlci-profile",
    config: a.config,
    dataset: {
      rows: a.dataset.rows + b.dataset.rows,
      malformedRows: a.dataset.malformedRows + b.dataset.malformedRows,
      columns: columns.length,
      bytes: a.dataset.bytes + b.dataset.bytes,
      files: [...files.values()],
      issues,
    },
    columns,
  };
}

/** Merges profiles left to right. */
export function mergeAllProfiles(profiles: readonly Profile[]): Profile {
  if (profiles.length === 0) throw new MlciError("INPUT", "no profiles to merge");
  return profiles.slice(1).reduce(mergeProfiles, profiles[0]!);
}
