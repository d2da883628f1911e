/**
 * The configuration files mlci reads, each parsed with the parser its package uses, so a mistake
 * shows here with its file, line and key instead of in the middle of a CI run.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatLocation, MlciError } from "@mlci/common";
import { parseDataSchema } from "@mlci/data";
import { parsePolicy } from "@mlci/gate";
import { parseMlciConfig, parseValuesFile } from "@mlci/metrics";
import { parseDvcYamlText } from "@mlci/pipeline";
import { check, type DoctorCheck } from "./types";

export interface ConfigFile {
  path: string;
  /** What the file holds, in a few words; throws MlciError when it does not parse. */
  describe(text: string, dir: string): Promise<string> | string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const CONFIG_FILES: ConfigFile[] = [
  {
    path: ".mlci/config.yml",
    describe: (text) => {
      const c = parseMlciConfig(text, ".mlci/config.yml");
      return `report id ${c.report.id}, ${plural(c.metrics.files.length, "extra metrics file")}`;
    },
  },
  {
    path: ".mlci/gates.yml",
    describe: (text) => {
      const p = parsePolicy(text, ".mlci/gates.yml");
      return `${plural(p.rules.length, "rule")}`;
    },
  },
  {
    path: ".mlci/schema.yml",
    describe: (text) => `${plural(parseDataSchema(text, ".mlci/schema.yml").columns.length, "column")}`,
  },
  {
    path: "dvc.yaml",
    describe: async (text, dir) => {
      const pipeline = await parseDvcYamlText(text, { root: dir, file: "dvc.yaml" });
      return plural(pipeline.stages.length, "stage");
    },
  },
  {
    path: "params.yaml",
    describe: (text) => {
      const parsed = parseValuesFile("params.yaml", text);
      if (parsed.problem) {
        const line = /^line (\d+): /.exec(parsed.problem.message)?.[1];
        throw new MlciError("CONFIG", parsed.problem.message.replace(/^line \d+: /, ""), {
          location: { file: "params.yaml", ...(line ? { line: Number(line) } : {}) },
        });
      }
      return plural(Object.keys(parsed.values).length, "param");
    },
  },
];

/** Each known config file in `dir`: not there (fine), valid (what it holds), or its problems. */
export async function checkConfigFiles(
  dir: string,
  files: ConfigFile[] = CONFIG_FILES,
): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const file of files) {
    const id = `config:${file.path}`;
    let text: string;
    try {
      text = await readFile(join(dir, file.path), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT")
        out.push(check(id, file.path, "skip", "not found"));
      else out.push(check(id, file.path, "fail", `cannot be read: ${(err as Error).message}`));
      continue;
    }
    try {
      out.push(check(id, file.path, "ok", await file.describe(text, dir)));
    } catch (err) {
      if (!(err instanceof MlciError)) throw err;
      const where = formatLocation(err.location);
      out.push(check(id, file.path, "fail", where ? `${where}: ${err.message}` : err.message, err.hint));
    }
  }
  return out;
}
