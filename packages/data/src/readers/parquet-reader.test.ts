import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { profileDataset } from "../scan/scan-dataset";
import { collectRows } from "./read";
import type { DataSource } from "./sources";

// fixtures/small.parquet: 5 rows in 2 row groups, written by fixtures/make-small-parquet.mjs.
const absolutePath = fileURLToPath(new URL("./fixtures/small.parquet", import.meta.url));
const source: DataSource = {
  path: "small.parquet",
  absolutePath,
  format: "parquet",
  gzip: false,
  size: 1077,
};

describe("Parquet reader", () => {
  it("reads every row group with row numbers as lines", async () => {
    const { rows, columns, issues } = await collectRows([source]);
    expect(columns.get("small.parquet")).toEqual(["id", "score", "city", "ok", "at"]);
    expect(issues).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.values.slice(0, 4)).toEqual([1n, 0.5, "Oslo", true]);
    expect(rows[2]!.values[2]).toBeNull();
  });

  it("profiles typed values", async () => {
    const p = await profileDataset([source]);
    const byName = Object.fromEntries(p.columns.map((c) => [c.name, c]));
    expect(byName.id).toMatchObject({ type: "integer", min: 1, max: 5, distinct: 5, nulls: 0 });
    expect(byName.score).toMatchObject({ type: "number", nulls: 1, min: -2, max: 3.5 });
    expect(byName.city).toMatchObject({
      type: "string",
      nulls: 1,
      distinct: 3,
      frequent: [
        { value: "Oslo", count: 2 },
        { value: "Lima", count: 1 },
        { value: "Pune", count: 1 },
      ],
    });
    expect(byName.ok).toMatchObject({ type: "boolean", nulls: 1 });
    expect(byName.at).toMatchObject({
      type: "timestamp",
      min: "2023-12-31T23:59:59.000Z",
      max: "2024-03-01T00:00:00.000Z",
    });
  });
});
