import { resolve } from "node:path";
import { MlciError } from "@mlci/common";
import { compareDataset, resolveSources, type ScanDatasetOptions, writeProfile } from "@mlci/data";
import type { Git } from "@mlci/git";
import { decideRetrain, type RetrainDecision } from "./decide";
import { resolveReference } from "./reference";

export interface RetrainOptions {
  /** Resolves data paths, the reference file and `writeProfile`. */
  cwd: string;
  /** Fresh data: files, folders or globs, read as one data set. */
  data: readonly string[];
  /** A profile file, or `registry:<artifact>#<stage>`. */
  reference: string;
  /** The repository, for registry references. */
  git?: Git;
  /** Where the reference profile is committed (default `mlci-profile.json`). */
  profilePath?: string;
  /** Retrain even without drift. */
  always?: boolean;
  /** Write the fresh data's profile here (it goes into the retraining pull request). */
  writeProfile?: string;
  /** Leave these columns out of the drift check (ids, say). */
  ignore?: readonly string[];
  /** Worker threads, the worker script and progress, as for `mlci profile`. */
  scan?: Pick<ScanDatasetOptions, "parallelism" | "workerUrl" | "onProgress">;
}

/**
 * The retraining decision: profile the fresh data with the reference's sketch settings, compare
 * with the reference profile (Evidently's defaults), and retrain on drift or when forced.
 */
export async function computeRetrainDecision(o: RetrainOptions): Promise<RetrainDecision> {
  if (o.data.length === 0) throw new MlciError("INPUT", "give the fresh data with --data <paths...>");
  const reference = await resolveReference(o.reference, {
    cwd: o.cwd,
    ...(o.git ? { git: o.git } : {}),
    ...(o.profilePath ? { profilePath: o.profilePath } : {}),
  });
  const sources = await resolveSources(o.data, { cwd: o.cwd });
  const { profile, drift } = await compareDataset(sources, reference.profile, {
    ...(o.ignore ? { ignore: o.ignore } : {}),
    ...o.scan,
  });
  if (drift.columns.length === 0) {
    // Nothing compared is not "no drift": the data or the reference is not what we think.
    const why = drift.skipped.map((s) => `${s.column}: ${s.reason}`).join("; ");
    throw new MlciError(
      "INPUT",
      `no column of the reference could be compared with the fresh data${why ? ` (${why})` : ""}`,
      {
        hint: "check that --data names the same kind of data the reference profile was made from",
      },
    );
  }
  if (o.writeProfile) await writeProfile(resolve(o.cwd, o.writeProfile), profile);
  return decideRetrain(drift, {
    ...(o.always ? { always: true } : {}),
    reference: {
      spec: reference.spec,
      path: reference.path,
      ...(reference.version ? { version: reference.version } : {}),
      ...(reference.commit ? { commit: reference.commit } : {}),
      rows: reference.profile.dataset.rows,
    },
    current: {
      rows: profile.dataset.rows,
      malformedRows: profile.dataset.malformedRows,
      ...(o.writeProfile ? { profilePath: o.writeProfile } : {}),
    },
  });
}
