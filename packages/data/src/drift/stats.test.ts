import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chiSquareTest, jensenShannon, psi, samplePoints, wasserstein, zTest } from "./distances";
import { ks2Samp } from "./ks";
import { chiSquareSf, gammaQ, kolmogorovSf, logGamma, normalCdf } from "./special";

/** Computed by fixtures/reference-values.py with Python's standard library (see README). */
const ref = JSON.parse(
  readFileSync(new URL("./fixtures/reference-values.json", import.meta.url), "utf8"),
) as {
  ks: Array<{ x: number[]; y: number[]; statistic: number; pValue: number }>;
  chi2: Array<{ x: number; dof: number; sf: number }>;
  normal: Array<{ z: number; cdf: number }>;
  wasserstein: { u: number[]; v: number[]; distance: number };
  jensenShannon: { p: number[]; q: number[]; distance: number };
  psi: { p: number[]; q: number[]; value: number };
};

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("drift statistics against independent reference values", () => {
  it("exact two-sample KS matches exact lattice-path counting (relative error < 1e-9)", () => {
    for (const c of ref.ks) {
      const r = ks2Samp(c.x, c.y);
      expect(r.method).toBe("exact");
      expect(r.statistic).toBeCloseTo(c.statistic, 12);
      expect(rel(r.pValue, c.pValue)).toBeLessThan(1e-9);
    }
  });

  it("chi-square survival function matches closed forms (relative error < 1e-10)", () => {
    for (const c of ref.chi2) expect(rel(chiSquareSf(c.x, c.dof), c.sf)).toBeLessThan(1e-10);
  });

  it("normal CDF matches Python's erfc", () => {
    for (const c of ref.normal) expect(rel(normalCdf(c.z), c.cdf)).toBeLessThan(1e-12);
  });

  it("Wasserstein, Jensen-Shannon and PSI match their definitions", () => {
    const w = ref.wasserstein;
    expect(rel(wasserstein(samplePoints(w.u), samplePoints(w.v)), w.distance)).toBeLessThan(1e-12);
    expect(
      rel(jensenShannon(ref.jensenShannon.p, ref.jensenShannon.q), ref.jensenShannon.distance),
    ).toBeLessThan(1e-12);
    expect(rel(psi(ref.psi.p, ref.psi.q), ref.psi.value)).toBeLessThan(1e-12);
  });

  it("agrees with published table values", () => {
    // chi-square critical values at 5% (any statistics table); Γ(5) = 24.
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSf(11.070497693516351, 5)).toBeCloseTo(0.05, 12);
    expect(Math.exp(logGamma(5))).toBeCloseTo(24, 10);
    expect(gammaQ(1, 2)).toBeCloseTo(Math.exp(-2), 14);
    // Kolmogorov's distribution: the 5% critical value is 1.3581.
    expect(kolmogorovSf(1.3580986393225505)).toBeCloseTo(0.05, 9);
    expect(kolmogorovSf(0.5) + (1 - kolmogorovSf(0.5))).toBe(1);
  });

  it("runs Evidently's chi-square and Z-tests", () => {
    const same = chiSquareTest([50, 30, 20], [100, 60, 40]);
    expect(same.statistic).toBe(0);
    expect(same.pValue).toBe(1);
    const moved = chiSquareTest([50, 30, 20], [20, 30, 50]);
    expect(moved.dof).toBe(2);
    expect(moved.statistic).toBeCloseTo(63, 10); // (20-50)²/50 + 0 + (50-20)²/20
    expect(moved.pValue).toBeCloseTo(Math.exp(-63 / 2), 20); // dof 2: Q = exp(-x/2)
    const z = zTest(30, 100, 50, 100);
    // pooled 0.4: z = -0.2 / sqrt(0.24 * 0.02)
    expect(z.statistic).toBeCloseTo(-0.2 / Math.sqrt(0.24 * 0.02), 12);
    expect(z.pValue).toBeCloseTo(2 * (1 - normalCdf(Math.abs(z.statistic))), 14);
    expect(zTest(0, 10, 0, 20)).toEqual({ statistic: 0, pValue: 1 });
  });
});
