import type { RunRecord } from "@mlci/common";
import type { MetricsDiff, PlotDiff } from "@mlci/metrics";

/** One side of the comparison. */
export interface RevisionRef {
  /** What the user asked for: a branch, tag, SHA or `workspace`. */
  ref: string;
  /** Full commit SHA; undefined for the working tree. */
  sha?: string;
}

/**
 * A block rendered by another trusted renderer (the gate result, the data checks). Its markdown
 * is inserted as it is; its title is escaped.
 */
export interface ExtraSection {
  /** `gate`, `data`, or any other name; used only to tell sections apart. */
  id: string;
  title: string;
  markdown: string;
  /** true: shown right after the verdict and never dropped to fit the size budget. */
  keep: boolean;
}

export interface ReportLinks {
  /** The job summary holding the full report (a link to the workflow run's summary page). */
  summaryUrl?: string;
  /** Where the full report was written, e.g. `report.md` in the workflow artifacts. */
  reportFile?: string;
  /** The workflow run; falls back to `run.runUrl`. */
  runUrl?: string;
}

/** Everything one report shows. Plain data: build it, then render it. */
export interface ReportModel {
  /** Names the sticky comment (`<!-- mlci:report:<id> -->`); sanitised to `[A-Za-z0-9._-]`. */
  reportId: string;
  /** Heading text; defaults to "mlci report". */
  title?: string;
  base: RevisionRef;
  head: RevisionRef;
  diff: MetricsDiff;
  plots?: PlotDiff[];
  run?: RunRecord;
  /** ISO timestamp shown in the footer. Passed in (never read from the clock) to keep rendering pure. */
  generatedAt?: string;
  sections?: ExtraSection[];
  links?: ReportLinks;
  /** A short note on how directions and thresholds were chosen; shown under the metrics. */
  policyNote?: string;
}

export interface RenderedReport {
  markdown: string;
  /** What was left out to fit the budget, human-readable (`4,953 unchanged metrics`, `3 charts`). */
  omitted: string[];
  /** true when anything was left out (then `omitted` says what). */
  truncated: boolean;
}

export interface RenderOptions {
  /** Budget in UTF-16 code units, as GitHub counts a comment body (default 65,536). */
  maxChars?: number;
}
