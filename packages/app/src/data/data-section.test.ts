import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataResult } from "./data-result";
import { renderDataSection } from "./data-section";
import { mermaidText } from "./histogram-chart";
import { breakData, DATA_SCHEMA, dataCsv } from "./test-support";
import { validateData } from "./validate-data";

let dir: string;
let realistic: DataResult;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mlci-section-"));
  mkdirSync(join(dir, ".mlci"));
  writeFileSync(join(dir, ".mlci/schema.yml"), DATA_SCHEMA);
  writeFileSync(join(dir, "ref.csv"), dataCsv(5000, { seed: 1 }));
  writeFileSync(join(dir, "cur.csv"), breakData(dataCsv(4000, { seed: 2, shift: 0.5 })).text);
  await validateData({ cwd: dir, data: ["ref.csv"], profilePath: "ref.json" });
  realistic = (
    await validateData({ cwd: dir, data: ["cur.csv"], schema: ".mlci/schema.yml", reference: "ref.json" })
  ).result;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const golden = join(import.meta.dirname, "__golden__", "data-section.md");

describe("the data section", () => {
  it("matches the golden file for a failing, drifting data set (UPDATE_GOLDEN=1 rewrites it)", () => {
    const markdown = `${renderDataSection(realistic)}\n`;
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(join(import.meta.dirname, "__golden__"), { recursive: true });
      writeFileSync(golden, markdown);
    }
    expect(markdown).toBe(readFileSync(golden, "utf8"));
    // What a reviewer needs: counts, file:line examples, the drift table with verdicts, charts.
    expect(markdown).toContain("❌ **Data check failed: 6 errors, 1 warning**");
    expect(markdown).toContain("| ❌ | type | `x` | 1 |");
    expect(markdown).toContain("- `cur.csv:12` value `oops` not a number");
    expect(markdown).toMatch(/🔴 \*\*Data drift: \d of 5 columns drifted/);
    expect(markdown).toMatch(
      /\| 🔴 drift \| `x` \| numeric \| Wasserstein \(norm\.\) \| ≈ 0\.\d+ \| ≥ 0\.1 \|/,
    );
    expect(markdown).toContain("`id` (unique in the schema (an identifier))");
    expect(markdown).toContain('```mermaid\nxychart-beta\n    title "x"');
    // HTML in a value stays text.
    expect(markdown).toContain("value `<b>vip</b>`");
    expect(markdown).not.toMatch(/(^|[^`])<b>vip/);
  });

  it("passes and says so in one line when all is well", async () => {
    writeFileSync(join(dir, "ok.csv"), dataCsv(300, { seed: 9 }));
    const { result } = await validateData({ cwd: dir, data: ["ok.csv"], schema: ".mlci/schema.yml" });
    const markdown = renderDataSection(result);
    expect(markdown).toBe(
      "✅ **Data check passed** (21 rules of `.mlci/schema.yml`; 300 rows, 6 columns, 1 file)",
    );
  });

  it("renders hostile column names, values and file names as plain text", () => {
    const evil = "x|<img src=x onerror=alert(1)>`@admin\n# heading";
    const result: DataResult = structuredClone(realistic);
    const type = result.check.results.find((r) => r.rule === "type" && !r.passed)!;
    type.column = evil;
    type.message = `\`${evil}\`: values must be of type number`;
    type.examples = [{ file: "a|b`c.csv", line: 3, value: "```\n<!-- mlci:report:mlci -->" }];
    const x = result.drift!.columns.find((c) => c.column === "x")!;
    x.column = evil;
    x.bins.labels = x.bins.labels.map(() => '"];%%{init}%%');
    const md = renderDataSection(result);
    // Code spans show HTML as text; outside them, nothing may form a tag or our marker.
    const outsideCode = md.replace(/(?<!`)(`+)[^\n]*?(?<!`)\1(?!`)/g, "");
    expect(md).toContain("<img"); // inside code spans
    expect(outsideCode).not.toContain("<img");
    expect(md).not.toContain("<!--");
    expect(outsideCode).not.toMatch(/@admin/); // a word joiner follows the @
    expect(md).not.toMatch(/\n# heading/);
    // Table rows stay rows: the pipe in the name is escaped.
    for (const line of md.split("\n").filter((l) => l.startsWith("| ❌ | type"))) {
      expect(line.split(/(?<!\\)\|/).length).toBe(8);
    }
    // Mermaid titles and labels keep safe characters only.
    for (const line of md
      .split("\n")
      .filter((l) => l.startsWith("    title") || l.startsWith("    x-axis"))) {
      expect(line).not.toMatch(/[%;<>`#]/);
    }
    expect(mermaidText('a"b`c%d;e<f>g#h\ni')).toBe("a b c d e f g h i");
  });

  it("keeps within its budget by showing less detail", () => {
    const result: DataResult = structuredClone(realistic);
    const base = result.check.results.find((r) => r.rule === "type" && !r.passed)!;
    result.check.errors += 200;
    for (let i = 0; i < 200; i++) {
      result.check.results.push({
        ...base,
        column: `column_${i}`,
        failing: 500,
        examples: Array.from({ length: 20 }, (_, j) => ({
          file: `data/part-${i}.csv`,
          line: j + 2,
          value: "x".repeat(80),
        })),
      });
    }
    const full = renderDataSection(result, { maxChars: 1_000_000 });
    const small = renderDataSection(result, { maxChars: 20_000 });
    expect(full.length).toBeGreaterThan(40_000);
    expect(small.length).toBeLessThanOrEqual(20_000);
    expect(small).toContain("more failing rules in the result file");
    expect(small).toContain("❌ **Data check failed: 206 errors, 1 warning**");
  });
});
