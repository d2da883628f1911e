import { lstat, readFile } from "node:fs/promises";
import { MlciError } from "@mlci/common";
import { escapeMarkdown, parseGateResult, renderGateMarkdown } from "@mlci/gate";
import type { ExtraSection } from "@mlci/report";

export interface GateReportSection {
  section: ExtraSection;
  /** Set when the result could not be used: the section says so and the caller must fail. */
  error?: MlciError;
}

const MAX_RESULT_BYTES = 16 * 1024 * 1024;

function unavailable(reason: string, error: MlciError): GateReportSection {
  return {
    section: {
      id: "gate",
      title: "Gate",
      markdown: `❌ **The gate result is unavailable**: ${escapeMarkdown(reason)}. Treat the gate as failed.`,
      keep: true,
    },
    error,
  };
}

/**
 * The gate section of the sticky report, from the result file the gate action wrote. Fails
 * closed: a file that is missing, too large or not a valid gate result gives a section saying the
 * result is unavailable, and an error the report action raises after posting.
 */
export async function gateReportSection(path: string): Promise<GateReportSection> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile()) {
    const why = info ? `${path} is not a regular file` : `${path} does not exist`;
    return unavailable(
      why,
      new MlciError("NOT_FOUND", `the gate result is unavailable: ${why}`, {
        hint: "pass the gate action's `result-path` output, from a gate step that ran in this job",
      }),
    );
  }
  if (info.size > MAX_RESULT_BYTES) {
    const why = `${path} is ${info.size} bytes; at most ${MAX_RESULT_BYTES} are accepted`;
    return unavailable(why, new MlciError("INPUT", `the gate result is unavailable: ${why}`));
  }
  try {
    const result = parseGateResult(await readFile(path, "utf8"), path);
    return { section: { id: "gate", title: "Gate", markdown: renderGateMarkdown(result), keep: true } };
  } catch (err) {
    const error =
      err instanceof MlciError
        ? err
        : new MlciError("INPUT", `${path} cannot be read: ${(err as Error).message}`);
    return unavailable(error.message, error);
  }
}
