import { MlciError, type RunRecord } from "@mlci/common";
import type { MetricsDiff, PlotDiff } from "@mlci/metrics";
import { z } from "zod";

/**
 * The report bundle: what a fork pull request's run saves (as an artifact) for the `workflow_run`
 * half of the two-workflow pattern. Versioned; described in docs/formats.md.
 *
 * A fork can forge it, so the posting side validates it strictly, checks its PR number and head SHA
 * against the `workflow_run` event and the API, and re-renders the markdown from the data.
 * It never contains markdown.
 */
export const BUNDLE_VERSION = 1;
export const BUNDLE_FILE = "report-bundle.json";

export interface ReportBundle {
  version: typeof BUNDLE_VERSION;
  kind: "mlci-report-bundle";
  reportId: string;
  repository: string;
  pullRequest: number;
  headSha: string;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  createdAt: string;
  diff: MetricsDiff;
  plots: PlotDiff[];
  run?: RunRecord;
  /** The gate result, when the gate ran; validated again with the gate's parser when posted. */
  gate?: unknown;
  /** The data check result, when it ran; validated again with its parser when posted. */
  data?: unknown;
}

// Bounds keep a forged bundle from exhausting memory or the renderer.
const str = (max = 4096) => z.string().max(max);
const sha = z.string().regex(/^[0-9a-f]{40}$/, "a 40-character hex SHA");
const value = z.union([z.number(), str(10_000), z.boolean(), z.null()]).optional();
const num = z.number().optional();

const metricRow = z.strictObject({
  path: str(),
  key: str(),
  old: value,
  new: value,
  abs: num,
  rel: num,
  direction: z.enum(["higher", "lower"]),
  directionSource: z.enum(["config", "inferred", "default"]),
  status: z.enum(["improved", "regressed", "unchanged", "added", "removed", "changed"]),
  withinNoise: z.boolean().optional(),
  unavailable: z.enum(["base", "head"]).optional(),
});

const paramRow = z.strictObject({
  path: str(),
  key: str(),
  old: value,
  new: value,
  status: z.enum(["changed", "added", "removed", "unchanged"]),
  unavailable: z.enum(["base", "head"]).optional(),
});

const count = z.number().int().nonnegative();
const diffSchema = z.strictObject({
  metrics: z.array(metricRow).max(100_000),
  params: z.array(paramRow).max(100_000),
  counts: z.strictObject({
    improved: count,
    regressed: count,
    unchanged: count,
    added: count,
    removed: count,
    changed: count,
    unavailable: count.optional(),
  }),
  problems: z
    .array(
      z.strictObject({
        side: z.enum(["base", "head"]),
        path: str(),
        kind: z.enum(["missing", "unreadable", "not-in-cache", "parse-error"]),
        message: str(),
      }),
    )
    .max(10_000),
});

const plotRows = z.array(z.record(str(256), z.union([z.number(), str(256)]))).max(100_000);
const plotSchema = z.strictObject({
  id: str(),
  path: str(),
  x: str(256),
  y: z.array(str(256)).max(50),
  title: str().optional(),
  template: str(256).optional(),
  base: plotRows.nullable(),
  head: plotRows.nullable(),
});

const stage = z.looseObject({ name: str(), status: z.enum(["ran", "skipped", "failed", "blocked"]) });
const runSchema = z.looseObject({ version: z.literal(1), stages: z.array(stage).max(10_000) });

const bundleSchema = z.strictObject({
  version: z.literal(BUNDLE_VERSION),
  kind: z.literal("mlci-report-bundle"),
  reportId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
  repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
  pullRequest: z.number().int().positive(),
  headSha: sha,
  base: z.strictObject({ ref: str(), sha }),
  head: z.strictObject({ ref: str(), sha }),
  createdAt: str(64),
  diff: diffSchema,
  plots: z.array(plotSchema).max(200),
  run: runSchema.optional(),
  // Checked with the gate's and the data check's own strict parsers when posted.
  gate: z.unknown().optional(),
  data: z.unknown().optional(),
});

/** Parses and validates an untrusted bundle; throws MlciError("INPUT") naming the first bad key. */
export function parseReportBundle(text: string, file: string): ReportBundle {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new MlciError("INPUT", `the report bundle is not valid JSON: ${(e as Error).message}`, {
      location: { file },
    });
  }
  const res = bundleSchema.safeParse(data);
  if (!res.success) {
    const issue = res.error.issues[0];
    const key = issue?.path.map(String).join(".") ?? "";
    throw new MlciError(
      "INPUT",
      `the report bundle is not a valid mlci bundle: ${issue?.message ?? "invalid"}`,
      {
        location: { file, key },
      },
    );
  }
  return res.data as ReportBundle;
}
