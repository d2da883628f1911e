/**
 * `dvc.lock` (`schema: '2.0'`): read it, update stages, write it byte for byte as DVC does
 * (`dvc/stage/serialize.py` `to_single_stage_lockfile`, dumped with ruamel): entries as
 * `path, hash, md5, size, nfiles, isexec`, deps and outs sorted by path, params with
 * `params.yaml` first then the other files alphabetically, top-level keys sorted.
 *
 * Stages that are not updated keep their entries exactly as read, and new stages are appended,
 * as DVC's read-modify-write of the lock does.
 */
import { readFile } from "node:fs/promises";
import { MlciError, writeFileAtomic } from "@mlci/common";
import { compareCodePoints } from "./hash/py-json";
import { isMap, isSeq, type Value, type ValueMap } from "./values";
import { dumpYaml } from "./yaml/dump";
import { parseSimpleBlockYaml } from "./yaml/fast-block";
import { loadYaml, type PathPart } from "./yaml/load";

export const DEFAULT_PARAMS_FILE = "params.yaml";

export interface LockEntry {
  /** As written in dvc.yaml, relative to the stage's wdir. */
  path: string;
  /** false for DVC 2 entries (no `hash: md5`): their md5 is `md5-dos2unix`. */
  hashMd5: boolean;
  md5?: string;
  size?: number;
  nfiles?: number;
  isexec?: boolean;
}

export interface LockStage {
  cmd: string | string[];
  deps: LockEntry[];
  /** Params file -> tracked key -> value. */
  params: Map<string, ValueMap>;
  outs: LockEntry[];
}

export interface Lock {
  /** The lock as read (and as it will be written): `schema`, then `stages` in order. */
  raw: ValueMap;
  stages: Map<string, LockStage>;
}

export function emptyLock(): Lock {
  return { raw: new Map<string, Value>([["schema", "2.0"]]), stages: new Map() };
}

function bad(
  file: string,
  lineOf: (p: PathPart[]) => number | undefined,
  path: PathPart[],
  msg: string,
): never {
  const key = path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("");
  throw new MlciError("CONFIG", `${file} is corrupted: ${msg}`, {
    location: { file, line: lineOf(path), key },
  });
}

function parseEntry(
  v: Value,
  file: string,
  lineOf: (p: PathPart[]) => number | undefined,
  path: PathPart[],
): LockEntry {
  if (!isMap(v) || typeof v.get("path") !== "string")
    bad(file, lineOf, path, "expected an entry with a path");
  const e: LockEntry = { path: v.get("path") as string, hashMd5: v.get("hash") === "md5" };
  const md5 = v.get("md5");
  if (typeof md5 === "string") e.md5 = md5;
  for (const k of ["size", "nfiles"] as const) {
    const n = v.get(k);
    if (typeof n === "number") e[k] = n;
  }
  if (v.get("isexec") === true) e.isexec = true;
  return e;
}

/** Parse dvc.lock text (`file` is the name shown in errors). */
export function parseLock(text: string, file = "dvc.lock"): Lock {
  // DVC's own output takes the fast path; lines are only looked up (with the full parser) for errors.
  const fast = parseSimpleBlockYaml(text);
  const y =
    fast === null
      ? loadYaml(text, file)
      : { value: fast, lineOf: (p: PathPart[]) => loadYaml(text, file).lineOf(p) };
  if (y.value === null) return emptyLock();
  if (!isMap(y.value)) bad(file, y.lineOf, [], "expected a mapping");
  const raw = y.value;
  if (raw.get("schema") !== "2.0") {
    bad(file, y.lineOf, ["schema"], "only schema '2.0' lock files are supported (DVC 2.x and later)");
  }
  const stages = new Map<string, LockStage>();
  const rawStages = raw.get("stages") ?? new Map();
  if (!isMap(rawStages)) bad(file, y.lineOf, ["stages"], "expected a mapping of stages");
  for (const [k, v] of rawStages) {
    const name = String(k);
    const p: PathPart[] = ["stages", name];
    if (!isMap(v)) bad(file, y.lineOf, p, "expected a stage entry");
    const cmd = v.get("cmd");
    if (!(typeof cmd === "string" || (isSeq(cmd) && cmd.every((c) => typeof c === "string")))) {
      bad(file, y.lineOf, [...p, "cmd"], "expected cmd as a string or a list of strings");
    }
    const list = (key: "deps" | "outs") => {
      const l = v.get(key) ?? [];
      if (!isSeq(l)) bad(file, y.lineOf, [...p, key], "expected a list");
      return l.map((e, i) => parseEntry(e, file, y.lineOf, [...p, key, i]));
    };
    const params = new Map<string, ValueMap>();
    const rp = v.get("params") ?? new Map();
    if (!isMap(rp)) bad(file, y.lineOf, [...p, "params"], "expected a mapping of params files");
    for (const [pf, vals] of rp) {
      if (!isMap(vals)) bad(file, y.lineOf, [...p, "params", String(pf)], "expected a mapping of params");
      params.set(String(pf), vals);
    }
    stages.set(name, { cmd: cmd as string | string[], deps: list("deps"), params, outs: list("outs") });
  }
  return { raw, stages };
}

/** Read dvc.lock; a missing file is an empty lock. */
export async function readLock(path: string, display = "dvc.lock"): Promise<Lock> {
  try {
    return parseLock(await readFile(path, "utf8"), display);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyLock();
    throw err;
  }
}

function entryToYaml(e: LockEntry): ValueMap {
  const m: ValueMap = new Map<string, Value>([["path", e.path]]);
  if (e.hashMd5) m.set("hash", "md5");
  if (e.md5 !== undefined) m.set("md5", e.md5);
  if (e.size !== undefined) m.set("size", e.size);
  if (e.nfiles !== undefined) m.set("nfiles", e.nfiles);
  if (e.isexec) m.set("isexec", true);
  return m;
}

/** A stage's lock entry as DVC serialises it. */
export function stageToYaml(s: LockStage): ValueMap {
  const m: ValueMap = new Map<string, Value>([["cmd", s.cmd]]);
  const byPath = (a: LockEntry, b: LockEntry) => compareCodePoints(a.path, b.path);
  if (s.deps.length) m.set("deps", [...s.deps].sort(byPath).map(entryToYaml));
  if (s.params.size) {
    const files = [...s.params.keys()].sort(compareCodePoints);
    const ordered = files.includes(DEFAULT_PARAMS_FILE)
      ? [DEFAULT_PARAMS_FILE, ...files.filter((f) => f !== DEFAULT_PARAMS_FILE)]
      : files;
    const params: ValueMap = new Map();
    for (const f of ordered) {
      const vals = s.params.get(f) as ValueMap;
      const keys = [...vals.keys()].sort((a, b) => compareCodePoints(String(a), String(b)));
      params.set(f, new Map(keys.map((k) => [k, vals.get(k) as Value])));
    }
    m.set("params", params);
  }
  if (s.outs.length) m.set("outs", [...s.outs].sort(byPath).map(entryToYaml));
  return m;
}

/** Set (or add, at the end) a stage's entry. */
export function setLockStage(lock: Lock, name: string, stage: LockStage): void {
  let stages = lock.raw.get("stages");
  if (!isMap(stages)) {
    stages = new Map();
    lock.raw.set("stages", stages);
  }
  stages.set(name, stageToYaml(stage));
  lock.stages.set(name, stage);
}

export function serializeLock(lock: Lock): string {
  return dumpYaml(lock.raw);
}

/** Write the lock atomically; returns false (and writes nothing) when the bytes would not change. */
export async function writeLock(path: string, lock: Lock): Promise<boolean> {
  const text = serializeLock(lock);
  const current = await readFile(path, "utf8").catch(() => null);
  if (current === text) return false;
  await writeFileAtomic(path, text);
  return true;
}
