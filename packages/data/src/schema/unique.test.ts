import { describe, expect, it } from "vitest";
import { hashNumber } from "../sketch/hash";
import { findDuplicates, removeSpillDirs, UniqueTracker } from "./unique";

describe("exact uniqueness", () => {
  it("finds every duplicate across spilled runs, first occurrences first", async () => {
    const t = new UniqueTracker({ memoryEntries: 1000 });
    const h = new Uint32Array(2);
    let expected = 0;
    for (let i = 0; i < 10_000; i++) {
      const file = i < 5000 ? "a.csv" : "b.csv";
      const v = i % 3001 === 0 && i > 0 ? 7 : i; // rows 3001, 6002, 9003 repeat value 7
      if (i % 3001 === 0 && i > 0) expected++;
      hashNumber(v, h);
      t.add(h, file, i + 2);
      if (t.full) t.spill();
    }
    const runs = t.runs();
    expect(runs.filter((r) => r.path).length).toBe(10);
    const report = await findDuplicates(
      runs,
      new Map([
        ["a.csv", 0],
        ["b.csv", 1],
      ]),
    );
    expect(report.duplicates).toBe(expected);
    expect(report.examples).toEqual([
      { file: "a.csv", line: 3003, firstFile: "a.csv", firstLine: 9 },
      { file: "b.csv", line: 6004, firstFile: "a.csv", firstLine: 9 },
      { file: "b.csv", line: 9005, firstFile: "a.csv", firstLine: 9 },
    ]);
    await removeSpillDirs([t.directory]);
  });

  it("stays fast when a column repeats a few values many times", async () => {
    const t = new UniqueTracker({ memoryEntries: 1 << 17 });
    const h = new Uint32Array(2);
    const started = Date.now();
    for (let i = 0; i < 100_000; i++) {
      // Two fingerprints in one bucket (same top 16 bits), alternating.
      h[0] = 0x12340000 | (i % 2);
      h[1] = 77;
      t.add(h, "a.csv", i + 2);
    }
    const report = await findDuplicates(t.runs(), new Map([["a.csv", 0]]));
    expect(report.duplicates).toBe(99_998);
    expect(report.examples[0]).toEqual({ file: "a.csv", line: 4, firstFile: "a.csv", firstLine: 2 });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
