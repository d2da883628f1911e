import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MlciError } from "@mlci/common";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, writeSource } from "../test-support/temp-files";
import { collectRows, readDataset } from "./read";
import { resolveSources } from "./sources";

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe("file readers", () => {
  it("reports a malformed row in the middle of a large file and reads every other row", async () => {
    const lines = ["id,x,label"];
    for (let i = 1; i <= 60_000; i++) {
      if (i === 30_000) lines.push(`${i},1.5,a,EXTRA`);
      else if (i === 59_990) lines.push(`${i},2.5,"unclosed`);
      else if (i % 1000 === 0 && i < 40_000) lines.push(`${i},${(i * 0.37).toFixed(2)},"lab,\n${i % 7}"`);
      else lines.push(`${i},${(i * 0.37).toFixed(2)},lab${i % 7}`);
    }
    const text = `${lines.join("\n")}\n`;
    expect(text.length).toBeGreaterThan(1_000_000);
    const src = writeSource(dir, "big.csv", text);
    let rows = 0;
    let lastLine = 0;
    const issues: Array<[string, number, string]> = [];
    const [stats] = await readDataset(
      [src],
      {
        columns: () => {},
        row: (r) => {
          rows++;
          lastLine = r.line;
        },
        issue: (i) => issues.push([i.file, i.line, i.kind]),
      },
      { chunkBytes: 64 * 1024 },
    );
    // Quoted labels span two lines: file lines run ahead of row ids by one per quoted row.
    const quotedBefore = (id: number): number =>
      Math.floor((Math.min(id, 40_000) - 1) / 1000) - (id > 30_000 ? 1 : 0);
    const lineOf = (id: number): number => id + 1 + quotedBefore(id);
    expect(issues).toEqual([
      ["big.csv", lineOf(30_000), "field-count"],
      ["big.csv", lineOf(59_990), "unterminated-quote"],
    ]);
    // The unclosed quote runs to the end of the file; it is reported, and the lines after it
    // are read again as rows.
    expect(rows).toBe(60_000 - 2);
    expect(lastLine).toBe(lineOf(60_000));
    expect(stats!.malformed).toBe(2);
    expect(stats!.bytes).toBe(text.length);
  });

  it("reads gzip, TSV and JSON Lines with file and line on each row", async () => {
    const csv = writeSource(dir, "a.csv.gz", "a,b\n1,x\n2,y\n");
    const tsv = writeSource(dir, "b.tsv", 'a\tb\n3\t"t\tab"\n');
    const jsonl = writeSource(dir, "c.jsonl", '{"a":4,"b":"z"}\n\nnot json\n[1]\n{"a":5,"c":true}\n');
    const { rows, issues, columns } = await collectRows([csv, tsv, jsonl]);
    expect(rows).toEqual([
      { file: "a.csv.gz", line: 2, values: ["1", "x"] },
      { file: "a.csv.gz", line: 3, values: ["2", "y"] },
      { file: "b.tsv", line: 2, values: ["3", "t\tab"] },
      { file: "c.jsonl", line: 1, values: [4, "z"] },
      { file: "c.jsonl", line: 5, values: [5, null, true] },
    ]);
    expect(columns.get("c.jsonl")).toEqual(["a", "b", "c"]);
    expect(issues.map((i) => [i.file, i.line, i.kind])).toEqual([
      ["c.jsonl", 3, "invalid-json"],
      ["c.jsonl", 4, "not-an-object"],
    ]);
  });

  it("expands directories and globs into one ordered data set", async () => {
    mkdirSync(join(dir, "data", "2024"), { recursive: true });
    writeFileSync(join(dir, "data", "b.csv"), "a\n1\n");
    writeFileSync(join(dir, "data", "2024", "a.csv.gz"), "");
    writeFileSync(join(dir, "data", "notes.txt"), "x");
    writeFileSync(join(dir, "data", ".hidden.csv"), "a\n");
    const fromDir = await resolveSources(["data"], { cwd: dir });
    expect(fromDir.map((s) => [s.path, s.format, s.gzip])).toEqual([
      ["data/2024/a.csv.gz", "csv", true],
      ["data/b.csv", "csv", false],
    ]);
    const fromGlob = await resolveSources(["data/*.csv", "data/b.csv"], { cwd: dir });
    expect(fromGlob.map((s) => s.path)).toEqual(["data/b.csv"]);
    await expect(resolveSources(["nope/*.csv"], { cwd: dir })).rejects.toBeInstanceOf(MlciError);
    await expect(resolveSources(["data/notes.txt"], { cwd: dir })).rejects.toThrow(/format/);
  });
});
