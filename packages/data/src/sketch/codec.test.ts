import { describe, expect, it } from "vitest";
import { decodeFloat64Compact, encodeFloat64Compact } from "./codec";

describe("float codec", () => {
  it("uses numbers when shorter and base64 otherwise, both exact", () => {
    const small = [0, 1, 1, 0, 2.5];
    expect(encodeFloat64Compact(small)).toEqual(small);
    const precise = [Math.PI, Math.E, 1 / 3, -Math.SQRT2];
    const enc = encodeFloat64Compact(precise);
    expect(typeof enc).toBe("string");
    expect(Array.from(decodeFloat64Compact(enc))).toEqual(precise);
    const signed = encodeFloat64Compact([-0, 1]);
    expect(Object.is(decodeFloat64Compact(signed)[0], -0)).toBe(true);
    const viaJson = JSON.parse(JSON.stringify(encodeFloat64Compact([1e-300, 5]))) as number[];
    expect(Array.from(decodeFloat64Compact(viaJson))).toEqual([1e-300, 5]);
  });
});
