import type { ColumnDrift, DriftReport } from "@mlci/data";
import { describe, expect, it } from "vitest";
import { decideRetrain, describeDrift } from "./decide";
import { parseReferenceSpec, resolveReference } from "./reference";

function column(name: string, drifted: boolean): ColumnDrift {
  return {
    column: name,
    kind: "numeric",
    method: "ks",
    score: drifted ? 0.001 : 0.4,
    threshold: 0.05,
    drifted,
    psi: 0,
    jensenShannon: 0,
    reference: { values: 100 },
    current: { values: 100 },
    exact: true,
    bins: { labels: [], reference: [], current: [] },
  };
}

function drift(flags: boolean[], skipped: DriftReport["skipped"] = []): DriftReport {
  const columns = flags.map((d, i) => column(`c${i}`, d));
  const share = columns.filter((c) => c.drifted).length / columns.length;
  return {
    version: 1,
    kind: "mlci-drift",
    driftShare: share,
    driftShareThreshold: 0.5,
    drifted: share >= 0.5,
    columns,
    skipped,
  };
}

const where = {
  reference: { spec: "ref.json", path: "ref.json", rows: 100 },
  current: { rows: 100, malformedRows: 0 },
};

describe("decideRetrain", () => {
  it("retrains when at least half of the columns drifted", () => {
    const d = decideRetrain(drift([true, true, false, false]), where);
    expect(d.retrain).toBe(true);
    expect(d.reason).toBe("drift: 2 of 4 columns drifted (share 0.50 ≥ 0.50): c0, c1");
    expect(d.columns.map((c) => c.drifted)).toEqual([true, true, false, false]);
  });

  it("does not retrain below the share, and says so", () => {
    const d = decideRetrain(drift([true, false, false], [{ column: "t", reason: "timestamp" }]), where);
    expect(d.retrain).toBe(false);
    expect(d.reason).toBe("no drift: 1 of 3 columns drifted (share 0.33 < 0.50): c0; 1 not compared");
    expect(d.skipped).toEqual([{ column: "t", reason: "timestamp" }]);
  });

  it("retrains when forced, keeping the drift facts", () => {
    const d = decideRetrain(drift([false, false]), { ...where, always: true });
    expect(d.retrain).toBe(true);
    expect(d.drifted).toBe(false);
    expect(d.reason).toMatch(/^forced \(--always\); no drift: 0 of 2 columns/);
  });

  it("names at most five drifted columns", () => {
    expect(describeDrift(drift([true, true, true, true, true, true, true]))).toBe(
      "7 of 7 columns drifted (share 1.00 ≥ 0.50): c0, c1, c2, c3, c4, …",
    );
  });
});

describe("the reference", () => {
  it("is a path or registry:<artifact>#<stage>", () => {
    expect(parseReferenceSpec("profiles/ref.json")).toEqual({ kind: "file", path: "profiles/ref.json" });
    expect(parseReferenceSpec("registry:models:churn#prod")).toEqual({
      kind: "registry",
      artifact: "models:churn",
      stage: "prod",
    });
    expect(() => parseReferenceSpec("registry:churn")).toThrow(/registry:<artifact>#<stage>/);
    expect(() => parseReferenceSpec("registry:#prod")).toThrow(/artifact name is empty/);
    expect(() => parseReferenceSpec(" ")).toThrow(/empty/);
  });

  it("fails closed when the file is missing or not a profile", async () => {
    await expect(resolveReference("no-such-profile.json", { cwd: "/" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/cannot be read: ENOENT/),
    });
    await expect(resolveReference("package.json", { cwd: process.cwd() })).rejects.toMatchObject({
      code: "INPUT",
      message: expect.stringMatching(/not an mlci profile/),
    });
  });
});
