/**
 * Change detection against dvc.lock, with the reasons for each decision: a stage runs when it
 * has no lock entry, its command changed, a dep or an output is missing or changed, a tracked
 * param changed, or it is `always_changed`; `frozen` stages never run. Outputs that are only
 * missing but are in the cache are restored instead of re-running the stage.
 */
import { join } from "node:path";
import type { Stage } from "./dvc-yaml/types";
import { repoPath, type Selection, selectStages } from "./graph";
import { type HashDetails, hashPathDetailed } from "./hash/hash-path";
import type { LockEntry, LockStage } from "./lock";
import { ParamsReader, readParams } from "./params";
import type { Project } from "./project";
import { pyEqual, pyRepr, type Value } from "./values";

export type ChangeReason =
  | { kind: "no-lock-entry" }
  | { kind: "always-changed" }
  | { kind: "frozen" }
  | { kind: "cmd-changed"; old: string | string[]; new: string | string[] }
  | { kind: "dep-missing"; path: string }
  | { kind: "dep-added"; path: string }
  | { kind: "dep-modified"; path: string; old?: string; new: string }
  | { kind: "params-file-missing"; file: string }
  | { kind: "param-changed"; file: string; key: string; old?: Value; new?: Value }
  | { kind: "out-missing"; path: string; inCache: boolean }
  | { kind: "out-added"; path: string }
  | { kind: "out-modified"; path: string; old?: string; new: string }
  | { kind: "upstream"; stages: string[] };

export interface StageStatus {
  name: string;
  /**
   * changed: will run. restore: up to date, outputs come back from the cache. unchanged: up to
   * date. upstream: up to date now, but an upstream stage will run and may change its deps.
   * frozen: never runs.
   */
  state: "changed" | "restore" | "unchanged" | "upstream" | "frozen";
  reasons: ChangeReason[];
}

export interface EvaluateContext {
  project: Project;
  params: ParamsReader;
  /** Outputs (repo paths) that upstream stages will restore from the cache, with their md5. */
  restorable?: Map<string, string>;
}

function lockEntryFor(entries: LockEntry[] | undefined, path: string): LockEntry | undefined {
  return entries?.find((e) => e.path === path);
}

async function hashIfExists(
  ctx: EvaluateContext,
  stage: Stage,
  path: string,
  legacy: boolean,
): Promise<HashDetails | null> {
  try {
    return await hashPathDetailed(join(ctx.project.root, repoPath(stage, path)), {
      legacy,
      cache: ctx.project.hashCache,
      root: ctx.project.root,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

function cmdEqual(a: string | string[], b: string | string[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compare one stage with its lock entry. */
export async function evaluateStage(
  ctx: EvaluateContext,
  stage: Stage,
  locked?: LockStage,
): Promise<StageStatus> {
  const reasons: ChangeReason[] = [];
  if (stage.frozen) return { name: stage.name, state: "frozen", reasons: [{ kind: "frozen" }] };
  if (!locked) {
    reasons.push({ kind: "no-lock-entry" });
    for (const d of stage.deps) {
      if (!(await hashIfExists(ctx, stage, d, false))) reasons.push({ kind: "dep-missing", path: d });
    }
    return { name: stage.name, state: "changed", reasons };
  }
  if (!cmdEqual(stage.cmd, locked.cmd))
    reasons.push({ kind: "cmd-changed", old: locked.cmd, new: stage.cmd });
  if (stage.alwaysChanged) reasons.push({ kind: "always-changed" });
  for (const d of stage.deps) {
    const entry = lockEntryFor(locked.deps, d);
    const h = await hashIfExists(ctx, stage, d, entry ? !entry.hashMd5 : false);
    const coming = ctx.restorable?.get(repoPath(stage, d));
    if (!h && coming !== undefined && coming === entry?.md5) continue;
    if (!h) reasons.push({ kind: "dep-missing", path: d });
    else if (!entry) reasons.push({ kind: "dep-added", path: d });
    else if (entry.md5 !== h.md5) {
      const r: ChangeReason = { kind: "dep-modified", path: d, new: h.md5 };
      if (entry.md5) r.old = entry.md5;
      reasons.push(r);
    }
  }
  for (const ref of stage.params) {
    const cur = await readParams(ctx.params, stage, ref);
    if (cur.values === null) {
      reasons.push({ kind: "params-file-missing", file: ref.file });
      continue;
    }
    const old = locked.params.get(ref.file) ?? new Map();
    const keys = ref.keys ?? [...new Set([...cur.values.keys(), ...old.keys()].map(String))];
    for (const k of keys) {
      const now = cur.values.get(k);
      const before = old.get(k);
      if (now === undefined && before === undefined) continue;
      if (now !== undefined && before !== undefined && pyEqual(now, before)) continue;
      const r: ChangeReason = { kind: "param-changed", file: ref.file, key: k };
      if (before !== undefined) r.old = before;
      if (now !== undefined) r.new = now;
      reasons.push(r);
    }
  }
  let onlyRestorable = reasons.length === 0;
  for (const o of stage.outs) {
    const entry = lockEntryFor(locked.outs, o.path);
    const h = await hashIfExists(ctx, stage, o.path, entry ? !entry.hashMd5 : false);
    if (!entry) {
      reasons.push(
        h ? { kind: "out-added", path: o.path } : { kind: "out-missing", path: o.path, inCache: false },
      );
      onlyRestorable = false;
    } else if (!h) {
      const inCache = o.cache && entry.md5 !== undefined && (await ctx.project.cache.hasOutput(entry.md5));
      reasons.push({ kind: "out-missing", path: o.path, inCache });
      if (!inCache) onlyRestorable = false;
    } else if (entry.md5 !== h.md5) {
      const r: ChangeReason = { kind: "out-modified", path: o.path, new: h.md5 };
      if (entry.md5) r.old = entry.md5;
      reasons.push(r);
      onlyRestorable = false;
    }
  }
  const state = reasons.length === 0 ? "unchanged" : onlyRestorable ? "restore" : "changed";
  return { name: stage.name, state, reasons };
}

/** What `repro` would do for each selected stage, and why, in run order. Reads nothing twice. */
export async function pipelineStatus(project: Project, selection: Selection = {}): Promise<StageStatus[]> {
  const ctx: EvaluateContext = { project, params: new ParamsReader(project.root), restorable: new Map() };
  const stages = selectStages(project.graph, selection);
  const out: StageStatus[] = [];
  const willRun = new Set<string>();
  for (const s of stages) {
    const st = await evaluateStage(ctx, s, project.lock.stages.get(s.name));
    if (st.state === "unchanged" || st.state === "restore") {
      const ups = (project.graph.upstream.get(s.name) ?? []).filter((u) => willRun.has(u));
      if (ups.length) {
        st.state = "upstream";
        st.reasons.push({ kind: "upstream", stages: ups });
      }
    }
    if (st.state === "changed" || st.state === "upstream") willRun.add(s.name);
    if (st.state === "restore") {
      for (const r of st.reasons) {
        const md5 = project.lock.stages
          .get(s.name)
          ?.outs.find((e) => e.path === (r as { path?: string }).path)?.md5;
        if (r.kind === "out-missing" && md5) ctx.restorable?.set(repoPath(s, r.path), md5);
      }
    }
    out.push(st);
  }
  await project.hashCache.save();
  return out;
}

function short(md5?: string): string {
  return md5 ? md5.slice(0, 8) : "none";
}

/** One line per reason, for people. */
export function describeReason(r: ChangeReason): string {
  switch (r.kind) {
    case "no-lock-entry":
      return "never ran (no entry in dvc.lock)";
    case "always-changed":
      return "always_changed is set";
    case "frozen":
      return "frozen: never runs";
    case "cmd-changed":
      return "command changed";
    case "dep-missing":
      return `dependency ${r.path} is missing`;
    case "dep-added":
      return `dependency ${r.path} is new`;
    case "dep-modified":
      return `dependency ${r.path} changed (${short(r.old)} -> ${short(r.new)})`;
    case "params-file-missing":
      return `params file ${r.file} is missing`;
    case "param-changed":
      if (r.old === undefined) return `param ${r.file}:${r.key} is new (${pyRepr(r.new as Value)})`;
      if (r.new === undefined) return `param ${r.file}:${r.key} was removed`;
      return `param ${r.file}:${r.key} changed: ${pyRepr(r.old)} -> ${pyRepr(r.new)}`;
    case "out-missing":
      return r.inCache ? `output ${r.path} is missing (in the cache)` : `output ${r.path} is missing`;
    case "out-added":
      return `output ${r.path} is new`;
    case "out-modified":
      return `output ${r.path} changed (${short(r.old)} -> ${short(r.new)})`;
    case "upstream":
      return `upstream stage${r.stages.length > 1 ? "s" : ""} ${r.stages.join(", ")} will run`;
  }
}
