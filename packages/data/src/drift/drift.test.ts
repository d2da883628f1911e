import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { profileDataset } from "../scan/scan-dataset";
import { generateTable } from "../test-support/generate";
import { tempDir, writeSource } from "../test-support/temp-files";
import { samplePoints, wasserstein } from "./distances";
import { type ColumnDrift, compareProfiles } from "./drift";
import { ks2Samp } from "./ks";

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

async function profileOf(rows: number, seed: number, shift: number, name: string) {
  const table = generateTable(rows, seed, shift);
  const profile = await profileDataset([writeSource(dir, name, table.text)]);
  const xs = table.lines
    .map((l) => l.split(",")[1]!)
    .filter((v) => v !== "")
    .map(Number);
  return { profile, xs };
}

const col = (cols: ColumnDrift[], name: string): ColumnDrift => cols.find((c) => c.column === name)!;

describe("drift", () => {
  it("uses KS, chi-square and Z-tests on a small reference, exactly", async () => {
    const ref = await profileOf(600, 1, 0, "ref.csv");
    const same = await profileOf(800, 2, 0, "same.csv");
    const moved = await profileOf(800, 3, 0.6, "moved.csv");
    const calm = compareProfiles(ref.profile, same.profile, { ignore: ["id", "note", "ts"] });
    expect(calm.columns.map((c) => [c.column, c.method])).toEqual([
      ["x", "ks"],
      ["code", "ks"],
      ["cat", "chisquare"],
      ["flag", "z"],
      ["label", "z"],
    ]);
    expect(calm.columns.every((c) => c.exact)).toBe(true);
    expect(col(calm.columns, "x").score).toBeCloseTo(ks2Samp(ref.xs, same.xs).pValue, 12);
    expect(col(calm.columns, "x").drifted).toBe(false);
    expect(calm.drifted).toBe(false);

    const shifted = compareProfiles(ref.profile, moved.profile, { ignore: ["id", "note", "ts"] });
    expect(col(shifted.columns, "x")).toMatchObject({ method: "ks", drifted: true });
    expect(col(shifted.columns, "x").score).toBeLessThan(1e-10);
    expect(col(shifted.columns, "cat")).toMatchObject({ method: "chisquare", drifted: true });
    expect(col(shifted.columns, "x").psi).toBeGreaterThan(0.1);
    expect(shifted.driftShare).toBeGreaterThanOrEqual(0.4);
    expect(shifted.skipped).toEqual([]);
  });

  it("uses normalised Wasserstein and Jensen-Shannon on a large reference", async () => {
    const ref = await profileOf(20_000, 4, 0, "big-ref.csv");
    const same = await profileOf(15_000, 5, 0, "big-same.csv");
    const moved = await profileOf(15_000, 6, 1, "big-moved.csv");
    const calm = compareProfiles(ref.profile, same.profile, { columns: ["x", "cat", "label", "ts"] });
    expect(calm.columns.map((c) => [c.column, c.method, c.drifted])).toEqual([
      ["x", "wasserstein", false],
      ["cat", "jensenshannon", false],
      ["label", "jensenshannon", false],
    ]);
    expect(calm.skipped).toEqual([
      { column: "ts", reason: "timestamp columns are not compared (as in Evidently)" },
    ]);
    const shifted = compareProfiles(ref.profile, moved.profile, { columns: ["x", "cat", "label"] });
    const x = col(shifted.columns, "x");
    expect(x).toMatchObject({ method: "wasserstein", drifted: true, exact: false });
    // The sketch estimate stays close to the exact distance over every value.
    const mean = ref.xs.reduce((a, b) => a + b, 0) / ref.xs.length;
    const std = Math.sqrt(ref.xs.reduce((a, b) => a + (b - mean) ** 2, 0) / ref.xs.length);
    const exact = wasserstein(samplePoints(ref.xs), samplePoints(moved.xs)) / std;
    expect(Math.abs(x.score - exact)).toBeLessThan(0.02);
    expect(shifted.drifted).toBe(true);
    expect(shifted.driftShare).toBeGreaterThanOrEqual(0.5);
  });
});
