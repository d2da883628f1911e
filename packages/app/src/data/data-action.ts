import { join, posix, relative, resolve, sep } from "node:path";
import { MlciError } from "@mlci/common";
import { DEFAULT_PROFILE_PATH } from "@mlci/data";
import type { Git } from "@mlci/git";
import { type DataAnnotation, dataAnnotations } from "./annotations";
import type { DataResult } from "./data-result";
import { renderDataSection } from "./data-section";
import { validateData } from "./validate-data";

export interface ValidateDataActionInputs {
  data: string[];
  schema: string;
  reference: string;
  profilePath: string;
  failOnError: boolean;
  failOnDrift: boolean;
  workingDirectory: string;
  /** Default: `$RUNNER_TEMP/mlci-data/data-result.json`. */
  resultPath: string;
}

export interface ValidateDataActionDeps {
  inputs: ValidateDataActionInputs;
  /** The checkout (GITHUB_WORKSPACE): annotation paths are relative to it. */
  workspace: string;
  runnerTemp: string;
  gitFor: (dir: string) => Git;
  appendSummary: (markdown: string) => Promise<void>;
  log: { info(m: string): void; warning(m: string): void };
  annotate: (a: DataAnnotation) => void;
  parallelism?: number;
  workerUrl?: URL;
}

export interface ValidateDataActionOutputs {
  passed: string;
  drifted: string;
  driftShare: string;
  profilePath: string;
  resultPath: string;
}

export interface ValidateDataActionOutcome {
  outputs: ValidateDataActionOutputs;
  result: DataResult;
  /** Set when the step must fail: the checks failed (and fail-on-error), or drift (and fail-on-drift). */
  failure?: MlciError;
}

const toPosix = (p: string): string => p.split(sep).join("/");

async function registryGit(
  deps: ValidateDataActionDeps,
  root: string,
): Promise<{ git: Git; prefix: string }> {
  const git = deps.gitFor(root);
  if (!(await git.isRepo())) {
    throw new MlciError("NOT_FOUND", `${root} is not a git repository`, {
      hint: "a registry: reference is read from the registry's tags; check out the repository with fetch-depth: 0",
    });
  }
  const top = await git.topLevel();
  return { git: deps.gitFor(top), prefix: toPosix(relative(top, root)) };
}

/** What the step fails for, if anything. */
function failureOf(result: DataResult, inputs: ValidateDataActionInputs): MlciError | undefined {
  const reasons: string[] = [];
  if (!result.passed && inputs.failOnError) {
    const { errors, warnings } = result.check;
    reasons.push(`the data check failed: ${errors} error(s)${warnings ? `, ${warnings} warning(s)` : ""}`);
  }
  if (result.drifted && inputs.failOnDrift && result.drift) {
    const n = result.drift.columns.filter((c) => c.drifted).length;
    reasons.push(`the data drifted: ${n} of ${result.drift.columns.length} columns`);
  }
  return reasons.length ? new MlciError("FAILED", reasons.join("; ")) : undefined;
}

/**
 * The validate-data action: validate and profile in one pass, compare with the reference, write
 * the profile and the result, annotate the first failures, and write the job summary.
 */
export async function runValidateDataAction(
  deps: ValidateDataActionDeps,
): Promise<ValidateDataActionOutcome> {
  const { inputs } = deps;
  const root = resolve(deps.workspace, inputs.workingDirectory || ".");
  const isRegistry = inputs.reference.trim().startsWith("registry:");
  const reg = isRegistry ? await registryGit(deps, root) : undefined;
  const resultPath = inputs.resultPath.trim()
    ? resolve(root, inputs.resultPath)
    : join(deps.runnerTemp, "mlci-data", "data-result.json");
  const started = Date.now();
  const outcome = await validateData({
    cwd: root,
    data: inputs.data,
    schema: inputs.schema,
    reference: inputs.reference,
    ...(reg ? { git: reg.git, referenceProfilePath: posix.join(reg.prefix, DEFAULT_PROFILE_PATH) } : {}),
    profilePath: inputs.profilePath,
    resultPath,
    ...(deps.parallelism ? { parallelism: deps.parallelism } : {}),
    ...(deps.workerUrl ? { workerUrl: deps.workerUrl } : {}),
  });
  const { result } = outcome;
  for (const note of outcome.notes) deps.log.info(note);
  deps.log.info(
    `read ${result.data.rows} rows in ${result.data.files.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const failure = failureOf(result, inputs);
  // setFailed adds one more error annotation, and a drift warning one more warning: keep within 10.
  const drifted = result.drifted === true;
  const annotations = dataAnnotations(result, {
    repoPath: (p) => toPosix(relative(deps.workspace, resolve(root, p))),
    maxErrors: failure ? 9 : 10,
    maxWarnings: drifted ? 9 : 10,
  });
  for (const a of annotations) deps.annotate(a);
  if (drifted && result.drift) {
    const n = result.drift.columns.filter((c) => c.drifted).length;
    deps.annotate({
      level: "warning",
      title: "mlci data: drift",
      message: `the data drifted against ${result.reference?.path ?? "the reference"}: ${n} of ${result.drift.columns.length} columns`,
    });
  }
  await deps.appendSummary(`## mlci data\n\n${renderDataSection(result, { maxChars: 400_000 })}\n`);
  return {
    outputs: {
      passed: String(result.passed),
      drifted: result.drifted === null ? "false" : String(result.drifted),
      driftShare: result.driftShare === null ? "" : String(result.driftShare),
      profilePath: outcome.profileFile ?? "",
      resultPath,
    },
    result,
    ...(failure ? { failure } : {}),
  };
}
