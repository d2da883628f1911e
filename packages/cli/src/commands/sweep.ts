import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { mergeSweep, planSweep, renderLeaderboard } from "@mlci/app";
import { ExitCode, MlciError } from "@mlci/common";
import type { CliContext, Command } from "../command";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

/**
 * `mlci repro --plan --shards N [targets]`: the JSON for `strategy.matrix` on stdout, on one
 * line so that `echo "matrix=$(mlci repro --plan --shards 4)" >> "$GITHUB_OUTPUT"` works; a
 * summary on stderr.
 */
export async function printShardPlan(
  values: Record<string, unknown>,
  targets: string[],
  ctx: CliContext,
): Promise<number> {
  const text = str(values.shards);
  if (text === undefined) throw new MlciError("INPUT", "--plan needs --shards <N>");
  if (values.downstream === true || values.force === true || values["dry-run"] === true) {
    throw new MlciError("INPUT", "--plan runs nothing: it takes targets and --shards only", {
      hint: "the plan covers the targets and their upstream stages",
    });
  }
  const shards = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  const root = resolve(ctx.cwd, str(values.cwd) ?? ".");
  const plan = await planSweep(root, { shards, targets });
  ctx.stdout(`${JSON.stringify(plan.matrix)}\n`);
  const runs = plan.units.filter((u) => u.kind === "run").length;
  ctx.stderr(
    [
      `${plan.units.length} unit${plan.units.length === 1 ? "" : "s"} (${runs} run${runs === 1 ? "" : "s"}) over ${plan.matrix.include.length} shard${plan.matrix.include.length === 1 ? "" : "s"}`,
      ...(plan.shared.length ? [`every shard also runs their upstream: ${plan.shared.join(", ")}`] : []),
      ...(plan.after.length ? [`run after \`mlci sweep merge\`: ${plan.after.join(", ")}`] : []),
      "",
    ].join("\n"),
  );
  return ExitCode.OK;
}

export const sweepMergeCommand: Command = {
  name: "sweep merge",
  summary: "Merge a sweep's shard results into one dvc.lock and rank the runs by a metric (leaderboard)",
  usage:
    "mlci sweep merge --metric <key> [--lower-is-better | --higher-is-better] [--out <leaderboard.md>] [--json] <shard dirs...>",
  examples: [
    "mlci sweep merge --metric eval.accuracy shards/*",
    "mlci sweep merge --metric eval.log_loss --lower-is-better --out leaderboard.md shard-0 shard-1",
  ],
  options: {
    metric: { type: "string", short: "m" },
    "lower-is-better": { type: "boolean" },
    "higher-is-better": { type: "boolean" },
    target: { type: "string", multiple: true },
    out: { type: "string", short: "o" },
    json: { type: "boolean" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    metric: "the metric that ranks the runs: a flattened key (eval.accuracy) or file:key",
    "lower-is-better":
      "lower values rank first (default: .mlci/config.yml, then the metric's name, then higher)",
    "higher-is-better": "higher values rank first",
    target: "rank only the runs of this stage or foreach/matrix group (repeatable)",
    out: "write the leaderboard section (markdown) to this file",
    json: "print the merge (stages taken, files copied) and the leaderboard as JSON",
    cwd: "the repository (default: the current directory)",
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const metric = str(values.metric);
    if (!metric) throw new MlciError("INPUT", "mlci sweep merge needs --metric <key>");
    if (values["lower-is-better"] && values["higher-is-better"]) {
      throw new MlciError("INPUT", "--lower-is-better and --higher-is-better exclude each other");
    }
    const direction = values["lower-is-better"] ? "lower" : values["higher-is-better"] ? "higher" : undefined;
    const root = resolve(ctx.cwd, str(values.cwd) ?? ".");
    const merged = await mergeSweep({
      root,
      shardDirs: positionals.map((p) => resolve(ctx.cwd, p)),
      metric,
      ...(direction ? { direction } : {}),
      ...(list(values.target).length ? { targets: list(values.target) } : {}),
    });
    const markdown = renderLeaderboard(merged.leaderboard);
    const out = str(values.out);
    if (out) await writeFile(resolve(ctx.cwd, out), markdown);
    if (values.json === true) {
      ctx.stdout(`${JSON.stringify(merged, null, 2)}\n`);
    } else {
      ctx.stdout(
        [
          `Merged ${merged.taken.length} stage entr${merged.taken.length === 1 ? "y" : "ies"} from ${positionals.length} shard${positionals.length === 1 ? "" : "s"} into ${merged.lockFile}${merged.lockWritten ? "" : " (unchanged)"}; copied ${merged.copied.length} output${merged.copied.length === 1 ? "" : "s"}.`,
          ...(merged.missing.length
            ? [
                `Not in the shard results (restore from the DVC cache or remote): ${merged.missing.join(", ")}`,
              ]
            : []),
          ...(merged.ignored.length ? [`Ignored (not in dvc.yaml): ${merged.ignored.join(", ")}`] : []),
          "",
          markdown,
        ].join("\n"),
      );
    }
    if (out) ctx.stderr(`wrote ${out}\n`);
    return ExitCode.OK;
  },
};
