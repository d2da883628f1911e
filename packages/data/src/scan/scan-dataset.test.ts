import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvParser } from "../readers/csv-parser";
import { findSplitPoints } from "../readers/csv-split";
import type { DataSource } from "../readers/sources";
import { parseDataSchema } from "../schema/schema-file";
import { generateTable } from "../test-support/generate";
import { tempDir, writeSource } from "../test-support/temp-files";
import { bundleWorker } from "../test-support/worker-bundle";
import { profileDataset, validateDataset } from "./scan-dataset";

let dir: string;
let cleanup: () => void;
let workerUrl: URL;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  workerUrl = await bundleWorker(dir);
});
afterAll(() => cleanup());

function rowStarts(text: string): Set<number> {
  const starts = new Set<number>();
  const p = new CsvParser({
    file: "x",
    onColumns: () => {},
    onRow: (r) => starts.add(r.offset),
    onIssue: () => {},
  });
  p.push(Buffer.from(text));
  p.end();
  return starts;
}

describe("parallel profiling", () => {
  it("splits into byte ranges, repairs splits inside quoted fields, and matches one thread", async () => {
    const table = generateTable(12_000, 21);
    // Long multi-line quoted fields around the quarter points, so that some split candidates
    // fall inside quotes; and a malformed row near the end.
    const lines = [...table.lines];
    for (const at of [2900, 5950, 9000]) {
      lines[at] = lines[at]!.replace(/,[^,]*,(\d)$/, `,"${"long text, with commas\n".repeat(1500)}",$1`);
    }
    lines[11_000] = "broken,row";
    const text = `${table.header}\n${lines.join("\n")}\n`;
    const src: DataSource = writeSource(dir, "split.csv", text);
    const splits = await findSplitPoints(src, 4, table.header.length + 1);
    const starts = rowStarts(text);
    expect(splits.some((s) => !starts.has(s))).toBe(true);

    let serialProgress = { bytes: 0, rows: 0 };
    const serial = await profileDataset([src], {
      onProgress: (p) => {
        serialProgress = p;
      },
    });
    expect(serialProgress).toEqual({ bytes: src.size, totalBytes: src.size, rows: serial.dataset.rows });
    let progress = { bytes: 0, rows: 0 };
    const parallel = await profileDataset([src], {
      parallelism: 2,
      workerUrl,
      minPartBytes: 64 * 1024,
      onProgress: (p) => {
        progress = p;
      },
    });
    expect(progress.bytes).toBeGreaterThanOrEqual(src.size);
    // Rows of ranges read again after a split inside quotes count twice, as their bytes do.
    expect(progress.rows).toBeGreaterThanOrEqual(serial.dataset.rows);
    expect(parallel.dataset.rows).toBe(serial.dataset.rows);
    expect(parallel.dataset.bytes).toBe(src.size);
    expect(parallel.dataset.issues).toEqual(serial.dataset.issues);
    expect(parallel.dataset.issues[0]).toMatchObject({ file: "split.csv", kind: "field-count" });
    expect(parallel.dataset.issues[0]!.line).toBe(serial.dataset.issues[0]!.line);
    for (const c of serial.columns) {
      const p = parallel.columns.find((x) => x.name === c.name)!;
      expect([p.count, p.nulls, p.types, p.distinct, p.min, p.max], c.name).toEqual([
        c.count,
        c.nulls,
        c.types,
        c.distinct,
        c.min,
        c.max,
      ]);
      if (c.mean !== null) expect(p.mean!).toBeCloseTo(c.mean, 10);
    }
    const again = await profileDataset([src], { parallelism: 2, workerUrl, minPartBytes: 64 * 1024 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(parallel));
  });

  it("checks a schema in parallel with the same result as one thread", async () => {
    const table = generateTable(20_000, 8);
    const lines = [...table.lines];
    lines[15_000] = lines[15_000]!.replace(/^\d+,/, "10,"); // a duplicate id far from the first
    lines[16_000] = lines[16_000]!.replace(/^(\d+),[^,]*,/, "$1,oops,");
    const src = writeSource(dir, "check.csv", `${table.header}\n${lines.join("\n")}\n`);
    const schema = parseDataSchema(
      "version: 1\ncolumns:\n  id: {type: integer, unique: true}\n  x: {type: number, min: -3}\n  cat: {allowed: [red, green, blue, cyan]}\n",
      "schema.yml",
    );
    const serial = await validateDataset([src], schema, { profile: false });
    const parallel = await validateDataset([src], schema, {
      profile: false,
      parallelism: 2,
      workerUrl,
      minPartBytes: 64 * 1024,
    });
    expect(parallel.check).toEqual(serial.check);
    const unique = serial.check.results.find((r) => r.rule === "unique")!;
    expect(unique.examples).toEqual([
      { file: "check.csv", line: expect.any(Number), message: "same value as line 12" },
    ]);
    expect(serial.check.results.find((r) => r.rule === "type" && r.column === "x")!.failing).toBe(1);
  });

  it("reads gzip and JSON Lines whole in workers", async () => {
    const gz = writeSource(dir, "g.csv.gz", generateTable(500, 2).text);
    const jl = writeSource(dir, "j.jsonl", '{"id":1}\n{"id":2}\n');
    const p = await profileDataset([gz, jl], { parallelism: 2, workerUrl });
    expect(p.dataset.rows).toBe(502);
    expect(p.dataset.files.map((f) => f.path)).toEqual(["g.csv.gz", "j.jsonl"]);
  });
});
