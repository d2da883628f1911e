import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { profileDataset, validateDataset } from "../scan/scan-dataset";
import { generateTable } from "../test-support/generate";
import { tempDir, writeSource } from "../test-support/temp-files";
import { inferSchema } from "./infer";
import { parseDataSchema } from "./schema-file";

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe("schema inference", () => {
  it("writes a schema the same data passes", async () => {
    const src = writeSource(dir, "d.csv", generateTable(3000, 4).text);
    const text = inferSchema(await profileDataset([src]));
    expect(text).toContain("$schema=https://mlci.dev/schemas/schema.schema.json");
    const schema = parseDataSchema(text, "inferred.yml");
    const byName = Object.fromEntries(schema.columns.map((c) => [c.name, c]));
    expect(byName.id).toMatchObject({ type: "integer", unique: true, nullable: false, min: 0, max: 2999 });
    expect(byName.x).toMatchObject({ type: "number", maxNullFraction: 0.05 });
    expect(byName.cat).toMatchObject({
      type: "category",
      allowed: ["blue", "cyan", "green", "magenta", "red"],
    });
    expect(byName.flag?.type).toBe("boolean");
    expect(byName.ts?.type).toBe("timestamp");
    const { check } = await validateDataset([src], schema, { profile: false });
    expect(check.results.filter((r) => !r.passed)).toEqual([]);
  });
});
