import { describe, expect, it } from "vitest";
import { hashNumber, hashString } from "./hash";
import { HyperLogLog } from "./hll";

const h = new Uint32Array(2);

describe("HyperLogLog", () => {
  it("is almost exact for small counts and within 3 standard errors for large ones", () => {
    for (const n of [0, 1, 10, 1000, 200_000]) {
      const hll = new HyperLogLog(12);
      for (let i = 0; i < n; i++) {
        hashString(`user-${i}`, h);
        hll.add(h);
        hll.add(h); // duplicates do not count
      }
      const tolerance = n <= 1000 ? Math.max(0.5, n * 0.01) : n * 3 * 0.0163;
      expect(Math.abs(hll.estimate() - n)).toBeLessThanOrEqual(tolerance);
    }
  });

  it("merges to the sketch of the union and round-trips in both encodings", () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    const all = new HyperLogLog();
    for (let i = 0; i < 50_000; i++) {
      hashNumber(i * 0.5, h);
      (i % 3 === 0 ? a : b).add(h);
      all.add(h);
    }
    a.merge(b);
    expect(a.registers).toEqual(all.registers);
    const dense = a.toJSON();
    expect(dense.encoding).toBe("dense");
    expect(JSON.stringify(dense).length).toBeLessThan(3000);
    expect(HyperLogLog.fromJSON(dense).registers).toEqual(a.registers);
    const small = new HyperLogLog();
    hashString("x", h);
    small.add(h);
    const sparse = small.toJSON();
    expect(sparse.encoding).toBe("sparse");
    expect(HyperLogLog.fromJSON(sparse).registers).toEqual(small.registers);
  });

  it("hashes numbers by value, not by spelling", () => {
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    hashNumber(0, a);
    hashNumber(-0, b);
    expect(a).toEqual(b);
    hashNumber(1, a);
    hashNumber(1.0000000000000002, b);
    expect(a).not.toEqual(b);
  });
});
