import { describe, expect, it } from "vitest";
import { z } from "zod";
import { configJsonSchema, loadConfigFile, parseConfigFile } from "./config-file";
import { MlciError } from "./errors";

const schema = z.strictObject({
  version: z.literal(1),
  rules: z.array(z.strictObject({ metric: z.string(), min: z.number().optional() })),
});

describe("config files", () => {
  it("returns the typed value", () => {
    const res = parseConfigFile("version: 1\nrules:\n  - metric: acc\n    min: 0.8\n", "g.yml", schema);
    expect(res).toEqual({ ok: true, value: { version: 1, rules: [{ metric: "acc", min: 0.8 }] } });
  });

  it("names file, line and key for each problem", () => {
    const text = "version: 1\nrules:\n  - metric: acc\n    min: high\n  - metric: f1\n    mni: 3\n";
    const res = parseConfigFile(text, ".mlci/gates.yml", schema);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problems.map((p) => [p.line, p.key])).toEqual([
      [4, "rules[0].min"],
      [5, "rules[1]"],
    ]);
    expect(res.problems[0]?.message).toMatch(/number/);
  });

  it("throws one MlciError with a location for YAML syntax errors", () => {
    try {
      loadConfigFile("version: 1\nrules: [\n", "x.yml", schema);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MlciError);
      expect((e as MlciError).location?.file).toBe("x.yml");
      expect((e as MlciError).location?.line).toBeGreaterThan(0);
    }
  });

  it("generates a JSON Schema", () => {
    const js = configJsonSchema(schema, { id: "https://mlci.dev/schema/x.json", title: "x" });
    expect(js.title).toBe("x");
    expect((js.properties as Record<string, unknown>).rules).toBeDefined();
  });
});
