import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MlciError, parseYamlLocated } from "@mlci/common";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { formatBaselineSpec, gatesJsonSchema, parsePolicy, policyNeedsBaseline } from "./policy";

function configError(fn: () => unknown): MlciError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MlciError);
    return e as MlciError;
  }
  throw new Error("expected an MlciError");
}

describe("parsePolicy", () => {
  it("reads rules with defaults filled in and names in camelCase", () => {
    const policy = parsePolicy(
      [
        "version: 1",
        "baseline: registry:model#prod",
        "rules:",
        "  - metric: eval.accuracy",
        "    min: 0.85",
        "  - id: losses",
        '    metric: "eval.*_loss"',
        "    max: 0.5",
        '    max_drop: "5%"',
        "    severity: warn",
        "  - metric: eval.f1",
        "    max_rise: 0.01",
        "    direction: higher",
        "    required: false",
      ].join("\n"),
      ".mlci/gates.yml",
    );
    expect(policy.baseline).toEqual({ kind: "registry", artifact: "model", stage: "prod" });
    expect(policy.allowEmpty).toBe(false);
    expect(policy.rules).toEqual([
      { index: 0, id: "rule 1", metric: "eval.accuracy", min: 0.85, severity: "error", required: true },
      {
        index: 1,
        id: "losses",
        metric: "eval.*_loss",
        max: 0.5,
        maxDrop: { kind: "relative", percent: 5 },
        severity: "warn",
        required: true,
      },
      {
        index: 2,
        id: "rule 3",
        metric: "eval.f1",
        maxRise: { kind: "absolute", value: 0.01 },
        direction: "higher",
        severity: "error",
        required: false,
      },
    ]);
    expect(policyNeedsBaseline(policy)).toBe(true);
  });

  it("splits a path-qualified metric, or takes the file from `file`", () => {
    const policy = parsePolicy(
      'version: 1\nrules:\n  - metric: "./reports/metrics.json:eval.acc"\n    min: 0\n  - metric: "a:b"\n    file: m.json\n',
      "g.yml",
    );
    expect(policy.rules[0]).toMatchObject({ file: "reports/metrics.json", metric: "eval.acc" });
    expect(policy.rules[1]).toMatchObject({ file: "m.json", metric: "a:b" });
  });

  it("reads every baseline form and defaults to base", () => {
    const spec = (b?: string) =>
      parsePolicy(`version: 1\n${b ? `baseline: "${b}"\n` : ""}rules: []\n`, "g.yml").baseline;
    expect(spec()).toEqual({ kind: "base" });
    expect(spec("file:baselines/prod.json")).toEqual({ kind: "file", path: "baselines/prod.json" });
    expect(spec("registry:models/cv:resnet#staging")).toEqual({
      kind: "registry",
      artifact: "models/cv:resnet",
      stage: "staging",
    });
    expect(formatBaselineSpec({ kind: "registry", artifact: "model", stage: "prod" })).toBe(
      "registry:model#prod",
    );
    const err = configError(() => spec("main"));
    expect(err.location).toMatchObject({ file: "g.yml", line: 2, key: "baseline" });
  });

  it("accepts the same structure as JSON (the inline action input)", () => {
    const policy = parsePolicy('{"version": 1, "rules": [{"metric": "acc", "max_drop": "2.5%"}]}', "input");
    expect(policy.rules[0]?.maxDrop).toEqual({ kind: "relative", percent: 2.5 });
  });

  it("rejects unknown keys with file, line and key", () => {
    const err = configError(() =>
      parsePolicy(
        "version: 1\nrules:\n  - metric: acc\n    min: 0.8\n  - metric: f1\n    mni: 3\n",
        ".mlci/gates.yml",
      ),
    );
    expect(err.code).toBe("CONFIG");
    expect(err.location).toEqual({ file: ".mlci/gates.yml", line: 5, key: "rules[1]" });
    expect(err.message).toContain("mni");
  });

  it("rejects unknown top-level keys, a wrong version and a missing rules list", () => {
    expect(
      configError(() => parsePolicy("version: 1\nrules: []\npolicy_from: head\n", "g.yml")).message,
    ).toContain("policy_from");
    expect(configError(() => parsePolicy("version: 2\nrules: []\n", "g.yml")).location).toMatchObject({
      line: 1,
      key: "version",
    });
    expect(configError(() => parsePolicy("", "g.yml")).message).toMatch(/version|rules/);
  });

  it("rejects bad amounts, negative limits and min above max", () => {
    const bad = (rule: string) =>
      configError(() => parsePolicy(`version: 1\nrules:\n  - ${rule}\n`, "g.yml"));
    expect(bad('metric: a\n    max_drop: "five"').message).toContain("percentage");
    expect(bad('metric: a\n    max_drop: "five"').location).toMatchObject({
      line: 4,
      key: "rules[0].max_drop",
    });
    expect(bad("metric: a\n    max_rise: -0.1").message).toContain("negative");
    expect(bad("metric: a\n    min: 0.9\n    max: 0.1").location?.key).toBe("rules[0].min");
    expect(bad('metric: a\n    min: "0.8"').location?.key).toBe("rules[0].min");
    expect(bad("metric: a\n    severity: fatal").location?.key).toBe("rules[0].severity");
    expect(bad("metric: a\n    direction: up").location?.key).toBe("rules[0].direction");
    expect(bad('metric: ":acc"').location?.key).toBe("rules[0].metric");
  });

  it("rejects duplicate rule ids", () => {
    const err = configError(() =>
      parsePolicy("version: 1\nrules:\n  - {id: a, metric: x}\n  - {id: a, metric: y}\n", "g.yml"),
    );
    expect(err.location).toMatchObject({ line: 4, key: "rules[1].id" });
  });

  it("reports YAML syntax errors with a line", () => {
    const err = configError(() => parsePolicy("version: 1\nrules: [\n", ".mlci/gates.yml"));
    expect(err.location?.file).toBe(".mlci/gates.yml");
    expect(err.location?.line).toBeGreaterThan(0);
  });
});

describe("gates.schema.json", () => {
  const path = fileURLToPath(new URL("../gates.schema.json", import.meta.url));
  const expected = `${JSON.stringify(gatesJsonSchema(), null, 2)}\n`;

  it("is generated from the zod schema (MLCI_UPDATE_SCHEMAS=1 rewrites it)", () => {
    if (process.env.MLCI_UPDATE_SCHEMAS === "1") writeFileSync(path, expected);
    let committed: unknown;
    try {
      committed = JSON.parse(readFileSync(path, "utf8"));
    } catch {}
    // Compared as data: the formatter may lay the file out differently.
    expect(
      committed,
      "packages/gate/gates.schema.json is stale: run MLCI_UPDATE_SCHEMAS=1 npx vitest run packages/gate",
    ).toEqual(gatesJsonSchema());
  });

  it("validates the documented example and rejects what the parser rejects", () => {
    const validate = new Ajv2020({ strict: false }).compile(gatesJsonSchema());
    const example = [
      "version: 1",
      "baseline: registry:model#prod",
      "rules:",
      "  - metric: eval.accuracy",
      "    min: 0.85",
      '  - metric: "eval.*_loss"',
      "    max: 0.5",
      '    max_drop: "5%"',
      "    severity: warn",
      "  - metric: metrics.json:eval.f1",
      "    max_drop: 0.01",
      "    direction: higher",
      "    required: false",
    ].join("\n");
    expect(validate(parseYamlLocated(example, "g.yml").value), JSON.stringify(validate.errors)).toBe(true);
    expect(() => parsePolicy(example, "g.yml")).not.toThrow();
    for (const bad of [
      { version: 1, rules: [{ metric: "a", mni: 1 }] },
      { version: 1, rules: [{ metric: "a", max_drop: "five" }] },
      { version: 1, baseline: "main", rules: [] },
      { version: 2, rules: [] },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("describes the file as written: snake_case keys, strict objects", () => {
    const js = gatesJsonSchema() as {
      $id: string;
      additionalProperties: boolean;
      properties: Record<
        string,
        { items?: { properties: Record<string, unknown>; additionalProperties: boolean } }
      >;
    };
    expect(js.$id).toBe("https://mlci.dev/schemas/gates.schema.json");
    expect(js.additionalProperties).toBe(false);
    const rule = js.properties.rules?.items;
    expect(Object.keys(rule?.properties ?? {})).toEqual(
      expect.arrayContaining([
        "metric",
        "min",
        "max",
        "max_drop",
        "max_rise",
        "severity",
        "required",
        "direction",
      ]),
    );
    expect(rule?.additionalProperties).toBe(false);
  });
});
