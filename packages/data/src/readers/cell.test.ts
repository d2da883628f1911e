import { describe, expect, it } from "vitest";
import { Rng } from "../sketch/prng";
import { CellType, cellValue, classifyBytes, classifyValue } from "./cell";

function classify(text: string): [CellType, number] {
  const b = Buffer.from(text);
  const t = classifyBytes(b, 0, b.length);
  return [t, cellValue.num];
}

describe("cell classification", () => {
  it("parses numbers exactly like Number()", () => {
    for (const s of [
      "0",
      "-0.5",
      "+3",
      "1e3",
      "1.5E-7",
      ".5",
      "5.",
      "123456789012345678",
      "0.1",
      "97.486436",
      "-66976.103000",
      "1e400",
    ]) {
      const [t, v] = classify(s);
      expect(t === CellType.Integer || t === CellType.Number, s).toBe(true);
      expect(v, s).toBe(Number(s));
    }
    const rng = new Rng(9);
    const digits = (n: number): string => Array.from({ length: n }, () => String(rng.nextInt(10))).join("");
    for (let i = 0; i < 5000; i++) {
      const s = `${rng.nextBit() ? "-" : ""}${digits(rng.nextInt(12))}.${digits(rng.nextInt(12))}${rng.nextInt(4) === 0 ? `e${rng.nextInt(40) - 20}` : ""}`;
      if (s === "." || s === "-." || /^-?\.e/.test(s)) continue;
      expect(classify(s)[1], s).toBe(Number(s));
    }
    expect(classify("42")[0]).toBe(CellType.Integer);
    expect(classify("4.0")[0]).toBe(CellType.Number);
    for (const s of ["-", ".", "1e", "1.2.3", "0x10", "12a", " 1", "inf"])
      expect(classify(s)[0], s).toBe(CellType.String);
  });

  it("reads ISO timestamps like Date.parse, and booleans", () => {
    for (const s of [
      "2024-02-29",
      "1969-07-20T20:17:40Z",
      "2024-01-31 23:59:59.5",
      "2000-03-01T00:00:00+05:30",
      "1600-12-31T10:11",
    ]) {
      const [t, v] = classify(s);
      expect(t, s).toBe(CellType.Timestamp);
      const iso = s.includes("T") || s.includes(" ") ? s.replace(" ", "T") : `${s}T00:00`;
      expect(v, s).toBe(Date.parse(/Z|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`));
    }
    for (const s of ["2023-02-29", "2024-13-01", "2024-01-01T25:00", "2024-01-01X"])
      expect(classify(s)[0], s).toBe(CellType.String);
    expect(classify("TRUE")).toEqual([CellType.Boolean, 1]);
    expect(classify("False")).toEqual([CellType.Boolean, 0]);
    expect(classify("tRUE")[0]).toBe(CellType.String);
    expect(classifyValue(new Date(5))).toBe(CellType.Timestamp);
    expect(classifyValue(7n)).toBe(CellType.Integer);
    expect(classifyValue(Number.NaN)).toBe(CellType.Null);
  });
});
