import { existsSync, mkdtempSync, readFileSync } from "node:fs";
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

  it("passes a cancelled job's SIGINT to the programs bash started, not only to bash", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "mlci-run-"));
    // The trap is in a child of bash, running while bash waits for it.
    const run = runShellCommand(
      `sh -c 'trap "echo stopped > stopped.txt; exit 130" INT; touch started; while :; do sleep 0.05; done'; echo never > never.txt`,
      { cwd, env: process.env },
    );
    for (let i = 0; i < 200 && !existsSync(join(cwd, "started")); i++)
      await new Promise((r) => setTimeout(r, 25));
    // What the runner's SIGINT does to this process, without signalling the test runner itself.
    process.emit("SIGINT", "SIGINT");
    const result = await run;
    expect(result.code).toBe(130);
    expect(readFileSync(join(cwd, "stopped.txt"), "utf8")).toBe("stopped\n");
    expect(existsSync(join(cwd, "never.txt"))).toBe(false);
  });
});
