import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSource } from "../readers/read";
import { profileDataset } from "../scan/scan-dataset";
import { KllSketch } from "../sketch/kll";
import { generateTable } from "../test-support/generate";
import { tempDir, writeSource } from "../test-support/temp-files";
import { DatasetProfiler } from "./dataset-profiler";
import { mergeAllProfiles } from "./merge";
import type { ColumnProfile, Profile } from "./profile-format";

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const col = (p: Profile, name: string): ColumnProfile => p.columns.find((c) => c.name === name)!;

describe("profiles", () => {
  it("summarises each column", async () => {
    const src = writeSource(
      dir,
      "small.csv",
      'n,s,b,t,mixed\n1,x,true,2024-01-01,1\n2.5,y,false,2024-01-03T10:00:00Z,a\n,x,TRUE,,NA\n-3,"",True,2023-12-31,2\n',
    );
    const p = await profileDataset([src]);
    expect(p.version).toBe(1);
    expect(p.dataset).toMatchObject({ rows: 4, malformedRows: 0, columns: 5, bytes: src.size });
    const n = col(p, "n");
    expect(n).toMatchObject({
      type: "number",
      count: 4,
      nulls: 1,
      min: -3,
      max: 2.5,
      distinct: 3,
      distinctExact: true,
    });
    expect(n.types).toEqual({ integer: 2, number: 1, boolean: 0, timestamp: 0, string: 0 });
    expect(n.mean).toBeCloseTo(1 / 6, 12);
    expect(n.std).toBeCloseTo(Math.sqrt(((1 - 1 / 6) ** 2 + (2.5 - 1 / 6) ** 2 + (-3 - 1 / 6) ** 2) / 2), 12);
    expect(n.quantiles?.["0.5"]).toBe(1);
    const s = col(p, "s");
    expect(s).toMatchObject({ type: "string", nulls: 0, min: "", max: "y", distinct: 3 });
    expect(s.frequent[0]).toEqual({ value: "x", count: 2 });
    expect(col(p, "b")).toMatchObject({
      type: "boolean",
      distinct: 2,
      frequent: [
        { value: true, count: 3 },
        { value: false, count: 1 },
      ],
    });
    expect(col(p, "t")).toMatchObject({
      type: "timestamp",
      nulls: 1,
      min: "2023-12-31T00:00:00.000Z",
      max: "2024-01-03T10:00:00.000Z",
    });
    expect(col(p, "mixed")).toMatchObject({ type: "string", nulls: 1, distinct: 3 });
  });

  it("is deterministic and small", async () => {
    const src = writeSource(dir, "g.csv", generateTable(20_000, 5).text);
    const a = JSON.stringify(await profileDataset([src]));
    const b = JSON.stringify(await profileDataset([src]));
    expect(a).toBe(b);
    const perColumn = a.length / 8;
    expect(perColumn).toBeLessThan(6_000);
  });

  it("merges 7 uneven parts into the one-pass profile", async () => {
    const table = generateTable(40_000, 11);
    const whole = writeSource(dir, "whole.csv", table.text);
    const cuts = [0, 1, 777, 5000, 5001, 17_000, 31_234, 40_000];
    const parts = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const body = table.lines.slice(cuts[i], cuts[i + 1]).join("\n");
      parts.push(await profileDataset([writeSource(dir, `part${i}.csv`, `${table.header}\n${body}\n`)]));
    }
    const merged = mergeAllProfiles(parts);
    const one = await profileDataset([whole]);
    expect(merged.dataset.rows).toBe(one.dataset.rows);
    expect(merged.dataset.bytes).toBe(one.dataset.bytes + 6 * (table.header.length + 1));
    const xs = table.lines
      .map((l) => l.split(",")[1]!)
      .filter((v) => v !== "")
      .map(Number)
      .sort((a, b) => a - b);
    for (const c of one.columns) {
      const m = col(merged, c.name);
      expect([m.count, m.nulls, m.types, m.type], c.name).toEqual([c.count, c.nulls, c.types, c.type]);
      expect(m.distinct, c.name).toBe(c.distinct);
      expect(m.state.hll, c.name).toEqual(c.state.hll);
      if (c.mean !== null) {
        expect(Math.abs(m.mean! - c.mean)).toBeLessThan(1e-12 * Math.max(1, Math.abs(c.mean)));
        expect(Math.abs(m.std! / c.std! - 1)).toBeLessThan(1e-12);
      }
      expect([m.min, m.max], c.name).toEqual([c.min, c.max]);
      if (c.distinctExact) expect(m.frequent, c.name).toEqual(c.frequent);
    }
    // Quantiles of the merged sketch stay within KLL's rank error of the true ranks.
    const kll = KllSketch.fromJSON(col(merged, "x").state.kll);
    for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      const v = kll.quantile(q);
      const rank = xs.filter((x) => x <= v).length / xs.length;
      expect(Math.abs(rank - q)).toBeLessThan(0.0133);
    }
  });

  it("profiles JSON Lines with typed values, and counts absent columns as nulls", async () => {
    const jsonl = writeSource(dir, "a.jsonl", '{"a":1,"b":"2024-05-01"}\n{"a":2.5,"c":true}\n{"a":null}\n');
    const csv = writeSource(dir, "b.csv", "a,b\n7,2024-05-02\n");
    const p = await profileDataset([jsonl, csv]);
    expect(p.dataset.rows).toBe(4);
    expect(col(p, "a")).toMatchObject({ type: "number", count: 4, nulls: 1, max: 7 });
    expect(col(p, "b")).toMatchObject({ type: "timestamp", count: 4, nulls: 2 });
    expect(col(p, "c")).toMatchObject({ type: "boolean", count: 4, nulls: 3 });
  });

  it("keeps the first malformed rows as examples", async () => {
    const src = writeSource(dir, "bad.csv", "a,b\n1,2\n3\n4,5,6\n7,8\n");
    const profiler = new DatasetProfiler();
    profiler.addFile(src, await readSource(src, profiler));
    const p = profiler.toProfile();
    expect(p.dataset.malformedRows).toBe(2);
    expect(p.dataset.files).toEqual([
      { path: "bad.csv", format: "csv", bytes: src.size, rows: 2, malformedRows: 2 },
    ]);
    expect(p.dataset.issues.map((i) => i.line)).toEqual([3, 4]);
  });
});
