import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatTimestamp,
  plainNumber,
} from "./format-number";

describe("formatNumber", () => {
  it.each([
    [0.91234567, "0.91235"],
    [0.5, "0.5"],
    [12000, "12000"],
    [-0.0123, "-0.0123"],
    [1.23456789, "1.2346"],
    [0.00012345, "0.00012345"],
    [1e-7, "1e-7"],
    [0.0000123456, "1.2346e-5"],
    [123456.789, "1.2346e+5"],
    [12345.67, "12346"],
    [1e20, "1e+20"],
    [-0, "0"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "∞"],
    [Number.NEGATIVE_INFINITY, "-∞"],
  ])("%s -> %s", (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it("says not applicable for missing values", () => {
    expect(formatNumber(undefined)).toBe("—");
    expect(formatNumber(null)).toBe("—");
  });
});

describe("formatChange", () => {
  it("signs the change", () => {
    expect(formatChange(0.0064)).toBe("+0.0064");
    expect(formatChange(-3)).toBe("-3");
    expect(formatChange(0)).toBe("0");
    expect(formatChange(-1e-9)).toBe("-1e-9");
    expect(formatChange(undefined)).toBe("—");
  });
});

describe("formatPercent", () => {
  it.each([
    [0.0401, "+4.01%"],
    [-0.01001, "-1%"],
    [0.302, "+30.2%"],
    [2.5, "+250%"],
    [0.00032, "+0.032%"],
    [-0.0000123, "-0.0012%"],
    [0, "0%"],
    [123456, "+1.23e+7%"],
  ])("%s -> %s", (value, expected) => {
    expect(formatPercent(value)).toBe(expected);
  });

  it("says not applicable when there is no relative change", () => {
    expect(formatPercent(undefined)).toBe("—");
    expect(formatPercent(Number.NaN)).toBe("—");
  });
});

describe("plainNumber", () => {
  it("never uses exponent form", () => {
    expect(plainNumber(1e-7)).toBe("0.0000001");
    expect(plainNumber(1.23456789e-8)).toBe("0.0000000123457");
    expect(plainNumber(1e22)).toBe("10000000000000000000000");
    expect(plainNumber(0.1 + 0.2)).toBe("0.3");
    expect(plainNumber(-2.5)).toBe("-2.5");
    expect(plainNumber(Number.NaN)).toBe("0");
  });
});

describe("durations, counts and timestamps", () => {
  it("formats durations", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_345)).toBe("12.3 s");
    expect(formatDuration(2_068_000)).toBe("34m 28s");
    expect(formatDuration(3_723_000)).toBe("1h 02m");
    expect(formatDuration(undefined)).toBe("—");
  });

  it("groups thousands", () => {
    expect(formatCount(5000)).toBe("5,000");
    expect(formatCount(1_234_567)).toBe("1,234,567");
    expect(formatCount(12)).toBe("12");
  });

  it("writes timestamps in UTC", () => {
    expect(formatTimestamp("2026-11-26T12:05:59+02:00")).toBe("2026-11-26 10:05 UTC");
    expect(formatTimestamp("yesterday")).toBeUndefined();
  });
});
