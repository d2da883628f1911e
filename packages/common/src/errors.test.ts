import { readFileSync } from "node:fs";
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

  it("names the path and the reason of a file-system refusal, without a stack or a bug report", () => {
    let err: unknown;
    try {
      readFileSync("/no/such/mlci/file.json");
    } catch (e) {
      err = e;
    }
    expect(formatError(err)).toBe("cannot open /no/such/mlci/file.json: no such file or folder (ENOENT)");
    expect(exitCodeFor(err)).toBe(ExitCode.ENVIRONMENT);
    // An error that only looks like one (no path) is still a bug.
    const bare = Object.assign(new Error("boom"), { code: "ENOENT" });
    expect(formatError(bare)).toContain("This is a bug in mlci");
    expect(exitCodeFor(bare)).toBe(ExitCode.INTERNAL);
  });
});
