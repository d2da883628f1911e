import { describe, expect, it } from "vitest";
import { FrequentItems } from "./frequent";
import { hashString } from "./hash";
import { FixedHistogram } from "./histogram";
import { KllSketch } from "./kll";
import { Moments } from "./moments";
import { Rng } from "./prng";
import { Reservoir } from "./reservoir";
import { ValueCounts } from "./value-counts";

const keyOf = (v: string | number | boolean): Uint32Array => {
  const h = new Uint32Array(2);
  hashString(String(v), h);
  return h;
};
const hashOf = (v: string | number | boolean, out: Uint32Array): void => hashString(String(v), out);

describe("moments", () => {
  it("matches a two-pass computation, and Chan's merge matches one pass", () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 10_001 }, () => 1e9 + rng.nextFloat());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    const one = new Moments();
    for (const x of xs) one.add(x);
    expect(one.mean).toBeCloseTo(mean, 6);
    expect(one.variance / variance).toBeCloseTo(1, 6);
    const parts = [new Moments(), new Moments(), new Moments()];
    xs.forEach((x, i) => {
      parts[i < 3 ? 0 : i < 7000 ? 1 : 2]!.add(x);
    });
    const merged = new Moments();
    for (const p of parts) merged.merge(p.toJSON());
    expect(merged.n).toBe(xs.length);
    expect(merged.variance / variance).toBeCloseTo(1, 6);
  });
});

describe("frequent items", () => {
  it("is exact under capacity and bounds the error over it", () => {
    const f = new FrequentItems(8);
    const add = (v: string): void => {
      if (!f.increment(keyOf(v))) f.insert(keyOf(v), v);
    };
    for (let i = 0; i < 1000; i++) add(i % 2 === 0 ? "a" : i % 3 === 0 ? "b" : `rare-${i}`);
    const top = f.top(2);
    expect(top[0]!.value).toBe("a");
    expect(500 - top[0]!.count).toBeLessThanOrEqual(f.offset);
    expect(f.offset).toBeLessThanOrEqual(1000 / 9);
    const g = new FrequentItems(8);
    for (const v of ["x", "x", "y"]) g.add(keyOf(v), v);
    expect(g.top()).toEqual([
      { value: "x", count: 2 },
      { value: "y", count: 1 },
    ]);
  });

  it("merges with the mergeable-summaries rule and round-trips", () => {
    const a = new FrequentItems(4);
    const b = new FrequentItems(4);
    for (const [v, c] of [
      ["a", 10],
      ["b", 5],
      ["c", 1],
      ["d", 1],
    ] as const)
      a.add(keyOf(v), v, c);
    for (const [v, c] of [
      ["a", 3],
      ["e", 4],
      ["f", 2],
      ["g", 1],
    ] as const)
      b.add(keyOf(v), v, c);
    a.merge(b);
    expect(a.size).toBeLessThanOrEqual(4);
    expect(a.n).toBe(27);
    expect(a.top(1)[0]).toEqual({ value: "a", count: 13 - a.offset });
    const back = FrequentItems.fromJSON(JSON.parse(JSON.stringify(a.toJSON())), hashOf);
    expect(back.toJSON()).toEqual(a.toJSON());
  });

  it("keeps values whose hashes share a high word apart", () => {
    const f = new FrequentItems(2);
    const a = new Uint32Array([7, 1]);
    const b = new Uint32Array([7, 2]);
    const c = new Uint32Array([9, 3]);
    f.insert(a, "a");
    f.insert(b, "b");
    expect(f.increment(a)).toBe(true);
    f.insert(c, "c"); // full: every counter drops by one, "b" goes
    expect(f.top()).toEqual([{ value: "a", count: 1 }]);
    expect(f.increment(b)).toBe(false);
    expect(f.size).toBe(1);
  });
});

describe("value counts", () => {
  it("counts exactly until the limit, then gives up", () => {
    const v = new ValueCounts(3);
    for (const x of [0, 1, 1, -0]) v.add(x);
    expect(v.entries()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const w = new ValueCounts(3);
    w.add(2);
    w.add(3);
    v.merge(w);
    expect(v.overflow).toBe(true);
    expect(v.distinct).toBeUndefined();
  });
});

describe("reservoir", () => {
  it("keeps a uniform, deterministic sample and merges by population size", () => {
    const r = new Reservoir(1000, 7);
    for (let i = 0; i < 100_000; i++) r.add(i);
    const s = r.sample();
    expect(s.length).toBe(1000);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    expect(Math.abs(mean - 50_000)).toBeLessThan(3 * (28_868 / Math.sqrt(1000)));
    const again = new Reservoir(1000, 7);
    for (let i = 0; i < 100_000; i++) again.add(i);
    expect(again.toJSON()).toEqual(r.toJSON());

    const small = new Reservoir(1000, 8);
    for (let i = 0; i < 300_000; i++) small.add(-1);
    r.merge(small);
    const fromSmall = r.sample().filter((x) => x === -1).length;
    expect(r.seen).toBe(400_000);
    // Past capacity a merge keeps the thinned sample: 250 values, 3/4 of them from the larger side.
    expect(r.sample().length).toBe(250);
    expect(Math.abs(fromSmall - 187.5)).toBeLessThan(30);
    const back = Reservoir.fromJSON(JSON.parse(JSON.stringify(r.toJSON())));
    expect(back.sample()).toEqual(r.sample());
    expect(() => back.add(1)).toThrow(/thinned/);
  });

  it("saves every value up to capacity and a quarter of capacity past it", () => {
    const r = new Reservoir(1000, 3);
    for (let i = 0; i < 1000; i++) r.add(i);
    expect(Reservoir.fromJSON(r.toJSON()).sample().length).toBe(1000);
    r.add(1000);
    const state = r.toJSON();
    expect(state).toEqual(r.toJSON()); // saving does not change the reservoir
    const thinned = Reservoir.fromJSON(state);
    expect([thinned.seen, thinned.sample().length, thinned.complete]).toEqual([1001, 250, false]);
    // Complete parts merge to every value; a merge past capacity draws from the thinned parts.
    const part = (from: number, to: number) => {
      const p = new Reservoir(1000, from + 1);
      for (let i = from; i < to; i++) p.add(i);
      return Reservoir.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
    };
    const small = part(0, 400);
    small.merge(part(400, 1000));
    expect(Array.from(small.sample()).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    );
    let counts = 0;
    for (let seed = 0; seed < 40; seed++) {
      const a = part(0, 3000 + seed);
      a.merge(part(100_000, 109_000));
      counts += a.sample().filter((x) => x < 100_000).length;
      expect(a.sample().length).toBe(250);
    }
    // About a quarter of each merged sample comes from the first part (3,000 of 12,000 values).
    expect(Math.abs(counts / 40 / 250 - 0.25)).toBeLessThan(0.03);
  });

  it("is complete for small inputs", () => {
    const r = new Reservoir(10);
    for (let i = 0; i < 10; i++) r.add(i);
    expect(r.complete).toBe(true);
    expect(Array.from(r.sample())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("fixed histogram", () => {
  it("bins like numpy.histogram and derives bins from a KLL sketch", () => {
    const h = new FixedHistogram(0, 10, 5);
    for (const x of [-1, 0, 1.9, 2, 9.99, 10, 11]) h.add(x);
    expect(Array.from(h.counts)).toEqual([2, 1, 0, 0, 2]);
    expect([h.underflow, h.overflow]).toEqual([1, 1]);
    const kll = new KllSketch();
    for (let i = 0; i < 100; i++) kll.update(i);
    const fromKll = FixedHistogram.fromKll(kll, 0, 99, 4);
    expect(Array.from(fromKll.counts).reduce((a, b) => a + b, 0)).toBe(100);
    expect(Array.from(fromKll.counts)).toEqual([25, 25, 25, 25]);
  });
});
