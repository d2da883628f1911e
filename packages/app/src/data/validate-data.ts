import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { MlciError, writeFileAtomic } from "@mlci/common";
import {
  CHECK_VERSION,
  type CheckResult,
  compareProfiles,
  type DataSchema,
  DEFAULT_SCHEMA_PATH,
  type DriftReport,
  type Profile,
  parseDataSchema,
  resolveSources,
  type ScanDatasetOptions,
  scanDataset,
  writeProfile,
} from "@mlci/data";
import type { Git } from "@mlci/git";
import { type ResolvedReference, resolveReference } from "../retrain/reference";
import { DATA_RESULT_VERSION, type DataResult } from "./data-result";

export interface ValidateDataOptions {
  /** Resolves data, schema, reference and output paths (the working directory). */
  cwd: string;
  /** Files, folders or globs, read as one data set. */
  data: readonly string[];
  /**
   * The schema file. Empty: none. The default path (`.mlci/schema.yml`) is skipped when absent
   * unless `schemaRequired`; any other path must exist.
   */
  schema?: string;
  schemaRequired?: boolean;
  /** A profile file, or `registry:<artifact>#<stage>`; empty: no drift check. */
  reference?: string;
  /** The repository, for registry references. */
  git?: Git;
  /** Where profiles are committed, for registry references (default `mlci-profile.json`). */
  referenceProfilePath?: string;
  /** Write the profile here; empty or absent: not written. */
  profilePath?: string;
  /** Write the data result JSON here; empty or absent: not written. */
  resultPath?: string;
  /** Columns left out of the drift check (an id, say). */
  ignore?: readonly string[];
  parallelism?: number;
  workerUrl?: URL | string;
  onProgress?: ScanDatasetOptions["onProgress"];
}

export interface ValidateDataOutcome {
  result: DataResult;
  profile: Profile;
  /** Things worth saying that are not failures (a default schema that is absent). */
  notes: string[];
  /** Absolute paths written. */
  profileFile?: string;
  resultFile?: string;
}

/** A path as the user sees it: relative to `cwd` when inside it, with `/`. */
function shown(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return (rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs).split(sep).join("/");
}

async function loadSchema(o: ValidateDataOptions, notes: string[]): Promise<DataSchema | undefined> {
  const path = o.schema?.trim() ?? "";
  if (path === "") return undefined;
  const abs = resolve(o.cwd, path);
  if (!existsSync(abs)) {
    if (path === DEFAULT_SCHEMA_PATH && !o.schemaRequired) {
      notes.push(
        `no ${DEFAULT_SCHEMA_PATH}: only malformed rows were checked (write a schema with \`mlci schema infer\`)`,
      );
      return undefined;
    }
    throw new MlciError("NOT_FOUND", "the data schema does not exist", {
      location: { file: path },
      hint: `write one with \`mlci schema infer <data>\` (default ${DEFAULT_SCHEMA_PATH})`,
    });
  }
  return parseDataSchema(await readFile(abs, "utf8"), shown(o.cwd, abs));
}

/** Without a schema, the only rule is that every row can be read: taken from the profile. */
function malformedOnly(profile: Profile): CheckResult {
  const failing = profile.dataset.malformedRows;
  return {
    version: CHECK_VERSION,
    kind: "mlci-data-check",
    passed: failing === 0,
    errors: failing > 0 ? 1 : 0,
    warnings: 0,
    rows: profile.dataset.rows,
    results: [
      {
        rule: "malformed-rows",
        severity: "error",
        passed: failing === 0,
        failing,
        checked: profile.dataset.rows + failing,
        message: `${failing} row(s) could not be read`,
        examples: profile.dataset.issues.map((i) => ({ file: i.file, line: i.line, message: i.message })),
        schema: { file: "", key: "dataset.malformedRows" },
      },
    ],
  };
}

/**
 * Drift of every column both profiles have, except those left out: the ones named, and the
 * schema's `unique` columns (identifiers: new ids always "drift"), which are listed as skipped.
 */
function compare(
  reference: ResolvedReference,
  profile: Profile,
  ignore: readonly string[],
  schema: DataSchema | undefined,
): DriftReport {
  const ids = (schema?.columns ?? [])
    .filter((c) => c.unique && !ignore.includes(c.name))
    .map((c) => c.name)
    .filter((name) => reference.profile.columns.some((c) => c.name === name));
  const all = [...ignore, ...ids];
  const drift = compareProfiles(reference.profile, profile, all.length > 0 ? { ignore: all } : {});
  drift.skipped.push(...ids.map((column) => ({ column, reason: "unique in the schema (an identifier)" })));
  if (drift.columns.length === 0) {
    // Nothing compared is not "no drift": the data or the reference is not what we think.
    const why = drift.skipped.map((s) => `${s.column}: ${s.reason}`).join("; ");
    throw new MlciError(
      "INPUT",
      `no column of the reference profile could be compared with the data${why ? ` (${why})` : ""}`,
      { hint: "check that the data is the same kind of data the reference profile was made from" },
    );
  }
  return drift;
}

/**
 * The validate-data use case: reads the data set once (checking it against the schema and
 * profiling it, on worker threads when a worker script is found), writes the profile, compares
 * it with the reference profile when one is given, and writes the data result.
 */
export async function validateData(o: ValidateDataOptions): Promise<ValidateDataOutcome> {
  if (o.data.length === 0) throw new MlciError("INPUT", "no data given: name files, folders or globs");
  const notes: string[] = [];
  const schema = await loadSchema(o, notes);
  const reference = o.reference?.trim()
    ? await resolveReference(o.reference, {
        cwd: o.cwd,
        ...(o.git ? { git: o.git } : {}),
        ...(o.referenceProfilePath ? { profilePath: o.referenceProfilePath } : {}),
      })
    : undefined;
  const sources = await resolveSources(o.data, { cwd: o.cwd });
  // Profiles compare only when their sketches match: take the reference's settings.
  const config = reference?.profile.config;
  const scanned = await scanDataset(sources, {
    ...(schema ? { schema } : {}),
    ...(config
      ? {
          sketches: {
            kllK: config.kllK,
            hllLgK: config.hllLgK,
            frequentCapacity: config.frequentCapacity,
            valueCountLimit: config.valueCountLimit,
            sampleSize: config.sampleSize,
          },
          nullValues: config.nullValues,
        }
      : {}),
    ...(o.parallelism ? { parallelism: o.parallelism } : {}),
    ...(o.workerUrl ? { workerUrl: o.workerUrl } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const profile = scanned.profile!;
  const check = scanned.check ?? malformedOnly(profile);
  const drift = reference ? compare(reference, profile, o.ignore ?? [], schema) : null;
  const profileFile = o.profilePath?.trim() ? resolve(o.cwd, o.profilePath) : undefined;
  if (profileFile) await writeProfile(profileFile, profile);
  const ds = profile.dataset;
  const result: DataResult = {
    version: DATA_RESULT_VERSION,
    kind: "mlci-data-result",
    passed: check.passed,
    drifted: drift ? drift.drifted : null,
    driftShare: drift ? drift.driftShare : null,
    data: {
      inputs: [...o.data],
      files: ds.files,
      rows: ds.rows,
      columns: ds.columns,
      bytes: ds.bytes,
      malformedRows: ds.malformedRows,
    },
    schema: schema ? { path: schema.file } : null,
    check,
    profilePath: profileFile ? shown(o.cwd, profileFile) : null,
    reference: reference
      ? {
          spec: reference.spec,
          path: reference.path,
          ...(reference.version ? { version: reference.version } : {}),
          ...(reference.commit ? { commit: reference.commit } : {}),
          rows: reference.profile.dataset.rows,
        }
      : null,
    drift,
  };
  const out: ValidateDataOutcome = { result, profile, notes, ...(profileFile ? { profileFile } : {}) };
  if (o.resultPath?.trim()) {
    out.resultFile = resolve(o.cwd, o.resultPath);
    await writeFileAtomic(out.resultFile, `${JSON.stringify(result)}\n`);
  }
  return out;
}
