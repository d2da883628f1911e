/**
 * DVC remotes: the {@link Remote} interface (objects by md5, DVC 3's `files/md5/<2>/<30>`
 * layout), a local-directory implementation (`dvc remote add name /path`), and push/pull of
 * the outputs recorded in dvc.lock. Cloud remotes implement the same interface later.
 */

import { readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ensureDirSync, MlciError } from "@mlci/common";
import { copyAtomic, objectRelPath } from "./cache";
import type { DvcConfig } from "./config";
import { repoPath, type Selection, selectStages } from "./graph";
import type { Project } from "./project";

export interface Remote {
  readonly name: string;
  /** Whether the object (md5, or md5 + `.dir`) is stored. */
  has(oid: string): Promise<boolean>;
  /** Download an object to a local file. */
  get(oid: string, dest: string): Promise<void>;
  /** Upload a local file as an object. */
  put(oid: string, src: string): Promise<void>;
  /** Every stored object id. */
  list(): AsyncIterable<string>;
}

/** A remote that is a directory on this machine (or a mounted share). */
export class LocalRemote implements Remote {
  constructor(
    readonly name: string,
    readonly dir: string,
  ) {}

  private path(oid: string): string {
    return join(this.dir, ...objectRelPath(oid).split("/"));
  }

  has(oid: string): Promise<boolean> {
    return stat(this.path(oid)).then(
      () => true,
      () => false,
    );
  }

  async get(oid: string, dest: string): Promise<void> {
    await copyAtomic(this.path(oid), dest, 0o444);
  }

  async put(oid: string, src: string): Promise<void> {
    await copyAtomic(src, this.path(oid), 0o444 & ~process.umask());
  }

  async *list(): AsyncIterable<string> {
    const base = join(this.dir, "files", "md5");
    const prefixes = await readdir(base).catch(() => [] as string[]);
    for (const p of prefixes.sort()) {
      if (!/^[0-9a-f]{2}$/.test(p)) continue;
      const names = await readdir(join(base, p)).catch(() => [] as string[]);
      for (const n of names.sort()) if (/^[0-9a-f]{30}(\.dir)?$/.test(n)) yield p + n;
    }
  }
}

/** The remote named (or the default `core.remote`) from `.dvc/config`. */
export function openRemote(config: DvcConfig, name?: string): Remote {
  const which = name ?? config.defaultRemote;
  if (!which) {
    throw new MlciError("CONFIG", "no remote given and no default remote set", {
      location: { file: ".dvc/config", key: "core.remote" },
      hint: "dvc remote add -d storage /path/to/dir",
    });
  }
  const r = config.remotes.get(which);
  if (!r)
    throw new MlciError("CONFIG", `remote '${which}' is not defined`, { location: { file: ".dvc/config" } });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(r.url) && !r.url.startsWith("file://")) {
    throw new MlciError(
      "CONFIG",
      `remote '${which}' (${r.url}) is not a local directory; cloud remotes are not supported yet`,
    );
  }
  return new LocalRemote(which, r.url.replace(/^file:\/\//, ""));
}

export interface TransferResult {
  /** Objects copied. */
  transferred: number;
  /** Objects already at the destination. */
  present: number;
  /** Objects found neither here nor there (output not produced, or not cached). */
  missing: string[];
}

interface Wanted {
  oid: string;
  stage: string;
  path: string;
  isexec: boolean;
}

/** The cached outputs dvc.lock records for the selected stages (`push: false` outputs excluded). */
function wantedOutputs(project: Project, selection: Selection): Wanted[] {
  const out: Wanted[] = [];
  for (const s of selectStages(project.graph, selection)) {
    const locked = project.lock.stages.get(s.name);
    for (const o of s.outs) {
      if (!o.cache || !o.push) continue;
      const e = locked?.outs.find((x) => x.path === o.path);
      if (e?.md5)
        out.push({ oid: e.md5, stage: s.name, path: repoPath(s, o.path), isexec: e.isexec === true });
    }
  }
  return out;
}

/** Upload the cached outputs in dvc.lock that the remote lacks. */
export async function push(
  project: Project,
  remote: Remote,
  selection: Selection = {},
): Promise<TransferResult> {
  const res: TransferResult = { transferred: 0, present: 0, missing: [] };
  const seen = new Set<string>();
  for (const w of wantedOutputs(project, selection)) {
    if (!(await project.cache.hasOutput(w.oid))) {
      res.missing.push(w.path);
      continue;
    }
    // Files first, the `.dir` manifest last: a remote never lists a directory it lacks files of.
    const oids = await project.cache.objectsOf(w.oid);
    for (const oid of [...oids.slice(1), oids[0] as string]) {
      if (seen.has(oid)) continue;
      seen.add(oid);
      if (await remote.has(oid)) res.present++;
      else {
        await remote.put(oid, project.cache.objectPath(oid));
        res.transferred++;
      }
    }
  }
  return res;
}

/** Download the outputs in dvc.lock into the cache, then check out the ones missing from the workspace. */
export async function pull(
  project: Project,
  remote: Remote,
  selection: Selection = {},
): Promise<TransferResult> {
  const res: TransferResult = { transferred: 0, present: 0, missing: [] };
  for (const w of wantedOutputs(project, selection)) {
    const fetchOne = async (oid: string): Promise<boolean> => {
      if (await project.cache.has(oid)) {
        res.present++;
        return true;
      }
      if (!(await remote.has(oid))) return false;
      await remote.get(oid, project.cache.objectPath(oid));
      res.transferred++;
      return true;
    };
    let ok = await fetchOne(w.oid);
    if (ok && w.oid.endsWith(".dir")) {
      for (const e of await project.cache.readManifest(w.oid)) ok = (await fetchOne(e.md5)) && ok;
    }
    if (!ok) {
      res.missing.push(w.path);
      continue;
    }
    const target = join(project.root, w.path);
    const present = await stat(target).then(
      () => true,
      () => false,
    );
    if (!present) {
      ensureDirSync(dirname(target));
      await project.cache.checkout(w.oid, target, { isexec: w.isexec });
    }
  }
  return res;
}
