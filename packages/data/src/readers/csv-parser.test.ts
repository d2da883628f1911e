import { describe, expect, it } from "vitest";
import { Rng } from "../sketch/prng";
import { CsvParser } from "./csv-parser";
import { type RowIssue, rowTexts } from "./row";

interface Parsed {
  columns: string[];
  rows: Array<{ line: number; values: unknown[] }>;
  issues: RowIssue[];
}

function parse(
  text: string | Buffer,
  chunk = 1 << 20,
  extra: { maxRowBytes?: number; header?: boolean } = {},
): Parsed {
  const out: Parsed = { columns: [], rows: [], issues: [] };
  const p = new CsvParser({
    file: "t.csv",
    ...extra,
    onColumns: (n) => {
      out.columns = [...n];
    },
    onRow: (r) => out.rows.push({ line: r.line, values: rowTexts(r) }),
    onIssue: (i) => out.issues.push(i),
  });
  const buf = typeof text === "string" ? Buffer.from(text) : text;
  for (let i = 0; i < buf.length; i += chunk) p.push(buf.subarray(i, i + chunk));
  p.end();
  return out;
}

describe("CSV parser", () => {
  it("reads quoted fields with delimiters, newlines and doubled quotes", () => {
    const text = 'id,text,n\n1,"a, b",2\n2,"line1\nline2",3\n3,"say ""hi""",4\n4,,5\n5,"",6\n';
    const r = parse(text);
    expect(r.columns).toEqual(["id", "text", "n"]);
    expect(r.rows).toEqual([
      { line: 2, values: ["1", "a, b", "2"] },
      { line: 3, values: ["2", "line1\nline2", "3"] },
      { line: 5, values: ["3", 'say "hi"', "4"] },
      { line: 6, values: ["4", "", "5"] },
      { line: 7, values: ["5", "", "6"] },
    ]);
    expect(r.issues).toEqual([]);
  });

  it("handles a BOM, CRLF, blank lines and a missing final newline", () => {
    const text = '\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n\n3,"q"';
    const r = parse(text);
    expect(r.columns).toEqual(["a", "b"]);
    expect(r.rows).toEqual([
      { line: 2, values: ["1", "x\r\ny"] },
      { line: 5, values: ["2", "z"] },
      { line: 7, values: ["3", "q"] },
    ]);
  });

  it("gives the same rows whatever the chunk size", () => {
    const rng = new Rng(3);
    const pieces = ["a", "b,c", 'q"q', "line\nbreak", "", " sp ", "é€", "\r\n"];
    let text = "c1,c2,c3\n";
    for (let i = 0; i < 300; i++) {
      const cells: string[] = [];
      for (let c = 0; c < 3; c++) {
        const v = pieces[rng.nextInt(pieces.length)]! + String(rng.nextInt(100));
        cells.push(/[",\n\r]/.test(v) || rng.nextBit() ? `"${v.replace(/"/g, '""')}"` : v);
      }
      text += cells.join(",") + (rng.nextBit() ? "\r\n" : "\n");
    }
    const whole = parse(text);
    expect(whole.rows).toHaveLength(300);
    expect(whole.issues).toEqual([]);
    for (const chunk of [1, 2, 3, 7, 64, 1000]) expect(parse(text, chunk)).toEqual(whole);
  });

  it("reports rows with the wrong number of fields and goes on", () => {
    const r = parse("a,b\n1,2\n1,2,3\n4\n5,6\n");
    expect(r.rows.map((x) => x.line)).toEqual([2, 5]);
    expect(r.issues).toEqual([
      { file: "t.csv", line: 3, kind: "field-count", message: "expected 2 fields, found 3" },
      { file: "t.csv", line: 4, kind: "field-count", message: "expected 2 fields, found 1" },
    ]);
  });

  it("reports an unterminated quote and reads the lines after it", () => {
    const r = parse('a,b\n1,2\n3,"oops\n5,6\n7,8\n');
    expect(r.issues).toEqual([
      {
        file: "t.csv",
        line: 3,
        kind: "unterminated-quote",
        message: "a quoted field is not closed before the end of the file",
      },
    ]);
    expect(r.rows).toEqual([
      { line: 2, values: ["1", "2"] },
      { line: 4, values: ["5", "6"] },
      { line: 5, values: ["7", "8"] },
    ]);
  });

  it("bounds memory: a row longer than maxRowBytes is reported and skipped", () => {
    const long = `"${"x".repeat(5000)}\n`.repeat(3);
    const r = parse(`a,b\n1,2\n${long}9,9\n`, 512, { maxRowBytes: 1000 });
    expect(r.issues.map((i) => [i.line, i.kind])).toEqual([
      [3, "row-too-long"],
      [4, "row-too-long"],
      [5, "row-too-long"],
    ]);
    expect(r.rows).toEqual([
      { line: 2, values: ["1", "2"] },
      { line: 6, values: ["9", "9"] },
    ]);
  });

  it("reads quotes inside unquoted fields and text after a closing quote leniently", () => {
    const r = parse('a,b\nx"y,"ab"c\n');
    expect(r.rows).toEqual([{ line: 2, values: ['x"y', "abc"] }]);
  });

  it("names columns when there is no header", () => {
    const r = parse("1,2\n3,4\n", 1 << 20, { header: false });
    expect(r.columns).toEqual(["column_1", "column_2"]);
    expect(r.rows.map((x) => x.line)).toEqual([1, 2]);
  });
});
