import { configJsonSchema, loadConfigFile } from "@mlci/common";
import { z } from "zod";
import type { FileSource } from "./source";

/** Where the project's mlci settings live, relative to the repository root. */
export const CONFIG_FILE = ".mlci/config.yml";
const CONFIG_FILE_ALT = ".mlci/config.yaml";

const pathList = z
  .array(z.string().min(1, "an empty path"))
  .describe("Repo-relative files, folders or globs (picomatch); added to what dvc.yaml declares.");

const direction = z.enum(["higher", "lower"]);

/** An absolute band (`0.001`) or one relative to the old value's magnitude (`"2%"`). */
const noiseBand = z.union([
  z.number().nonnegative("a noise band cannot be negative"),
  z
    .string()
    .regex(/^\s*(\d+(\.\d*)?|\.\d+)\s*%\s*$/, 'write a number (absolute) or a percentage such as "2%"'),
]);

export const mlciConfigSchema = z
  .strictObject({
    version: z.literal(1, "version must be 1").default(1),
    metrics: z
      .strictObject({
        files: pathList.default([]),
        params: pathList.default([]),
        plots: pathList.default([]),
        dvc: z.boolean().default(true).describe("Read metrics, params and plots declared in dvc.yaml files."),
        direction: z
          .record(z.string().min(1), direction)
          .default({})
          .describe(
            "Whether higher or lower is better, per metric key, `path:key`, or glob. Exact names first, then globs in order.",
          ),
        noise: z
          .record(z.string().min(1), noiseBand)
          .default({})
          .describe(
            "A change within this band counts as unchanged. Per metric key, `path:key` or glob; `default` for the rest.",
          ),
      })
      .prefault({}),
    mlflow: z
      .strictObject({
        dir: z.string().min(1).default("mlruns").describe("The MLflow file store folder."),
        experiment: z
          .union([z.string().min(1), z.number().int().nonnegative()])
          .transform(String)
          .optional()
          .describe("Experiment id or name; all experiments when absent."),
        run: z.string().min(1).optional().describe("A fixed run id."),
        select: z
          .enum(["commit", "latest"])
          .optional()
          .describe("commit: the run tagged with the revision's SHA; latest: the latest finished run."),
      })
      .optional()
      .describe("Read metrics and params from an MLflow file store."),
    report: z
      .strictObject({
        id: z
          .string()
          .regex(/^[A-Za-z0-9._-]+$/, "use letters, digits, `.`, `_` and `-`")
          .default("mlci")
          .describe("Tells this report's sticky comment apart from others on the same pull request."),
      })
      .prefault({}),
  })
  .describe("mlci project settings (.mlci/config.yml)");

export type MlciConfig = z.output<typeof mlciConfigSchema>;
export type MlciConfigInput = z.input<typeof mlciConfigSchema>;

/** The settings used when there is no config file. */
export function defaultConfig(): MlciConfig {
  return mlciConfigSchema.parse({});
}

/** Parses the config file's text; throws MlciError("CONFIG") naming file, line and key. */
export function parseMlciConfig(text: string, file = CONFIG_FILE): MlciConfig {
  if (text.trim() === "") return defaultConfig();
  return loadConfigFile(text, file, mlciConfigSchema);
}

/** Reads `.mlci/config.yml` (or `.yaml`) from a source; the defaults when there is none. */
export async function loadMlciConfig(source: FileSource): Promise<MlciConfig> {
  for (const file of [CONFIG_FILE, CONFIG_FILE_ALT]) {
    const bytes = await source.readFile(file);
    if (bytes) return parseMlciConfig(bytes.toString("utf8"), file);
  }
  return defaultConfig();
}

/** The JSON Schema that editors use to complete `.mlci/config.yml`. */
export function mlciConfigJsonSchema(): Record<string, unknown> {
  return configJsonSchema(mlciConfigSchema, {
    id: "https://mlci.dev/schema/config.json",
    title: "mlci configuration",
  });
}
