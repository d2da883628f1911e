import { describe, expect, it } from "vitest";
import { decodeFloat64Compact, encodeFloat32Compact, encodeFloat64Compact } from "./codec";

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

  it("keeps sketch items as float32 when shorter: within 2^-24 relative, order kept", () => {
    const values = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 1e6 + i / 7);
    const enc = encodeFloat32Compact(values);
    expect(typeof enc === "string" && enc.startsWith("f32:")).toBe(true);
    expect((enc as string).length).toBeLessThan(4 + (200 * 4 * 4) / 3 + 4);
    const back = decodeFloat64Compact(enc);
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(Math.abs(values[i]!) * 2 ** -24);
    }
    const sorted = [...values].sort((a, b) => a - b);
    const sortedBack = Array.from(decodeFloat64Compact(encodeFloat32Compact(sorted)));
    expect([...sortedBack].sort((a, b) => a - b)).toEqual(sortedBack);
    // Codes stay exact numbers; values float32 cannot hold keep float64.
    expect(encodeFloat32Compact([0, 1, 2, 3])).toEqual([0, 1, 2, 3]);
    const huge = [1e300, Math.PI, 2e-300, Math.E, 1 / 3, 5 / 7];
    expect(Array.from(decodeFloat64Compact(encodeFloat32Compact(huge)))).toEqual(huge);
  });
});
