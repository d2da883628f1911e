import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runShellCommand } from "./run-command";

describe("runShellCommand", () => {
  it("runs in bash with -e and pipefail, in the given folder and environment", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "mlci-run-"));
    const ok = await runShellCommand('echo "$MLCI_MODEL" > out.txt', {
      cwd,
      env: { ...process.env, MLCI_MODEL: "m" },
    });
    expect(ok).toEqual({ code: 0, signal: null });
    expect(readFileSync(join(cwd, "out.txt"), "utf8")).toBe("m\n");
    expect((await runShellCommand("false | true", { cwd, env: process.env })).code).toBe(1);
    expect((await runShellCommand("false\necho never", { cwd, env: process.env })).code).toBe(1);
  });
});
