import { hostname } from "node:os";
import { resolve } from "node:path";
import { cancelOnSignals, cleanTail, reproduce, writeRunRecord } from "@mlci/app";
import { checkWritable, ExitCode, MlciError } from "@mlci/common";
import { Git } from "@mlci/git";
import { formatDuration } from "@mlci/report";
import type { CliContext, Command } from "../command";
import { printShardPlan } from "./sweep";

async function headSha(root: string): Promise<string | undefined> {
  try {
    return await new Git(root).revParse("HEAD");
  } catch {
    return undefined;
  }
}

/** Stage headers and output as `dvc repro` shows them; output keeps its stream. */
function printer(ctx: CliContext) {
  let atLineStart = true;
  return {
    onStageStart(name: string, why: string, commands: string[]) {
      ctx.stdout(`Running stage '${name}' (${why}):\n${commands.map((c) => `> ${c}\n`).join("")}`);
    },
    onOutput(_stage: string, stream: "stdout" | "stderr", chunk: string) {
      if (chunk === "") return;
      (stream === "stdout" ? ctx.stdout : ctx.stderr)(chunk);
      atLineStart = chunk.endsWith("\n");
    },
    onStageEnd(rec: { name: string; status: string; reason?: string; durationMs?: number }) {
      if (!atLineStart) ctx.stdout("\n");
      atLineStart = true;
      if (rec.status === "ran")
        ctx.stdout(`Stage '${rec.name}' done in ${formatDuration(rec.durationMs)}.\n\n`);
      else if (rec.status === "skipped") ctx.stdout(`Stage '${rec.name}' skipped: ${rec.reason ?? ""}\n`);
      else if (rec.status === "blocked") ctx.stdout(`Stage '${rec.name}' not run: ${rec.reason ?? ""}\n`);
    },
    onGpu: (m: string, recording: boolean) => {
      if (recording) ctx.stderr(`${m}\n`);
    },
  };
}

export const reproCommand: Command = {
  name: "repro",
  summary: "Run the dvc.yaml pipeline stages that changed, in order, and update dvc.lock (as `dvc repro`)",
  usage:
    "mlci repro [targets...] [--force] [--downstream] [--dry-run] [--run-record <file>] [--gpu] [--require-gpu] | mlci repro --plan --shards <N> [targets...]",
  examples: [
    "mlci repro",
    "mlci repro train --force",
    "mlci repro prepare --downstream --run-record mlci-run.json --gpu",
    "mlci repro --plan --shards 4 train",
  ],
  options: {
    force: { type: "boolean", short: "f" },
    downstream: { type: "boolean" },
    "dry-run": { type: "boolean" },
    "run-record": { type: "string" },
    gpu: { type: "boolean" },
    "require-gpu": { type: "boolean" },
    cwd: { type: "string", short: "C" },
    plan: { type: "boolean" },
    shards: { type: "string" },
  },
  optionHelp: {
    force: "run the selected stages (the targets and their upstream) even when nothing changed",
    downstream: "run the targets and the stages that depend on them (instead of their upstream)",
    "dry-run": "say what would run, and why; run and write nothing",
    "run-record": "write the run record (JSON, docs/formats.md) to this file",
    gpu: "record GPU telemetry (the default does when nvidia-smi is on PATH)",
    "require-gpu": "fail before running when no GPU is available",
    cwd: "run as if started in this directory",
    plan: "run nothing: print the JSON for a GitHub Actions strategy.matrix that splits foreach/matrix runs over shards",
    shards: "with --plan: the most shards to use",
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (values.plan === true) return printShardPlan(values, positionals, ctx);
    if (values.shards !== undefined) throw new MlciError("INPUT", "--shards goes with --plan");
    const root = resolve(ctx.cwd, (values.cwd as string | undefined) ?? ".");
    const dryRun = values["dry-run"] === true;
    const sha = await headSha(root);
    const recordPath =
      values["run-record"] && !dryRun ? resolve(ctx.cwd, values["run-record"] as string) : null;
    // Before any stage runs: a run record that cannot be written should not cost a training run.
    if (recordPath) checkWritable(recordPath);
    // Ctrl-C stops the running stage (its process group gets SIGINT) and records the run; twice quits.
    const cancel = dryRun
      ? null
      : cancelOnSignals((sig) =>
          ctx.stderr(`\nmlci: ${sig}: stopping the running stage (again to quit at once)\n`),
        );
    const { record, pipeline, cancelled } = await reproduce({
      root,
      targets: positionals,
      force: values.force === true,
      downstream: values.downstream === true,
      dryRun,
      env: ctx.env,
      gpu: {
        mode: values.gpu ? "true" : "auto",
        require: values["require-gpu"] === true,
        ...(ctx.env.CUDA_VISIBLE_DEVICES !== undefined
          ? { cudaVisibleDevices: ctx.env.CUDA_VISIBLE_DEVICES }
          : {}),
        ...(ctx.env.PATH !== undefined ? { path: ctx.env.PATH } : {}),
      },
      hooks: printer(ctx),
      facts: {
        ...(sha ? { sha } : {}),
        runner: { name: hostname(), os: process.platform, arch: process.arch },
      },
      ...(cancel ? { signal: cancel.signal } : {}),
    }).finally(() => cancel?.dispose());
    if (recordPath) {
      await writeRunRecord(recordPath, record);
      ctx.stderr(`wrote ${values["run-record"] as string}\n`);
    }
    if (cancelled) {
      const { signal, stopped } = cancelled;
      ctx.stderr(
        `mlci: the run was cancelled (${signal})${stopped ? `: stage '${stopped}' was stopped` : ""}; the stages that finished are in dvc.lock\n`,
      );
      return ExitCode.CANCELLED;
    }
    const count = (s: string) => record.stages.filter((x) => x.status === s).length;
    const ran = count("ran");
    if (dryRun) {
      const would = record.stages.filter((s) => s.reason?.startsWith("dry run")).length;
      ctx.stdout(`Dry run: ${would} stage${would === 1 ? "" : "s"} would run.\n`);
    } else if (ran === 0 && record.success) {
      ctx.stdout("Data and pipelines are up to date.\n");
    } else {
      const lock = pipeline?.lockWritten ? " dvc.lock updated." : "";
      ctx.stdout(`${ran} ran, ${count("skipped")} skipped in ${formatDuration(record.durationMs)}.${lock}\n`);
    }
    const failed = record.stages.find((s) => s.status === "failed");
    if (!failed) return ExitCode.OK;
    const tail = cleanTail(failed.logTail, 50);
    const blocked = record.stages.filter((s) => s.status === "blocked").map((s) => s.name);
    ctx.stderr(
      [
        `mlci: stage '${failed.name}' failed: ${failed.reason ?? "failed"}`,
        ...(blocked.length ? [`  not run because of it: ${blocked.join(", ")}`] : []),
        ...(tail.length
          ? [`  last ${tail.length} lines of its output:`, ...tail.map((l) => `  | ${l}`)]
          : []),
        "",
      ].join("\n"),
    );
    return ExitCode.FAILED;
  },
};
