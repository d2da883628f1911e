import { lstat, readFile } from "node:fs/promises";
import { MlciError } from "@mlci/common";
import { type ExtraSection, escapeText } from "@mlci/report";
import { parseDataResult } from "./data-result";
import { renderDataSection } from "./data-section";

export interface DataReportSection {
  section: ExtraSection;
  /** Set when the result could not be used: the section says so and the caller must fail. */
  error?: MlciError;
}

const MAX_RESULT_BYTES = 32 * 1024 * 1024;

function unavailable(reason: string, error: MlciError): DataReportSection {
  return {
    section: {
      id: "data",
      title: "Data",
      markdown: `❌ **The data result is unavailable**: ${escapeText(reason, { maxLength: 300 })}. Treat the data check as failed.`,
      keep: true,
    },
    error,
  };
}

/**
 * The data section of the sticky report, from the result file the validate-data action wrote.
 * Fails closed, as the gate section does: a missing, oversized or invalid file gives a section
 * saying the result is unavailable and an error the report action raises after posting.
 */
export async function dataReportSection(path: string): Promise<DataReportSection> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile()) {
    const why = info ? `${path} is not a regular file` : `${path} does not exist`;
    return unavailable(
      why,
      new MlciError("NOT_FOUND", `the data result is unavailable: ${why}`, {
        hint: "pass the validate-data action's `result-path` output, from a step that ran in this job",
      }),
    );
  }
  if (info.size > MAX_RESULT_BYTES) {
    const why = `${path} is ${info.size} bytes; at most ${MAX_RESULT_BYTES} are accepted`;
    return unavailable(why, new MlciError("INPUT", `the data result is unavailable: ${why}`));
  }
  try {
    const result = parseDataResult(await readFile(path, "utf8"), path);
    return { section: { id: "data", title: "Data", markdown: renderDataSection(result), keep: true } };
  } catch (err) {
    const error =
      err instanceof MlciError
        ? err
        : new MlciError("INPUT", `${path} cannot be read: ${(err as Error).message}`);
    return unavailable(error.message, error);
  }
}
