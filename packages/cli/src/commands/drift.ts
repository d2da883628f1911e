import { resolve } from "node:path";
import { type ResolvedReference, renderDriftText, resolveReference } from "@mlci/app";
import { ExitCode, MlciError } from "@mlci/common";
import { compareProfiles, type Profile, profileDataset, readProfile, resolveSources } from "@mlci/data";
import type { Command } from "../command";
import { emitProfile, list, needData, scanHelp, scanOptions, str } from "./profile";
import { registryGit } from "./validate";

/** One `.json` argument is a profile; anything else is data. */
const isProfileArg = (args: string[]): boolean => args.length === 1 && /\.json$/i.test(args[0] ?? "");

export const driftCommand: Command = {
  name: "drift",
  summary:
    "Compare a data set (or its profile) with a reference profile, per column (Evidently's tests); exit 1 on data set drift",
  usage:
    "mlci drift <data...|profile.json> --reference <profile.json|registry:<artifact>#<stage>> [--ignore <column>]... [--json]",
  examples: [
    "mlci drift data/fresh.csv --reference reference-profile.json",
    "mlci drift mlci-profile.json --reference registry:churn#prod --json",
    "mlci drift 'data/2026-11/*.parquet' -r ref.json --ignore id -o fresh-profile.json",
  ],
  options: {
    reference: { type: "string", short: "r" },
    "profile-path": { type: "string" },
    ignore: { type: "string", multiple: true },
    output: { type: "string", short: "o" },
    json: { type: "boolean" },
    parallel: { type: "string", short: "p" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    reference:
      "the reference profile: a file, or registry:<artifact>#<stage> (the profile committed with that version)",
    "profile-path":
      "where profiles are committed in the repository (from its root), for registry references (default mlci-profile.json)",
    ignore: "leave a column out (repeatable), e.g. an id",
    output: "also write the current data's profile to this file (- for stdout)",
    json: "print the drift report JSON (version, driftShare, drifted, columns, skipped)",
    ...scanHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const cwd = resolve(ctx.cwd, str(values.cwd) ?? ".");
    const spec = str(values.reference);
    if (!spec)
      throw new MlciError(
        "INPUT",
        "mlci drift needs --reference <profile.json | registry:<artifact>#<stage>>",
      );
    const args = needData(positionals, "drift");
    const git = await registryGit(cwd, spec);
    const reference: ResolvedReference = await resolveReference(spec, {
      cwd,
      ...(git ? { git } : {}),
      ...(str(values["profile-path"]) ? { profilePath: str(values["profile-path"]) as string } : {}),
    });
    let current: Profile;
    if (isProfileArg(args)) current = await readProfile(resolve(cwd, args[0]!));
    else {
      const { kllK, hllLgK, frequentCapacity, valueCountLimit, sampleSize, nullValues } =
        reference.profile.config;
      const scan = scanOptions(values, ctx);
      try {
        current = await profileDataset(await resolveSources(args, { cwd }), {
          ...scan,
          sketches: { kllK, hllLgK, frequentCapacity, valueCountLimit, sampleSize },
          nullValues,
        });
      } finally {
        scan.finish();
      }
    }
    const ignore = list(values.ignore);
    const drift = compareProfiles(reference.profile, current, ignore.length ? { ignore } : {});
    const out = str(values.output);
    if (out) await emitProfile(ctx, cwd, out, current);
    if (values.json === true) ctx.stdout(`${JSON.stringify(drift, null, 2)}\n`);
    else if (out !== "-") ctx.stdout(`${renderDriftText(drift, reference.path)}\n`);
    if (drift.columns.length === 0) {
      throw new MlciError("INPUT", "no column of the reference profile could be compared with the data", {
        hint: "check that the data is the same kind of data the reference profile was made from",
      });
    }
    return drift.drifted ? ExitCode.FAILED : ExitCode.OK;
  },
};
