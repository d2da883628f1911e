/**
 * The report as GitHub-flavoured markdown within a size budget: `renderReport` for the sticky PR
 * comment, `renderSummary` for the job summary. Pure: posting or writing is someone else's step.
 */
import { MlciError } from "@mlci/common";
import { codeSpan, link, safeUrl } from "./escape";
import { formatCount } from "./format-number";
import { type Measure, utf8Length, utf16Length } from "./measured-table";
import type { RenderedReport, RenderOptions, ReportModel } from "./model";
import { fitPlan, hardCut, type NoteContext, omittedItems, renderPlan } from "./report-layout";
import { prepareParts } from "./report-parts";
import { renderVerdictLine } from "./verdict";

/** GitHub rejects issue and PR comment bodies longer than this (UTF-16 code units). */
export const COMMENT_LIMIT = 65_536;

/** `$GITHUB_STEP_SUMMARY` takes 1 MiB per step. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Room left in the step summary for anything else the step writes (annotations, other tools). */
export const SUMMARY_MARGIN_BYTES = 32 * 1024;

interface Budget {
  max: number;
  measure: Measure;
  limitLabel: string;
  /** Whether the job summary is "elsewhere" (true for the comment, false for the summary itself). */
  pointToSummary: boolean;
}

function fullReportAt(model: ReportModel, pointToSummary: boolean): string {
  const places: string[] = [];
  const summaryUrl = model.links?.summaryUrl;
  if (pointToSummary && summaryUrl && safeUrl(summaryUrl))
    places.push(`the ${link("job summary", summaryUrl)}`);
  if (model.links?.reportFile) places.push(codeSpan(model.links.reportFile, { context: "prose" }));
  return places.join(" and ");
}

function render(model: ReportModel, budget: Budget): RenderedReport {
  if (!Number.isInteger(budget.max) || budget.max <= 0) {
    throw new MlciError("INPUT", `the report size limit must be a positive whole number, got ${budget.max}`, {
      location: { key: budget.measure === utf8Length ? "maxBytes" : "maxChars" },
    });
  }
  const parts = prepareParts(model, renderVerdictLine(model.diff), budget.measure, {
    summaryLinkInFooter: budget.pointToSummary,
  });
  const note: NoteContext = {
    limitLabel: budget.limitLabel,
    fullReportAt: fullReportAt(model, budget.pointToSummary),
  };
  const plan = fitPlan(parts, note, budget.max, budget.measure);
  const omitted = omittedItems(parts, plan);
  let markdown = renderPlan(parts, plan, note);
  // Only when even the verdict, the keep sections and the problems exceed the budget.
  if (budget.measure(markdown) > budget.max) {
    markdown = hardCut(markdown, budget.max, budget.measure, note.fullReportAt);
    omitted.push("the end of the report (cut at the size limit)");
  }
  return { markdown, omitted, truncated: omitted.length > 0 };
}

/**
 * The sticky PR comment. Stays within `maxChars` UTF-16 code units (default 65,536, GitHub's
 * comment limit); when the full report is longer, detail is dropped in the order in the README.
 */
export function renderReport(model: ReportModel, options: RenderOptions = {}): RenderedReport {
  const max = options.maxChars ?? COMMENT_LIMIT;
  const limitLabel =
    max === COMMENT_LIMIT
      ? `GitHub's ${formatCount(COMMENT_LIMIT)}-character comment limit`
      : `the ${formatCount(max)}-character limit`;
  return render(model, { max, measure: utf16Length, limitLabel, pointToSummary: true });
}

/** The job summary: the same report with a budget of 1 MiB (UTF-8 bytes) minus a margin. */
export function renderSummary(model: ReportModel, options: { maxBytes?: number } = {}): RenderedReport {
  const max = options.maxBytes ?? SUMMARY_LIMIT_BYTES - SUMMARY_MARGIN_BYTES;
  return render(model, {
    max,
    measure: utf8Length,
    limitLabel: "the job summary's 1 MiB limit",
    pointToSummary: false,
  });
}
