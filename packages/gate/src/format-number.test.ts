import { describe, expect, it } from "vitest";
import { formatDistinct, formatNumber, formatPercent } from "./format-number";

describe("gate number formatting", () => {
  it("keeps large values whole instead of switching to exponents", () => {
    expect(formatNumber(699.4, 2)).toBe("699");
    expect(formatDistinct(699.4, 25, 2)[0]).toBe("699");
    expect(formatPercent(6.994)).toBe("699%");
  });

  it("keeps small values short but distinct", () => {
    expect(formatNumber(0.000012345, 3)).toBe("0.0000123");
    expect(formatNumber(1.2345e-9, 3)).toBe("1.23e-9");
    expect(formatNumber(0.0269 * 100, 2)).toBe("2.7");
    expect(formatDistinct(0.85, 0.8501, 2)).toEqual(["0.85", "0.8501"]);
  });
});
