import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mlci } from "../helpers/pipeline-project";

// DVC's hashing written from the format (docs, FORMATS.md) in Python, independently of the
// TypeScript code: MD5 of raw bytes; md5-dos2unix per 1 MiB chunk; the .dir manifest as
// json.dumps(sort_keys=True) of {md5, relpath} sorted by relpath.
const PY_DVC = String.raw`
import hashlib, json, os, sys
PRINTABLE = set(range(32, 127)) | {10, 13, 9, 12, 8}
def is_text(block):
    if len(block) == 0: return True
    if 0 in block: return False
    other = sum(1 for b in block if b not in PRINTABLE)
    return other / len(block) <= 0.30
def file_md5(path, legacy):
    m = hashlib.md5()
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1024 * 1024)
            if not chunk: break
            if legacy and is_text(chunk[:512]): chunk = chunk.replace(b"\r\n", b"\n")
            m.update(chunk)
    return m.hexdigest()
def entry(path, legacy):
    if os.path.isfile(path):
        out = {"md5": file_md5(path, legacy), "size": os.path.getsize(path)}
        return out
    files = []
    for top, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if d not in (".git", ".hg", ".dvc")]
        for n in names:
            p = os.path.join(top, n)
            files.append((os.path.relpath(p, path).replace(os.sep, "/"), p))
    files.sort(key=lambda f: f[0])
    manifest = [{"md5": file_md5(p, legacy), "relpath": rel} for rel, p in files]
    data = json.dumps(manifest, sort_keys=True).encode("utf-8")
    return {"md5": hashlib.md5(data).hexdigest() + ".dir",
            "size": sum(os.path.getsize(p) for _, p in files), "nfiles": len(files)}
print(json.dumps(entry(sys.argv[1], sys.argv[2] == "1")))
`;

function python(path: string, legacy: boolean): unknown {
  return JSON.parse(execFileSync("python3", ["-c", PY_DVC, path, legacy ? "1" : "0"], { encoding: "utf8" }));
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-hash-vectors-"));
  const w = (rel: string, data: string | Buffer) => {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), data);
  };
  w("text.txt", "hello world\n");
  w("binary.bin", Buffer.from([0, 255, 13, 10, 1, 2, 3, 0, 13, 10]));
  w("empty", "");
  w("crlf-small.csv", "a,b\r\n1,2\r\n".repeat(1000));
  // Over 1 MiB: CRLFs in every chunk, one straddling the 1 MiB boundary (DVC leaves that one).
  const big = Buffer.alloc(3 * (1 << 20) + 123, "y");
  for (let i = 50; i < big.length - 2; i += 77) big.write("\r\n", i);
  big.write("\r\n", (1 << 20) - 1);
  w("crlf-big.txt", big);
  // A chunk that is binary (a NUL in its first 512 bytes) keeps its CRLFs in legacy mode.
  const firstChunk = Buffer.alloc(1 << 20, "z");
  for (let i = 10; i < firstChunk.length - 2; i += 64) firstChunk.write("\r\n", i);
  const mixed = Buffer.concat([firstChunk, Buffer.from([0]), Buffer.from("a\r\n".repeat(1000))]);
  w("mixed.dat", mixed);
  // Text with more than 30% non-ASCII bytes counts as binary.
  w("latin.txt", Buffer.from("é\r\n".repeat(200), "latin1"));
  w("tree/données/日本語/ファイル.txt", "unicode\r\n");
  w("tree/données/empty.txt", "");
  w("tree/Zeta/😀.json", '{"a": 1}\r\n');
  w("tree/a b/c.csv", "x,y\r\n");
  w("tree/.git/ignored", "git internals are skipped");
  w("tree/nested/deeper/deepest/file.bin", Buffer.from([0, 1, 2]));
  mkdirSync(join(dir, "emptydir"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vectors = [
  "text.txt",
  "binary.bin",
  "empty",
  "crlf-small.csv",
  "crlf-big.txt",
  "mixed.dat",
  "latin.txt",
  "tree",
  "tree/données",
  "emptydir",
];

describe("mlci hash (bundled CLI) agrees with DVC's format", () => {
  it.each(vectors)("%s, md5 and legacy md5-dos2unix", (rel) => {
    for (const legacy of [false, true]) {
      const out = mlci(dir, ["hash", rel, ...(legacy ? ["--legacy"] : [])]);
      expect(out.stderr).toBe("");
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout)).toEqual(python(join(dir, rel), legacy));
    }
  });

  it("prints DVC's known values: the empty file and the empty directory", () => {
    expect(JSON.parse(mlci(dir, ["hash", "empty"]).stdout)).toEqual({
      md5: "d41d8cd98f00b204e9800998ecf8427e",
      size: 0,
    });
    // DVC records an empty directory as md5("[]") + ".dir".
    expect(JSON.parse(mlci(dir, ["hash", "emptydir"]).stdout)).toEqual({
      md5: "d751713988987e9331980363e24189ce.dir",
      size: 0,
      nfiles: 0,
    });
  });

  it("legacy mode changes text files with CRLF only, over and under 1 MiB", () => {
    const h = (rel: string, legacy: boolean) =>
      JSON.parse(mlci(dir, ["hash", rel, ...(legacy ? ["--legacy"] : [])]).stdout).md5;
    expect(h("crlf-small.csv", true)).not.toBe(h("crlf-small.csv", false));
    expect(h("crlf-big.txt", true)).not.toBe(h("crlf-big.txt", false));
    expect(h("binary.bin", true)).toBe(h("binary.bin", false));
    expect(h("latin.txt", true)).toBe(h("latin.txt", false));
    expect(h("text.txt", true)).toBe(h("text.txt", false));
  });

  it("fails clearly on a missing path or a wrong number of paths", () => {
    const missing = mlci(dir, ["hash", "nope"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe("mlci: nope does not exist\n");
    const none = mlci(dir, ["hash"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("exactly one path");
  });
});
