import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./line-diff";

const names = { oldName: "a", newName: "b" };
const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`) =>
  Array.from({ length: n }, (_, i) => f(i + 1)).join("\n");

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("x\n", "x\n", names)).toBe("");
  });

  it("diffs a file added from nothing", () => {
    expect(unifiedDiff("", "a\nb\n", names)).toBe("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b");
  });

  it("keeps far-apart changes in separate hunks with three lines of context", () => {
    const before = lines(20);
    const after = lines(20, (i) => (i === 2 || i === 18 ? `LINE ${i}` : `line ${i}`));
    expect(unifiedDiff(before, after, names).split("\n")).toEqual([
      "--- a",
      "+++ b",
      "@@ -1,5 +1,5 @@",
      " line 1",
      "-line 2",
      "+LINE 2",
      " line 3",
      " line 4",
      " line 5",
      "@@ -15,6 +15,6 @@",
      " line 15",
      " line 16",
      " line 17",
      "-line 18",
      "+LINE 18",
      " line 19",
      " line 20",
    ]);
  });

  it("says when only line endings differ, and gives up on huge inputs", () => {
    expect(unifiedDiff("a\r\nb\r\n", "a\nb\n", names)).toContain("only line endings");
    expect(unifiedDiff(lines(50), lines(51), { ...names, maxCells: 100 })).toContain("too large to show");
  });
});
