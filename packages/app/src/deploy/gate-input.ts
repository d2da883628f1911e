import { lstat, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { MlciError } from "@mlci/common";

const MAX_RESULT_BYTES = 16 * 1024 * 1024;

/**
 * The gate result a deploy step was given: the JSON itself (the gate job's `result-json` output)
 * or a path to the file the gate action wrote. Refuses (MlciError "FAILED") when there is none:
 * without a gate result a deployment may not start.
 */
export async function readGateResultInput(value: string, cwd: string): Promise<string> {
  const text = value.trim();
  if (text === "") {
    throw new MlciError("FAILED", "no gate result was given, so the deployment may not start", {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, shown to the user
      hint: "pass the gate job's output: `gate-result: ${{ needs.gate.outputs.result-json }}`",
    });
  }
  if (text.startsWith("{")) return text;
  const path = resolve(cwd, text);
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile()) {
    throw new MlciError(
      "FAILED",
      `the gate result ${path} ${info ? "is not a regular file" : "does not exist"}, so the deployment may not start`,
      { hint: "pass the gate result JSON, or the path of the file the gate action wrote in this job" },
    );
  }
  if (info.size > MAX_RESULT_BYTES) {
    throw new MlciError(
      "FAILED",
      `the gate result ${path} is ${info.size} bytes; at most ${MAX_RESULT_BYTES}`,
    );
  }
  return readFile(path, "utf8");
}
