import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureDirSync, writeFileAtomic, writeFileAtomicSync } from "./atomic-write";
import { ExitCode, exitCodeFor, formatError, MlciError } from "./errors";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "mlci-atomic-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

describe("writeFileAtomic", () => {
  it("creates missing folders, replaces the old content and leaves no temp file", async () => {
    const d = tempDir();
    const path = join(d, "a", "b", "out.json");
    await writeFileAtomic(path, "one\n");
    writeFileAtomicSync(path, "two\n");
    expect(readFileSync(path, "utf8")).toBe("two\n");
    expect(readdirSync(join(d, "a", "b"))).toEqual(["out.json"]);
  });

  it("keeps the permission bits of the file it replaces", () => {
    const d = tempDir();
    const path = join(d, "secret.json");
    writeFileSync(path, "old");
    chmodSync(path, 0o600);
    writeFileAtomicSync(path, "new");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe("new");
  });

  it("writes through a symbolic link, which stays a link, and creates the file a dangling link names", () => {
    const d = tempDir();
    mkdirSync(join(d, "store"));
    writeFileSync(join(d, "store", "metrics.json"), "old");
    symlinkSync(join("store", "metrics.json"), join(d, "metrics.json"));
    writeFileAtomicSync(join(d, "metrics.json"), "new");
    expect(lstatSync(join(d, "metrics.json")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, "store", "metrics.json"), "utf8")).toBe("new");

    symlinkSync(join(d, "store", "later.json"), join(d, "later.json"));
    writeFileAtomicSync(join(d, "later.json"), "created");
    expect(readlinkSync(join(d, "later.json"))).toBe(join(d, "store", "later.json"));
    expect(readFileSync(join(d, "store", "later.json"), "utf8")).toBe("created");
  });

  it("writes a pipe in place rather than renaming a file over it (-o /dev/stdout)", async () => {
    const d = tempDir();
    const fifo = join(d, "pipe");
    const mk = spawn("mkfifo", [fifo]);
    await new Promise((r) => mk.on("close", r));
    const reader = spawn("cat", [fifo]);
    let got = "";
    reader.stdout.on("data", (b: Buffer) => {
      got += b.toString();
    });
    const closed = new Promise((r) => reader.on("close", r));
    writeFileAtomicSync(fifo, "through the pipe\n");
    await closed;
    expect(got).toBe("through the pipe\n");
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it("refuses a folder where the file should be, and a file where a folder should be, naming the path", () => {
    const d = tempDir();
    mkdirSync(join(d, "out.json"));
    const isDir = thrown(() => writeFileAtomicSync(join(d, "out.json"), "x"));
    expect(isDir).toBeInstanceOf(MlciError);
    expect(formatError(isDir)).toBe(`cannot write ${join(d, "out.json")}: it is a folder (EISDIR)`);

    writeFileSync(join(d, "README.md"), "");
    const notDir = thrown(() => writeFileAtomicSync(join(d, "README.md", "x.json"), "x"));
    expect(formatError(notDir)).toBe(
      `cannot write ${join(d, "README.md", "x.json")}: a part of the path is not a folder (ENOTDIR)`,
    );
    expect(exitCodeFor(notDir)).toBe(ExitCode.ENVIRONMENT);
    expect(readdirSync(d).sort()).toEqual(["README.md", "out.json"]);
  });

  // Node's own recursive mkdir never returns there (it retries ENOENT for ever); this would hang.
  it.skipIf(!existsSync("/proc/self"))(
    "fails at once under /proc, where Node's recursive mkdir spins",
    () => {
      const started = Date.now();
      const err = thrown(() => writeFileAtomicSync("/proc/mlci-no-such/run.json", "{}"));
      expect(formatError(err)).toBe(
        "cannot write /proc/mlci-no-such/run.json: no such file or folder (ENOENT, creating the folder /proc/mlci-no-such)",
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(() => ensureDirSync("/proc/mlci-no-such/a/b")).toThrow("ENOENT");
    },
  );
});
