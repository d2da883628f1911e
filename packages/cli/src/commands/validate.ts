import { resolve } from "node:path";
import { renderCheckText, renderDriftText, validateData } from "@mlci/app";
import { ExitCode, MlciError } from "@mlci/common";
import { DEFAULT_SCHEMA_PATH } from "@mlci/data";
import { Git } from "@mlci/git";
import type { Command } from "../command";
import { needData, scanHelp, scanOptions, str } from "./profile";

/** git at the top of the repository holding `dir`, for registry references. */
export async function registryGit(dir: string, reference: string | undefined): Promise<Git | undefined> {
  if (!reference?.startsWith("registry:")) return undefined;
  const git = new Git(dir);
  if (!(await git.isRepo())) {
    throw new MlciError("NOT_FOUND", `${dir} is not inside a git repository`, {
      hint: "a registry reference is read from the repository's tags; run inside the clone or pass -C <dir>",
    });
  }
  return new Git(await git.topLevel());
}

export const validateCommand: Command = {
  name: "validate",
  summary:
    "Check a data set against its schema (.mlci/schema.yml) and profile it in one pass; exit 1 when an error rule fails",
  usage:
    "mlci validate <data...> [--schema <file>] [--reference <profile.json|registry:<artifact>#<stage>>] [-o <profile.json>] [--json]",
  examples: [
    "mlci validate data/train.csv",
    "mlci validate data/ --schema schemas/train.yml --json",
    "mlci validate data/fresh.csv --reference registry:churn#prod -o mlci-profile.json",
  ],
  options: {
    schema: { type: "string", short: "s" },
    reference: { type: "string", short: "r" },
    "profile-path": { type: "string" },
    output: { type: "string", short: "o" },
    json: { type: "boolean" },
    parallel: { type: "string", short: "p" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    schema: `the schema file (default ${DEFAULT_SCHEMA_PATH}; without one, only malformed rows are checked)`,
    reference:
      "also compare with a reference profile: a file, or registry:<artifact>#<stage> (the profile committed with that version)",
    "profile-path":
      "where profiles are committed in the repository (from its root), for registry references (default mlci-profile.json)",
    output: "also write the profile to this file",
    json: "print the data result JSON (the format of the validate-data action's result-path)",
    ...scanHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const cwd = resolve(ctx.cwd, str(values.cwd) ?? ".");
    const reference = str(values.reference);
    const git = await registryGit(cwd, reference);
    const scan = scanOptions(values, ctx);
    let outcome: Awaited<ReturnType<typeof validateData>>;
    try {
      outcome = await validateData({
        cwd,
        data: needData(positionals, "validate"),
        schema: str(values.schema) ?? DEFAULT_SCHEMA_PATH,
        schemaRequired: str(values.schema) !== undefined,
        ...(reference ? { reference } : {}),
        ...(git ? { git } : {}),
        ...(str(values["profile-path"])
          ? { referenceProfilePath: str(values["profile-path"]) as string }
          : {}),
        ...(str(values.output) ? { profilePath: str(values.output) as string } : {}),
        parallelism: scan.parallelism,
        ...(scan.workerUrl ? { workerUrl: scan.workerUrl } : {}),
        ...(scan.onProgress ? { onProgress: scan.onProgress } : {}),
      });
    } finally {
      scan.finish();
    }
    const { result } = outcome;
    if (values.json === true) ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else {
      for (const note of outcome.notes) ctx.stderr(`note: ${note}\n`);
      const text = [renderCheckText(result)];
      if (result.drift) text.push(renderDriftText(result.drift, result.reference?.path));
      ctx.stdout(`${text.join("\n")}\n`);
    }
    return result.passed ? ExitCode.OK : ExitCode.FAILED;
  },
};
