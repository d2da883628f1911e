import { formatError, MlciError } from "@mlci/common";
import { describe, expect, it } from "vitest";
import { booleanInput, oneOf } from "./runner";

describe("booleanInput", () => {
  it("reads YAML 1.2's core booleans, with spaces around", () => {
    for (const v of ["true", "True", "TRUE", " true\n"]) expect(booleanInput("force", v, false)).toBe(true);
    for (const v of ["false", "False", "FALSE"]) expect(booleanInput("force", v, true)).toBe(false);
  });

  it("gives the default for an empty value (an input passed from an event that lacks it)", () => {
    expect(booleanInput("summary", "", true)).toBe(true);
    expect(booleanInput("force", "  ", false)).toBe(false);
  });

  it("with an undefined fallback, is a three-way input: empty means not given", () => {
    expect(booleanInput("production-environment", "", undefined)).toBeUndefined();
    expect(booleanInput("production-environment", "TRUE", undefined)).toBe(true);
    expect(() => booleanInput("production-environment", "maybe", undefined)).toThrow(
      'input `production-environment` must be true or false, not "maybe"',
    );
  });

  it("refuses anything else with an error for the user that names the input", () => {
    for (const v of ["yes", "1", "on", "tru"]) {
      let err: unknown;
      try {
        booleanInput("require-gpu", v, false);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MlciError);
      expect((err as MlciError).code).toBe("INPUT");
      const text = formatError(err);
      expect(text).toContain(`input \`require-gpu\` must be true or false, not "${v}"`);
      expect(text).not.toContain("bug in mlci");
    }
  });
});

describe("oneOf", () => {
  it("takes a listed word and refuses others", () => {
    expect(oneOf("gpu", " auto ", ["auto", "true", "false"])).toBe("auto");
    expect(() => oneOf("gpu", "maybe", ["auto", "true", "false"])).toThrow(
      'input `gpu` must be one of auto, true, false, not "maybe"',
    );
  });
});
