import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeFor, formatError, MlciError } from "./errors";

describe("errors", () => {
  it("formats a user error with its location and hint, without a stack", () => {
    const err = new MlciError("CONFIG", "expected a number", {
      location: { file: ".mlci/gates.yml", line: 4, key: "rules[0].min" },
      hint: "write min: 0.8",
    });
    const text = formatError(err);
    expect(text).toBe(".mlci/gates.yml:4 (key `rules[0].min`): expected a number\n  hint: write min: 0.8");
    expect(text).not.toContain("at ");
    expect(exitCodeFor(err)).toBe(ExitCode.USAGE);
  });

  it("asks for a bug report on unexpected errors", () => {
    const text = formatError(new TypeError("x is undefined"));
    expect(text).toContain("This is a bug in mlci");
    expect(exitCodeFor(new TypeError("x"))).toBe(ExitCode.INTERNAL);
    expect(exitCodeFor(new MlciError("FAILED", "gate failed"))).toBe(ExitCode.FAILED);
  });
});
