/**
 * A fingerprint of a pipeline's inputs: each stage's command, its params and the hashes of the
 * deps no stage produces (source data and code). Stable across machines, so CI can key a saved
 * DVC cache on it: a fresh runner with the same inputs restores the cache and runs no stage.
 */
import { join } from "node:path";
import { overlaps, repoPath } from "./graph";
import { md5Bytes } from "./hash/file-md5";
import { hashPath } from "./hash/hash-path";
import { pyJsonDumps } from "./hash/py-json";
import { ParamsReader, readParams } from "./params";
import type { Project } from "./project";
import { pyRepr } from "./values";

export async function inputsFingerprint(project: Project): Promise<string> {
  const produced = project.pipeline.stages.flatMap((s) => s.outs.map((o) => repoPath(s, o.path)));
  const reader = new ParamsReader(project.root);
  const parts: string[] = [];
  for (const name of project.graph.order) {
    const s = project.graph.byName.get(name);
    if (!s) continue;
    const deps: string[] = [];
    for (const d of s.deps) {
      const p = repoPath(s, d);
      if (produced.some((o) => overlaps(p, o))) continue;
      const h = await hashPath(join(project.root, p), { cache: project.hashCache, root: project.root }).catch(
        () => null,
      );
      deps.push(`${p}=${h ? h.md5 : "missing"}`);
    }
    const params: string[] = [];
    for (const ref of s.params) {
      const cur = await readParams(reader, s, ref);
      params.push(`${ref.file}=${cur.values ? pyRepr(cur.values) : "missing"}`);
    }
    parts.push(pyJsonDumps({ name, cmd: s.cmd, deps, params }));
  }
  await project.hashCache.save();
  return md5Bytes(parts.join("\n"));
}
