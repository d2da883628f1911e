import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { clean } from "@mlci/app";
import { ExitCode, MlciError, writeFileAtomic } from "@mlci/common";
import { DEFAULT_SCHEMA_PATH, inferSchema, profileDataset, resolveSources } from "@mlci/data";
import type { Command } from "../command";
import { needData, scanHelp, scanOptions, str } from "./profile";

export const schemaInferCommand: Command = {
  name: "schema infer",
  summary:
    "Write a starting data schema (.mlci/schema.yml) from data: types, nulls, bounds, categories, unique ids",
  usage: "mlci schema infer <data...> [-o <schema.yml>|-] [--force] [--max-categories <n>]",
  examples: ["mlci schema infer data/train.csv", "mlci schema infer data/ -o - | less"],
  options: {
    output: { type: "string", short: "o" },
    force: { type: "boolean", short: "f" },
    "max-categories": { type: "string" },
    parallel: { type: "string", short: "p" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    output: `where to write the schema (default ${DEFAULT_SCHEMA_PATH}; - for stdout)`,
    force: "replace an existing schema file",
    "max-categories": "a text column with at most this many distinct values becomes a category (default 20)",
    ...scanHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const cwd = resolve(ctx.cwd, str(values.cwd) ?? ".");
    const out = str(values.output) ?? DEFAULT_SCHEMA_PATH;
    const file = resolve(cwd, out);
    if (out !== "-" && existsSync(file) && values.force !== true) {
      throw new MlciError("INPUT", `${out} exists already`, {
        location: { file: out },
        hint: "pass --force to replace it, or -o - to print the inferred schema",
      });
    }
    const maxText = str(values["max-categories"]);
    const maxCategories = maxText === undefined ? undefined : Number(maxText);
    if (maxCategories !== undefined && !(Number.isInteger(maxCategories) && maxCategories >= 0)) {
      throw new MlciError("INPUT", `--max-categories must be a whole number, not "${maxText}"`);
    }
    const sources = await resolveSources(needData(positionals, "schema infer"), { cwd });
    const scan = scanOptions(values, ctx);
    let yaml: string;
    try {
      const profile = await profileDataset(sources, scan);
      yaml = inferSchema(profile, maxCategories === undefined ? {} : { maxCategories });
    } finally {
      scan.finish();
    }
    if (out === "-") ctx.stdout(yaml);
    else {
      await writeFileAtomic(file, yaml);
      ctx.stdout(`Schema written to ${clean(out, 200)}: review it, then commit it.\n`);
    }
    return ExitCode.OK;
  },
};
