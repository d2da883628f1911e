import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderReport } from "./render-report";
import { GOLDEN_MODELS } from "./testing/golden-models";
import { largeModel } from "./testing/model-builders";

// Full reports for realistic cases, reviewed like code. `UPDATE_GOLDEN=1 npx vitest run
// packages/report` rewrites them after an intended change; read the diff before committing.
const GOLDEN_DIR = fileURLToPath(new URL("./__golden__/", import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";

describe("golden reports", () => {
  for (const [name, build] of Object.entries(GOLDEN_MODELS)) {
    it(`${name}.md`, () => {
      const { markdown, omitted } = renderReport(build());
      expect(omitted).toEqual([]);
      const file = `${GOLDEN_DIR}${name}.md`;
      if (UPDATE) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, markdown);
      }
      expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to create it`).toBe(true);
      expect(markdown).toBe(readFileSync(file, "utf8"));
    });
  }

  it("budget-cut.md: a comment that had to leave detail out", () => {
    const { markdown, omitted } = renderReport(largeModel(300, 12), { maxChars: 8_000 });
    expect(omitted.length).toBeGreaterThan(0);
    const file = `${GOLDEN_DIR}budget-cut.md`;
    if (UPDATE) writeFileSync(file, markdown);
    expect(markdown).toBe(readFileSync(file, "utf8"));
  });
});
