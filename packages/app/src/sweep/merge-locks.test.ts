import { parseLock, serializeLock } from "@mlci/pipeline";
import { describe, expect, it } from "vitest";
import { mergeLocks } from "./merge-locks";

const entry = (cmd: string, md5: string) => `  ${cmd}:
    cmd: run ${cmd}
    deps:
    - path: data
      hash: md5
      md5: 0cc175b9c0f1b6a831c399e269772661
      size: 1
    outs:
    - path: out/${cmd}
      hash: md5
      md5: ${md5}
      size: 2
`;

const lock = (...entries: string[]) => parseLock(`schema: '2.0'\nstages:\n${entries.join("")}`);
const order = ["prepare", "train@1", "train@2", "train@3", "compare"];

describe("mergeLocks", () => {
  it("takes each shard's changed entries; old stages keep their place, new ones follow in run order", () => {
    const base = lock(entry("compare", "c".repeat(32)), entry("train@1", "d".repeat(32)));
    const shardA = lock(
      entry("prepare", "p".repeat(32)),
      entry("train@1", "a".repeat(32)),
      entry("compare", "c".repeat(32)),
    );
    const shardB = lock(
      entry("prepare", "p".repeat(32)),
      entry("train@3", "f".repeat(32)),
      entry("train@2", "e".repeat(32)),
    );
    const merged = mergeLocks(
      base,
      [
        { dir: "shard-a", lock: shardA },
        { dir: "shard-b", lock: shardB },
      ],
      order,
    );
    expect([...merged.lock.stages.keys()]).toEqual(["compare", "train@1", "prepare", "train@2", "train@3"]);
    expect(merged.taken).toEqual([
      { stage: "train@1", shard: "shard-a" },
      { stage: "prepare", shard: "shard-a" },
      { stage: "train@2", shard: "shard-b" },
      { stage: "train@3", shard: "shard-b" },
    ]);
    expect(merged.lock.stages.get("train@1")?.outs[0]?.md5).toBe("a".repeat(32));
    // compare is unchanged (not taken), but shard-a ran it to the same entry: its outputs count.
    expect(merged.provided).toEqual([
      { stage: "prepare", shard: "shard-a" },
      { stage: "train@1", shard: "shard-a" },
      { stage: "train@2", shard: "shard-b" },
      { stage: "train@3", shard: "shard-b" },
      { stage: "compare", shard: "shard-a" },
    ]);
    // The text is what DVC writes: a lock parsed back from it is the same lock.
    const text = serializeLock(merged.lock);
    expect(serializeLock(parseLock(text))).toBe(text);
    // The base lock is left alone.
    expect(base.stages.get("train@1")?.outs[0]?.md5).toBe("d".repeat(32));
    expect(serializeLock(base)).not.toContain("prepare");
  });

  it("refuses two shards that changed the same stage differently", () => {
    const a = lock(entry("prepare", "a".repeat(32)));
    const b = lock(entry("prepare", "b".repeat(32)));
    expect(() =>
      mergeLocks(
        lock(),
        [
          { dir: "s0", lock: a },
          { dir: "s1", lock: b },
        ],
        order,
      ),
    ).toThrow(/stage 'prepare' has different results in s0 and s1/);
  });

  it("ignores entries of stages dvc.yaml no longer has", () => {
    const merged = mergeLocks(lock(), [{ dir: "s0", lock: lock(entry("old", "0f".repeat(16))) }], order);
    expect(merged.ignored).toEqual(["old"]);
    expect(merged.taken).toEqual([]);
  });
});
