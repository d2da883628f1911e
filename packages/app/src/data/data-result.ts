import { MlciError } from "@mlci/common";
import type { CheckResult, DriftReport, FileSummary } from "@mlci/data";

/**
 * The result of a data validation (`data-result.json`, version 1): what the validate-data action
 * and `mlci validate --json` write and the report action's `data-result` input reads. Data only,
 * no markdown: the report re-renders it, escaping every string (file names, column names and
 * values come from the data).
 */
export const DATA_RESULT_VERSION = 1;

export interface DataReference {
  /** As given: a path, or `registry:<artifact>#<stage>`. */
  spec: string;
  /** Where it was read: a path, or `mlci-profile.json at churn@v1.2.0 (abc1234)`. */
  path: string;
  version?: string;
  commit?: string;
  rows: number;
}

export interface DataResult {
  version: typeof DATA_RESULT_VERSION;
  kind: "mlci-data-result";
  /** false when an error-severity rule failed. */
  passed: boolean;
  /** null without a reference. */
  drifted: boolean | null;
  driftShare: number | null;
  data: {
    /** The data inputs as given (files, folders, globs). */
    inputs: string[];
    /** Files read, relative to the working directory. */
    files: FileSummary[];
    rows: number;
    columns: number;
    bytes: number;
    malformedRows: number;
  };
  /** The schema checked (relative to the working directory), or null when there was none. */
  schema: { path: string } | null;
  /** Rule results. Without a schema, only the malformed-rows rule. */
  check: CheckResult;
  /** Where the profile was written, or null when it was not. */
  profilePath: string | null;
  reference: DataReference | null;
  drift: DriftReport | null;
}

function fail(file: string, why: string): never {
  throw new MlciError("INPUT", `not a data result: ${why}`, {
    location: { file },
    hint: "pass the validate-data action's `result-path` output (mlci validate --json writes the same format)",
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses a data result. The file may come from another job (an artifact), so the shape is
 * checked before anything renders it; strings are escaped at rendering.
 */
export function parseDataResult(text: string, file: string): DataResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    fail(file, `invalid JSON (${(err as Error).message})`);
  }
  if (!isObject(v) || v.kind !== "mlci-data-result") fail(file, "no `kind: mlci-data-result`");
  if (v.version !== DATA_RESULT_VERSION) {
    throw new MlciError("INPUT", `data result version ${String(v.version)} is not supported (expected 1)`, {
      location: { file, key: "version" },
    });
  }
  if (typeof v.passed !== "boolean") fail(file, "`passed` is not a boolean");
  const data = v.data;
  if (!isObject(data) || !Array.isArray(data.files) || typeof data.rows !== "number")
    fail(file, "`data` lacks files or rows");
  const check = v.check;
  if (!isObject(check) || !Array.isArray(check.results)) fail(file, "`check` lacks results");
  for (const r of check.results as unknown[]) {
    if (
      !isObject(r) ||
      typeof r.rule !== "string" ||
      typeof r.message !== "string" ||
      !Array.isArray(r.examples)
    )
      fail(file, "a rule result lacks rule, message or examples");
  }
  const drift = v.drift;
  if (drift !== null && (!isObject(drift) || !Array.isArray(drift.columns) || !Array.isArray(drift.skipped)))
    fail(file, "`drift` lacks columns");
  for (const c of (drift as { columns?: unknown[] } | null)?.columns ?? []) {
    if (!isObject(c) || typeof c.column !== "string" || typeof c.score !== "number" || !isObject(c.bins))
      fail(file, "a drift column lacks column, score or bins");
  }
  return v as unknown as DataResult;
}
