import { markdownTable } from "markdown-table";
import { describe, expect, it } from "vitest";
import { renderTable, rowGroup, tableLength, tableSpec, utf8Length, utf16Length } from "./measured-table";

describe("measured tables", () => {
  const rows = [
    ["`a`", "1", "🟢"],
    ["", "x\\|y", "精度"],
    ["b", "", ""],
  ];

  it("predicts markdown-table's output length for every prefix of rows", () => {
    for (const measure of [utf16Length, utf8Length]) {
      const spec = tableSpec(["Metric", "Base", ""], ["l", "r", "c"], measure);
      const group = rowGroup(rows, measure);
      for (let k = 1; k <= rows.length; k++) {
        const rendered = renderTable(spec, [[group, k]]);
        expect(tableLength(spec, [[group, k]])).toBe(measure(rendered));
        const direct = markdownTable([spec.header, ...rows.slice(0, k)], {
          alignDelimiters: false,
          align: spec.align,
        });
        expect(rendered).toBe(`${direct}\n`);
      }
      expect(tableLength(spec, [[group, 0]])).toBe(0);
      expect(renderTable(spec, [[group, 0]])).toBe("");
    }
  });

  it("counts UTF-8 bytes like Buffer does", () => {
    for (const text of ["abc", "é", "精度", "😀", "a😀b精"]) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text, "utf8"));
    }
  });
});
