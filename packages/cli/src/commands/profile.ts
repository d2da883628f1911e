import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { clean, progressBar, renderProfileText, type ScanProgress } from "@mlci/app";
import { ExitCode, MlciError } from "@mlci/common";
import {
  DEFAULT_PROFILE_PATH,
  defaultWorkerUrl,
  mergeAllProfiles,
  type Profile,
  profileDataset,
  readProfile,
  resolveSources,
  writeProfile,
} from "@mlci/data";
import type { CliContext, Command } from "../command";

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

/** `--parallel N` (default: the cores, at most 4); 1 reads on the main thread. */
export function parallelOf(v: unknown): number {
  if (v === undefined) return Math.min(4, availableParallelism());
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new MlciError("INPUT", `--parallel must be a whole number from 1 to 256, not "${String(v)}"`);
  }
  return n;
}

/** What every command that reads data passes to the scan: workers, and a progress bar on a terminal. */
export function scanOptions(
  values: Record<string, unknown>,
  ctx: CliContext,
): {
  parallelism: number;
  workerUrl?: URL;
  onProgress?: (p: ScanProgress) => void;
  finish: () => void;
} {
  const workerUrl = defaultWorkerUrl();
  const bar = ctx.isTTY ? progressBar(ctx.stderr) : undefined;
  return {
    parallelism: parallelOf(values.parallel),
    ...(workerUrl ? { workerUrl } : {}),
    ...(bar ? { onProgress: (p: ScanProgress) => bar.update(p) } : {}),
    finish: () => bar?.done(),
  };
}

export const scanHelp = {
  parallel: "worker threads reading byte ranges of large CSV/TSV files (default: the cores, at most 4)",
  cwd: "run as if started in this directory",
};

export function needData(positionals: string[], command: string): string[] {
  if (positionals.length === 0) {
    throw new MlciError("INPUT", `mlci ${command} needs data: files, folders or globs`, {
      hint: `for example: mlci ${command} data/train.csv`,
    });
  }
  return positionals;
}

/** Writes a profile to a file, or to stdout for `-`. */
export async function emitProfile(
  ctx: CliContext,
  cwd: string,
  out: string,
  profile: Profile,
): Promise<void> {
  if (out === "-") ctx.stdout(`${JSON.stringify(profile)}\n`);
  else await writeProfile(resolve(cwd, out), profile);
}

export const profileCommand: Command = {
  name: "profile",
  summary:
    "Profile a data set in one streaming pass: counts, types, moments, quantiles, distinct values (mergeable JSON)",
  usage: "mlci profile <data...> [-o <profile.json>|-] [--parallel <n>]",
  examples: [
    "mlci profile data/train.csv",
    "mlci profile 'data/**/*.csv.gz' -o mlci-profile.json --parallel 4",
    "mlci profile data/part-3.parquet -o - > part-3.json",
  ],
  options: {
    output: { type: "string", short: "o" },
    parallel: { type: "string", short: "p" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    output: `where to write the profile (default ${DEFAULT_PROFILE_PATH}; - for stdout)`,
    ...scanHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const cwd = resolve(ctx.cwd, str(values.cwd) ?? ".");
    const sources = await resolveSources(needData(positionals, "profile"), { cwd });
    const scan = scanOptions(values, ctx);
    let profile: Profile;
    try {
      profile = await profileDataset(sources, scan);
    } finally {
      scan.finish();
    }
    const out = str(values.output) ?? DEFAULT_PROFILE_PATH;
    await emitProfile(ctx, cwd, out, profile);
    if (out !== "-") ctx.stdout(`${renderProfileText(profile)}\nProfile written to ${clean(out, 200)}\n`);
    return ExitCode.OK;
  },
};

export const profileMergeCommand: Command = {
  name: "profile merge",
  summary: "Merge the profiles of parts of a data set into the profile of the whole (as one pass would give)",
  usage: "mlci profile merge <profiles...> [-o <out.json>|-]",
  examples: ["mlci profile merge parts/*.json -o mlci-profile.json"],
  options: { output: { type: "string", short: "o" }, cwd: { type: "string", short: "C" } },
  optionHelp: {
    output: "where to write the merged profile (default: stdout)",
    cwd: "run as if started in this directory",
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const cwd = resolve(ctx.cwd, str(values.cwd) ?? ".");
    if (positionals.length === 0) throw new MlciError("INPUT", "mlci profile merge needs profile files");
    const profiles: Profile[] = [];
    for (const p of positionals) profiles.push(await readProfile(resolve(cwd, p)));
    const merged = mergeAllProfiles(profiles);
    const out = str(values.output) ?? "-";
    await emitProfile(ctx, cwd, out, merged);
    if (out !== "-") {
      ctx.stdout(
        `Merged ${profiles.length} profiles: ${renderProfileText(merged)}\nProfile written to ${clean(out, 200)}\n`,
      );
    }
    return ExitCode.OK;
  },
};
