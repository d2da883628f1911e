import { describe, expect, it } from "vitest";
import { renderDoctor } from "./render";
import { check } from "./types";

describe("renderDoctor", () => {
  it("one line per check with its mark, hints for what is not ok, and a verdict", () => {
    const text = renderDoctor({
      version: 1,
      ok: false,
      checks: [
        check("node", "node", "ok", "v20.19.0"),
        check("history", "history", "warn", "shallow clone", "use fetch-depth: 0"),
        check("token", "token", "skip", "no token"),
        check("config:dvc.yaml", "dvc.yaml", "fail", "2 problems:\n  dvc.yaml:3 a\n  dvc.yaml:4 b"),
      ],
    });
    expect(text).toBe(
      [
        "mlci doctor",
        "",
        "  ✓  node      v20.19.0",
        "  !  history   shallow clone",
        "               hint: use fetch-depth: 0",
        "  -  token     no token",
        "  ✗  dvc.yaml  2 problems:",
        "               dvc.yaml:3 a",
        "               dvc.yaml:4 b",
        "",
        "1 problem and 1 warning: see ✗ above.",
        "✓ ok   ! warning   ✗ problem (exit 1)   - not checked or not there",
      ].join("\n"),
    );
  });

  it("says ready when nothing failed", () => {
    const ok = renderDoctor({ version: 1, ok: true, checks: [check("node", "node", "ok", "v24.0.0")] });
    expect(ok).toContain("\nReady.\n");
    const warned = renderDoctor({ version: 1, ok: true, checks: [check("gpu", "gpu", "warn", "x")] });
    expect(warned).toContain("Ready, with 1 warning.");
  });
});
