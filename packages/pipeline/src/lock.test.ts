import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  emptyLock,
  type LockStage,
  parseLock,
  readLock,
  serializeLock,
  setLockStage,
  writeLock,
} from "./lock";
import { PyFloat, type Value, type ValueMap } from "./values";
import { parseSimpleBlockYaml } from "./yaml/fast-block";

// Written the way DVC 3 writes it (ruamel round-trip dumper): a legacy DVC 2 entry (no hash),
// a folded long command, a list command, nested params, an executable output, quoted strings.
const GOLDEN = `schema: '2.0'
stages:
  prepare:
    cmd: python src/prepare.py data/data.xml
    deps:
    - path: data/data.xml
      md5: 22a1a2931c8370d3aeedd7183606fd7f
      size: 14445097
    - path: src/prepare.py
      md5: f09ea0c15980b43010257ccb9f0055e2
      size: 1576
    params:
      params.yaml:
        prepare.seed: 20170428
        prepare.split: 0.2
    outs:
    - path: data/prepared
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
  train:
    cmd: python src/train.py --data data/prepared --out models/model.pkl --epochs
      10 --seed 42 --verbose
    deps:
    - path: data/prepared
      hash: md5
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
    params:
      params.yaml:
        train:
          lr: 1e-05
          layers:
          - 64
          - 32
          ratio: 1.0
          name: yes
          tag: '2.0'
          empty:
        seed: 42
      config/extra.json:
        flag: true
    outs:
    - path: models/model.pkl
      hash: md5
      md5: 3863d0e317dee0a55c4e59d2ec0eef33
      size: 1
    - path: run.sh
      hash: md5
      md5: 6a4c3ff4ad4dbe5a8c4d41d9d4dc6e33
      size: 18
      isexec: true
  evaluate:
    cmd:
    - python src/evaluate.py
    - "'my script.sh' --name it's"
    - echo 'done'
    outs:
    - path: metrics.json
      hash: md5
      md5: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
      size: 120
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlci-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("dvc.lock", () => {
  it("round-trips a DVC-written lock byte for byte", () => {
    const lock = parseLock(GOLDEN);
    expect(serializeLock(lock)).toBe(GOLDEN);
    expect(parseSimpleBlockYaml(GOLDEN)).not.toBeNull(); // DVC's output takes the fast path
    const train = lock.stages.get("train") as LockStage;
    expect(train.deps[0]).toEqual({
      path: "data/prepared",
      hashMd5: true,
      md5: "153aad06d376b6595932470e459ef42a.dir",
      size: 8437363,
      nfiles: 2,
    });
    expect(lock.stages.get("prepare")?.deps[0]?.hashMd5).toBe(false);
    const p = train.params.get("params.yaml")?.get("train") as ValueMap;
    expect(p.get("ratio")).toBeInstanceOf(PyFloat);
    expect(p.get("empty")).toBeNull();
    expect(lock.stages.get("evaluate")?.cmd).toEqual([
      "python src/evaluate.py",
      "'my script.sh' --name it's",
      "echo 'done'",
    ]);
  });

  it("serialises a stage in DVC's order: sorted entries, params.yaml first, top-level keys sorted", () => {
    const lock = emptyLock();
    setLockStage(lock, "b@1", {
      cmd: "run",
      deps: [
        { path: "z.txt", hashMd5: true, md5: "z", size: 1 },
        { path: "a/b", hashMd5: true, md5: "d.dir", size: 2, nfiles: 1 },
      ],
      params: new Map<string, ValueMap>([
        ["zeta.toml", new Map<string, Value>([["k", 1]])],
        [
          "params.yaml",
          new Map<string, Value>([
            ["y", new PyFloat(2)],
            [
              "x",
              new Map<string, Value>([
                ["b", 1],
                ["a", 2],
              ]),
            ],
          ]),
        ],
        ["alpha.json", new Map<string, Value>([["q", "2.0"]])],
      ]),
      outs: [{ path: "out", hashMd5: true, md5: "o", size: 0, isexec: true }],
    });
    expect(serializeLock(lock)).toBe(`schema: '2.0'
stages:
  b@1:
    cmd: run
    deps:
    - path: a/b
      hash: md5
      md5: d.dir
      size: 2
      nfiles: 1
    - path: z.txt
      hash: md5
      md5: z
      size: 1
    params:
      params.yaml:
        x:
          b: 1
          a: 2
        y: 2.0
      alpha.json:
        q: '2.0'
      zeta.toml:
        k: 1
    outs:
    - path: out
      hash: md5
      md5: o
      size: 0
      isexec: true
`);
  });

  it("writes atomically, only when the bytes change; keeps untouched stages and appends new ones", async () => {
    const path = join(dir, "dvc.lock");
    await writeFile(path, GOLDEN);
    const lock = await readLock(path);
    const before = await stat(path);
    expect(await writeLock(path, lock)).toBe(false);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    setLockStage(lock, "prepare", {
      ...(lock.stages.get("prepare") as LockStage),
      cmd: "python src/prepare.py v2",
    });
    setLockStage(lock, "new", { cmd: "echo", deps: [], params: new Map(), outs: [] });
    expect(await writeLock(path, lock)).toBe(true);
    const text = await readFile(path, "utf8");
    expect(text.indexOf("prepare:")).toBeLessThan(text.indexOf("train:"));
    expect(text).toContain(
      "    cmd: python src/prepare.py v2\n    deps:\n    - path: data/data.xml\n      md5: 22a1",
    );
    expect(text.endsWith("  new:\n    cmd: echo\n")).toBe(true);
    expect(text).toContain(GOLDEN.slice(GOLDEN.indexOf("  train:"), GOLDEN.indexOf("  evaluate:")));
    expect(await readLock(join(dir, "missing.lock"))).toEqual(emptyLock());
    expect(() => parseLock("schema: '1.0'\n")).toThrow(/schema '2.0'/);
  });
});
