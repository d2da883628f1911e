import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mlciConfigJsonSchema } from "./config";

const path = join(import.meta.dirname, "..", "..", "..", "docs", "schemas", "config.schema.json");

describe("docs/schemas/config.schema.json", () => {
  it("is generated from the zod schema (MLCI_UPDATE_SCHEMAS=1 rewrites it)", () => {
    const expected = `${JSON.stringify(mlciConfigJsonSchema(), null, 2)}\n`;
    if (process.env.MLCI_UPDATE_SCHEMAS === "1") writeFileSync(path, expected);
    // Compared as data, so the formatter may lay the file out as it likes.
    const actual = JSON.parse(readFileSync(path, "utf8"));
    expect(actual, "stale: run MLCI_UPDATE_SCHEMAS=1 npx vitest run packages/metrics").toEqual(
      JSON.parse(expected),
    );
  });
});
