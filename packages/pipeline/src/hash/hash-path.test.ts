import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dos2unix, isTextBlock, md5File } from "./file-md5";
import { HashCache } from "./hash-cache";
import { hashPath, hashPathDetailed } from "./hash-path";
import { compareCodePoints, pyJsonDumps } from "./py-json";

// A reference implementation in Python of dvc_data's hashing (hash.py, tree.py), run for real.
const PY_REF = String.raw`
import hashlib, json, os, sys
TEXT = bytes(range(32, 127)) + b"\n\r\t\f\b"
def istext(b):
    if not b: return True
    if b"\x00" in b: return False
    return len(b.translate(None, TEXT)) / len(b) <= 0.30
def md5(path, legacy):
    h = hashlib.md5()
    with open(path, "rb") as f:
        while True:
            c = f.read(2**20)
            if not c: break
            if legacy and istext(c[:512]): c = c.replace(b"\r\n", b"\n")
            h.update(c)
    return h.hexdigest()
def tree(path, legacy):
    entries = []
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in (".git", ".hg", ".dvc")]
        for f in files:
            if f == ".git": continue
            p = os.path.join(root, f)
            entries.append({"md5": md5(p, legacy), "relpath": os.path.relpath(p, path).replace(os.sep, "/")})
    entries.sort(key=lambda e: e["relpath"])
    data = json.dumps(entries, sort_keys=True)
    return data, hashlib.md5(data.encode("utf-8")).hexdigest() + ".dir"
mode, path, legacy = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
if mode == "file": print(md5(path, legacy))
else:
    data, h = tree(path, legacy)
    sys.stdout.write(json.dumps({"manifest": data, "md5": h}))
`;

function py(mode: "file" | "tree", path: string, legacy = false): string {
  return execFileSync("python3", ["-c", PY_REF, mode, path, legacy ? "1" : "0"], { encoding: "utf8" }).trim();
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlci-hash-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("file hashes", () => {
  it("hashes text, binary and empty files like DVC (raw MD5)", async () => {
    await writeFile(join(dir, "t.txt"), "hello\r\nworld\n");
    await writeFile(join(dir, "b.bin"), Buffer.from([0, 1, 2, 255, 13, 10, 0]));
    await writeFile(join(dir, "e"), "");
    for (const f of ["t.txt", "b.bin", "e"]) {
      expect((await hashPath(join(dir, f))).md5).toBe(py("file", join(dir, f)));
    }
    expect(await hashPath(join(dir, "e"))).toEqual({ md5: "d41d8cd98f00b204e9800998ecf8427e", size: 0 });
    expect((await hashPath(join(dir, "t.txt"))).size).toBe(13);
  });

  it("legacy md5-dos2unix: CRLF under and over 1 MiB, a CRLF split at the chunk boundary, binary chunks", async () => {
    const small = "a,b\r\n1,2\r\n".repeat(100);
    await writeFile(join(dir, "small.csv"), small);
    // Over 1 MiB: the CRLF at offset 2^20 - 1 straddles the first chunk boundary (kept as is).
    const big = Buffer.alloc((1 << 20) + 4096, "x");
    for (let i = 100; i < big.length; i += 100) big.write("\r\n", i);
    big.write("\r\n", (1 << 20) - 1);
    await writeFile(join(dir, "big.txt"), big);
    // A second chunk that is binary keeps its CRLFs.
    const mixed = Buffer.concat([
      Buffer.from("x\r\n".repeat(400_000)),
      Buffer.alloc(600, 0),
      Buffer.from("\r\n"),
    ]);
    await writeFile(join(dir, "mixed.bin"), mixed);
    for (const f of ["small.csv", "big.txt", "mixed.bin"]) {
      const p = join(dir, f);
      expect(await md5File(p, true)).toBe(py("file", p, true));
      expect(await md5File(p, false)).toBe(py("file", p, false));
    }
    expect(await md5File(join(dir, "small.csv"), true)).not.toBe(await md5File(join(dir, "small.csv")));
    expect((await hashPath(join(dir, "big.txt"), { legacy: true })).size).toBe(big.length);
  });

  it("detects text blocks as dvc_data does", () => {
    expect(isTextBlock(new Uint8Array())).toBe(true);
    expect(isTextBlock(Buffer.from("plain text\n"))).toBe(true);
    expect(isTextBlock(Buffer.from([65, 0, 66]))).toBe(false);
    expect(isTextBlock(Buffer.from([200, 201, 202, 65, 66, 67, 68, 69, 70, 71]))).toBe(true); // 30%
    expect(isTextBlock(Buffer.from([200, 201, 202, 203, 66, 67, 68, 69, 70, 71]))).toBe(false);
    expect(dos2unix(Buffer.from("a\r\nb\r\r\n")).toString()).toBe("a\nb\r\n");
  });

  it("records isexec for executable files only", async () => {
    await writeFile(join(dir, "run.sh"), "#!/bin/sh\necho hi\n");
    expect((await hashPath(join(dir, "run.sh"))).isexec).toBeUndefined();
    await chmod(join(dir, "run.sh"), 0o755);
    expect(await hashPath(join(dir, "run.sh"))).toEqual({
      md5: py("file", join(dir, "run.sh")),
      size: 18,
      isexec: true,
    });
  });
});

describe("directory hashes", () => {
  it("builds the .dir manifest byte for byte like json.dumps, with non-ASCII names", async () => {
    const data = join(dir, "data");
    await mkdir(join(data, "sub", "ünïcödé", "深い"), { recursive: true });
    await writeFile(join(data, "a.txt"), "A");
    await writeFile(join(data, "a-b.txt"), "dash sorts before slash");
    await writeFile(join(data, "sub", "x"), "x");
    await writeFile(join(data, "sub", "ünïcödé", "é.txt"), "e");
    await writeFile(join(data, "sub", "ünïcödé", "深い", "😀.bin"), Buffer.from([1, 2, 3]));
    await writeFile(join(data, "sub", "\uff5e.txt"), "fullwidth tilde sorts before emoji");
    await writeFile(join(data, 'quote"and\\back.txt'), "q");
    await mkdir(join(data, "empty"));
    await mkdir(join(data, ".git"));
    await writeFile(join(data, ".git", "HEAD"), "ignored");
    const ours = await hashPathDetailed(data);
    const ref = JSON.parse(py("tree", data)) as { manifest: string; md5: string };
    expect(ours.manifest).toBe(ref.manifest);
    expect(ours.md5).toBe(ref.md5);
    expect(ours.nfiles).toBe(7);
    expect(ours.size).toBe(1 + 23 + 1 + 1 + 3 + 34 + 1);
    expect(ours.manifest).toContain("\\u00fc");
    expect(ours.manifest).toContain("\\ud83d\\ude00");
    expect(await hashPath(data)).toEqual({ md5: ref.md5, size: ours.size, nfiles: 7 });
  });

  it("hashes an empty directory as DVC does and honours .dvcignore above it", async () => {
    await mkdir(join(dir, "out", "logs"), { recursive: true });
    expect(await hashPath(join(dir, "out"))).toEqual({
      md5: "d751713988987e9331980363e24189ce.dir",
      size: 0,
      nfiles: 0,
    });
    await writeFile(join(dir, "out", "keep.txt"), "k");
    await writeFile(join(dir, "out", "logs", "x.log"), "l");
    await writeFile(join(dir, "out", "y.tmp"), "t");
    await writeFile(join(dir, ".dvcignore"), "# comment\n*.tmp\nout/logs/\n");
    const h = await hashPathDetailed(join(dir, "out"), { root: dir });
    expect(h.files?.map((f) => f.relpath)).toEqual(["keep.txt"]);
    await writeFile(join(dir, "out", ".dvcignore"), "x");
    await expect(hashPath(join(dir, "out"), { root: dir })).rejects.toThrow(/should not be in collected dir/);
  });

  it("serialises like Python json.dumps and sorts by code point", () => {
    expect(pyJsonDumps([{ relpath: "é\n\t\u0001", md5: "x" }])).toBe(
      '[{"md5": "x", "relpath": "\\u00e9\\n\\t\\u0001"}]',
    );
    expect(["\u{1F600}", "\uff5e", "a"].sort(compareCodePoints)).toEqual(["a", "\uff5e", "\u{1F600}"]);
  });
});

describe("hash cache", () => {
  it("does not read unchanged files again, and survives a reload from disk", async () => {
    const f = join(dir, "data.bin");
    await writeFile(f, "original");
    const old = new Date(Date.now() - 60_000);
    await utimes(f, old, old);
    const cacheFile = join(dir, ".dvc", "tmp", "mlci-hashes.json");
    const cache = await HashCache.load(cacheFile);
    const first = await hashPath(f, { cache });
    await cache.save();
    // Same size, same mtime, same inode, different bytes: a trusted entry is used without reading.
    await writeFile(f, "ORIGINAL");
    await utimes(f, old, old);
    const reloaded = await HashCache.load(cacheFile);
    expect((await hashPath(f, { cache: reloaded })).md5).toBe(first.md5);
    // Any stat change invalidates the entry.
    const newer = new Date(Date.now() - 30_000);
    await utimes(f, newer, newer);
    expect((await hashPath(f, { cache: reloaded })).md5).toBe(py("file", f));
  });

  it("does not trust an entry recorded within the mtime granularity (racy file)", async () => {
    const f = join(dir, "racy.txt");
    await writeFile(f, "one");
    const st = await stat(f);
    let now = BigInt(Math.round(st.mtimeMs)) * 1_000_000n + 10_000_000n; // 10 ms after the write
    const cache = HashCache.memory({ racyWindowMs: 2000, nowNs: () => now });
    expect((await hashPath(f, { cache })).md5).toBe(py("file", f));
    // The file changes again within the same tick: same size, mtime and inode.
    await writeFile(f, "two");
    await utimes(f, st.atime, st.mtime);
    expect((await hashPath(f, { cache })).md5).toBe(py("file", f)); // re-read, not the stale "one"
    // Hashed well after its mtime, the entry becomes trustworthy.
    now += 5_000_000_000n;
    await hashPath(f, { cache });
    await writeFile(f, "TWO");
    await utimes(f, st.atime, st.mtime);
    expect((await hashPath(f, { cache })).md5).not.toBe(py("file", f)); // served from the cache
  });
});
