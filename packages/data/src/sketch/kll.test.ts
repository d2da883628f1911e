import { describe, expect, it } from "vitest";
import { KllSketch } from "./kll";
import { Rng } from "./prng";

function trueRank(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

function maxRankError(kll: KllSketch, sorted: Float64Array): number {
  let worst = 0;
  for (let i = 1; i < 100; i++) {
    const q = i / 100;
    worst = Math.max(worst, Math.abs(trueRank(sorted, kll.quantile(q)) - q));
  }
  return worst;
}

describe("KLL sketch", () => {
  const rng = new Rng(42);
  const data = Float64Array.from({ length: 200_000 }, () => rng.nextFloat() ** 3 * 1000);
  const sorted = data.slice().sort();

  it("keeps the rank error within 1.33% at k=200 and stays small", () => {
    const kll = new KllSketch(200);
    for (const x of data) kll.update(x);
    expect(kll.n).toBe(data.length);
    expect(maxRankError(kll, sorted)).toBeLessThan(0.0133);
    expect(kll.retained).toBeLessThan(800);
    expect(kll.quantile(0)).toBe(sorted[0]);
    expect(kll.quantile(1)).toBe(sorted[sorted.length - 1]);
  });

  it("merges parts within the same error, deterministically", () => {
    const build = (): KllSketch => {
      const cuts = [0, 1000, 31_000, 32_000, 90_000, 150_001, 199_999, 200_000];
      const merged = new KllSketch(200);
      for (let p = 0; p + 1 < cuts.length; p++) {
        const part = new KllSketch(200);
        for (let i = cuts[p]!; i < cuts[p + 1]!; i++) part.update(data[i]!);
        merged.merge(part);
      }
      return merged;
    };
    const a = build();
    expect(a.n).toBe(data.length);
    expect(maxRankError(a, sorted)).toBeLessThan(0.0133);
    expect(JSON.stringify(build().toJSON())).toBe(JSON.stringify(a.toJSON()));
  });

  it("round-trips through JSON and keeps sketching the same way", () => {
    const a = new KllSketch();
    const b = new KllSketch();
    for (let i = 0; i < 5000; i++) a.update(data[i]!);
    const restored = KllSketch.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (let i = 0; i < 5000; i++) b.update(data[i]!);
    b.toJSON(); // serialising flushes the pending batch; do the same to b
    for (let i = 5000; i < 9000; i++) {
      restored.update(data[i]!);
      b.update(data[i]!);
    }
    expect(restored.toJSON()).toEqual(b.toJSON());
  });

  it("answers ranks, exclusive ranks and empty sketches", () => {
    const kll = new KllSketch();
    expect(Number.isNaN(kll.quantile(0.5))).toBe(true);
    for (const x of [1, 2, 2, 3]) kll.update(x);
    expect(kll.rank(2)).toBe(0.75);
    expect(kll.rank(2, false)).toBe(0.25);
    expect(kll.quantile(0.5)).toBe(2);
  });
});
