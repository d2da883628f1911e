import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataSchemaJsonSchema } from "./schema-file";

const path = join(import.meta.dirname, "..", "..", "..", "..", "docs", "schemas", "schema.schema.json");

describe("docs/schemas/schema.schema.json", () => {
  // Compared as JSON, so that the file may be formatted by Biome (`npx biome format --write docs/schemas`).
  it("is generated from the zod schema (MLCI_UPDATE_SCHEMAS=1 rewrites it)", () => {
    const expected = dataSchemaJsonSchema();
    if (process.env.MLCI_UPDATE_SCHEMAS === "1")
      writeFileSync(path, `${JSON.stringify(expected, null, 2)}\n`);
    const actual = JSON.parse(readFileSync(path, "utf8"));
    expect(actual, "stale: run MLCI_UPDATE_SCHEMAS=1 npx vitest run packages/data/src/schema").toEqual(
      expected,
    );
  });
});
