import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dataReportSection } from "./report-section";
import { dataCsv } from "./test-support";
import { validateData } from "./validate-data";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-data-section-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the report's data section", () => {
  it("renders a data result file", async () => {
    writeFileSync(join(dir, "d.csv"), dataCsv(50));
    await validateData({ cwd: dir, data: ["d.csv"], resultPath: "r.json" });
    const { section, error } = await dataReportSection(join(dir, "r.json"));
    expect(error).toBeUndefined();
    expect(section).toMatchObject({ id: "data", title: "Data", keep: true });
    expect(section.markdown).toContain(
      "✅ **Data check passed** (no schema: only malformed rows checked; 50 rows",
    );
  });

  it.each([
    ["a missing file", "nope.json", /does not exist/],
    ["invalid JSON", "bad.json", /not a data result: invalid JSON/],
    ["another kind of file", "other.json", /no `kind: mlci-data-result`/],
    ["another version", "v2.json", /data result version 2 is not supported/],
  ])("fails closed on %s", async (_what, name, message) => {
    writeFileSync(join(dir, "bad.json"), "{");
    writeFileSync(join(dir, "other.json"), JSON.stringify({ kind: "mlci-gate-result", version: 1 }));
    writeFileSync(join(dir, "v2.json"), JSON.stringify({ kind: "mlci-data-result", version: 2 }));
    const { section, error } = await dataReportSection(join(dir, name));
    expect(error?.message).toMatch(message);
    expect(section.markdown).toMatch(
      /^❌ \*\*The data result is unavailable\*\*: .*Treat the data check as failed\.$/,
    );
  });
});
