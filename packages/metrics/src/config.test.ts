import { MlciError } from "@mlci/common";
import { describe, expect, it } from "vitest";
import { defaultConfig, loadMlciConfig, mlciConfigJsonSchema, parseMlciConfig } from "./config";
import { memorySource } from "./source";

const FULL = `version: 1
metrics:
  files: ["reports/*.json"]
  params: ["train.yaml"]
  plots: ["plots/*.csv"]
  direction: { "eval.loss": lower, "*.auc": higher }
  noise: { default: 0, "latency_*": "2%", "eval.acc": 0.001 }
mlflow: { experiment: 0 }
report: { id: nightly }
`;

function errorOf(fn: () => unknown): MlciError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MlciError) return e;
    throw e;
  }
  throw new Error("expected an MlciError");
}

describe(".mlci/config.yml", () => {
  it("parses the full example", () => {
    const c = parseMlciConfig(FULL);
    expect(c.metrics).toEqual({
      files: ["reports/*.json"],
      params: ["train.yaml"],
      plots: ["plots/*.csv"],
      dvc: true,
      direction: { "eval.loss": "lower", "*.auc": "higher" },
      noise: { default: 0, "latency_*": "2%", "eval.acc": 0.001 },
    });
    expect(c.mlflow).toEqual({ dir: "mlruns", experiment: "0" });
    expect(c.report).toEqual({ id: "nightly" });
  });

  it("fills defaults for a missing or empty file and for missing sections", async () => {
    const defaults = defaultConfig();
    expect(defaults).toEqual({
      version: 1,
      metrics: { files: [], params: [], plots: [], dvc: true, direction: {}, noise: {} },
      report: { id: "mlci" },
    });
    expect(await loadMlciConfig(memorySource({}))).toEqual(defaults);
    expect(parseMlciConfig("")).toEqual(defaults);
    expect(parseMlciConfig("metrics:\n  files: [a.json]\n").report.id).toBe("mlci");
    expect(await loadMlciConfig(memorySource({ ".mlci/config.yaml": "report: {id: x}\n" }))).toMatchObject({
      report: { id: "x" },
    });
  });

  it("names file, line and key of a bad value", () => {
    const text = "version: 1\nmetrics:\n  direction:\n    eval.loss: down\n";
    const err = errorOf(() => parseMlciConfig(text));
    expect(err.code).toBe("CONFIG");
    expect(err.location).toEqual({ file: ".mlci/config.yml", line: 4, key: "metrics.direction.eval.loss" });
  });

  it("rejects a bad noise band and an unknown key, each with its line", () => {
    const text = 'metrics:\n  noise:\n    acc: "two percent"\n  flies: [a.json]\n';
    const err = errorOf(() => parseMlciConfig(text, ".mlci/config.yml"));
    expect(err.message).toMatch(/2 problems/);
    expect(err.message).toContain(".mlci/config.yml:3 (key `metrics.noise.acc`)");
    expect(err.message).toContain('.mlci/config.yml:1 (key `metrics`): Unrecognized key: "flies"');
    expect(errorOf(() => parseMlciConfig("metrics:\n  noise: { acc: -1 }\n")).location?.line).toBe(2);
  });

  it("rejects version 2 and YAML syntax errors with a line", () => {
    expect(errorOf(() => parseMlciConfig("version: 2\n")).location).toMatchObject({
      line: 1,
      key: "version",
    });
    expect(errorOf(() => parseMlciConfig("metrics:\n  files: [a\n")).location?.line).toBeGreaterThan(0);
  });

  it("has a JSON Schema for editors", () => {
    const schema = mlciConfigJsonSchema();
    expect(schema.$id).toBe("https://mlci.dev/schema/config.json");
    const props = schema.properties as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(props.metrics?.properties ?? {})).toEqual([
      "files",
      "params",
      "plots",
      "dvc",
      "direction",
      "noise",
    ]);
    expect(schema.additionalProperties).toBe(false);
  });
});
