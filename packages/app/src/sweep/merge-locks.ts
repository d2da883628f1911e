import { existsSync } from "node:fs";
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { MlciError } from "@mlci/common";
import {
  emptyLock,
  hashPath,
  type Lock,
  type LockStage,
  type Project,
  readLock,
  repoPath,
  serializeLock,
  setLockStage,
} from "@mlci/pipeline";

/**
 * Merging the shards of a sweep. Each shard directory mirrors the repository: its `dvc.lock`
 * (the whole lock as the shard left it) and the outputs it uploaded, at their repository paths.
 * A shard's entry that differs from the lock on disk is that shard's result; two shards that
 * changed a stage differently are a conflict (a shared upstream stage that is not deterministic),
 * never settled silently.
 */

export interface TakenStage {
  stage: string;
  /** The shard directory the entry came from. */
  shard: string;
}

export interface LockMerge {
  lock: Lock;
  /** The entries that changed, and the shard each came from. */
  taken: TakenStage[];
  /**
   * Every stage some shard ran to the merged entry (changed or not), and the first such shard:
   * its outputs are that stage's outputs. A rerun sweep whose results equal the lock still
   * restores the workspace from its shards.
   */
  provided: TakenStage[];
  /** Stages in some shard's lock that dvc.yaml no longer has. */
  ignored: string[];
}

/** One stage's entry as DVC writes it: the canonical form two entries are compared in. */
function entryText(name: string, stage: LockStage): string {
  const lock = emptyLock();
  setLockStage(lock, name, stage);
  return serializeLock(lock);
}

/**
 * Merges the shards' locks into the base lock. Stages the base has keep their place; new ones
 * are appended in run order, as one `mlci repro` (or `dvc repro`) of the whole sweep writes them.
 */
export function mergeLocks(
  base: Lock,
  shards: ReadonlyArray<{ dir: string; lock: Lock }>,
  runOrder: readonly string[],
): LockMerge {
  const known = new Set(runOrder);
  const texts = new Map<Lock, Map<string, string>>();
  const textOf = (lock: Lock, name: string, stage: LockStage): string => {
    const m = texts.get(lock) ?? new Map<string, string>();
    texts.set(lock, m);
    const t = m.get(name) ?? entryText(name, stage);
    m.set(name, t);
    return t;
  };
  const chosen = new Map<string, { shard: string; stage: LockStage; text: string }>();
  const ignored = new Set<string>();
  for (const { dir, lock } of shards) {
    for (const [name, stage] of lock.stages) {
      if (!known.has(name)) {
        ignored.add(name);
        continue;
      }
      const text = textOf(lock, name, stage);
      const before = base.stages.get(name);
      if (before && textOf(base, name, before) === text) continue;
      const other = chosen.get(name);
      if (other && other.text !== text) {
        throw new MlciError(
          "DATA",
          `stage '${name}' has different results in ${other.shard} and ${dir}: a stage that several shards run must be deterministic`,
          { hint: "fix its seed, or make it a target of a single shard" },
        );
      }
      if (!other) chosen.set(name, { shard: dir, stage, text });
    }
  }
  // Copies: the base lock is left as it was.
  const raw = new Map(base.raw);
  const rawStages = raw.get("stages");
  if (rawStages instanceof Map) raw.set("stages", new Map(rawStages));
  const lock: Lock = { raw, stages: new Map(base.stages) };
  const order = new Map(runOrder.map((n, i) => [n, i]));
  const names = [...chosen.keys()].sort((a, b) => {
    const aOld = base.stages.has(a) ? 0 : 1;
    const bOld = base.stages.has(b) ? 0 : 1;
    return aOld - bOld || (order.get(a) ?? 0) - (order.get(b) ?? 0);
  });
  for (const name of names) setLockStage(lock, name, (chosen.get(name) as { stage: LockStage }).stage);
  const provided = new Map<string, string>();
  for (const { dir, lock: shardLock } of shards) {
    for (const [name, stage] of shardLock.stages) {
      const merged = lock.stages.get(name);
      if (!known.has(name) || provided.has(name) || !merged) continue;
      const want = chosen.get(name)?.text ?? textOf(base, name, merged);
      if (textOf(shardLock, name, stage) === want) provided.set(name, dir);
    }
  }
  return {
    lock,
    taken: names.map((stage) => ({ stage, shard: (chosen.get(stage) as { shard: string }).shard })),
    provided: runOrder
      .filter((n) => provided.has(n))
      .map((stage) => ({ stage, shard: provided.get(stage) as string })),
    ignored: [...ignored].sort(),
  };
}

/** Reads each shard directory's lock; a shard without one is an error (its job failed or uploaded nothing). */
export async function readShardLocks(
  project: Project,
  dirs: readonly string[],
): Promise<Array<{ dir: string; lock: Lock }>> {
  if (dirs.length === 0) throw new MlciError("INPUT", "name the shard result directories to merge");
  const out = [];
  for (const dir of dirs) {
    const path = join(dir, project.lockFile);
    if (!existsSync(path)) {
      throw new MlciError("NOT_FOUND", `${dir} has no ${project.lockFile}`, {
        hint: "each shard uploads its dvc.lock and outputs at their repository paths",
      });
    }
    out.push({ dir, lock: await readLock(path, `${dir}/${project.lockFile}`) });
  }
  return out;
}

export interface CopiedOutputs {
  copied: string[];
  /** Outputs of taken stages that the shard did not upload (restore them from the DVC cache or remote). */
  missing: string[];
}

/**
 * Copies the outputs of the stages the shards provided into the workspace, after checking each
 * against the hash its lock entry records.
 */
export async function copyShardOutputs(project: Project, merge: LockMerge): Promise<CopiedOutputs> {
  const copies: Array<{ src: string; rel: string }> = [];
  const missing: string[] = [];
  // Check everything before copying anything: a bad shard leaves the workspace as it was.
  for (const { stage, shard } of merge.provided) {
    const entry = merge.lock.stages.get(stage);
    const def = project.graph.byName.get(stage);
    if (!entry || !def) continue;
    for (const out of entry.outs) {
      const rel = repoPath(def, out.path);
      const src = join(shard, rel);
      if (!existsSync(src)) {
        missing.push(rel);
        continue;
      }
      const got = await hashPath(src, { legacy: !out.hashMd5 });
      if (out.md5 !== undefined && got.md5 !== out.md5) {
        throw new MlciError(
          "DATA",
          `${shard}/${rel} does not match its dvc.lock entry (${got.md5} ≠ ${out.md5})`,
          {
            hint: "the shard uploaded outputs from another run than its dvc.lock",
          },
        );
      }
      copies.push({ src, rel });
    }
  }
  for (const { src, rel } of copies) {
    const dest = join(project.root, rel);
    await rm(dest, { recursive: true, force: true });
    await cp(src, dest, { recursive: true });
  }
  return { copied: copies.map((c) => c.rel), missing };
}
