/**
 * Which metrics files a run changed: the metrics a pipeline declares (stage `metrics:` and the
 * top-level `metrics:` of dvc.yaml) plus any the caller names, hashed before and after the run.
 * A file that appears, disappears or whose bytes differ counts as changed.
 */
import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { parseYamlLocated } from "@mlci/common";
import { hashPath, type Project, repoPath } from "@mlci/pipeline";

/** Repo-relative metrics paths (files or folders), without duplicates, in declaration order. */
export async function metricsPaths(
  project: Project | null,
  extra: readonly string[] = [],
): Promise<string[]> {
  const out: string[] = [];
  if (project) {
    for (const s of project.pipeline.stages)
      for (const o of s.outs) if (o.kind === "metric") out.push(repoPath(s, o.path));
    out.push(...(await topLevelMetrics(project)));
  }
  out.push(...extra.map((p) => p.trim()).filter((p) => p !== ""));
  return [...new Set(out.map((p) => posix.normalize(p.replaceAll("\\", "/")).replace(/^\.\//, "")))];
}

/** The top-level `metrics:` list of the project's dvc.yaml (paths relative to its folder). */
async function topLevelMetrics(project: Project): Promise<string[]> {
  const text = await readFile(join(project.root, project.file), "utf8").catch(() => "");
  const value = text ? (parseYamlLocated(text, project.file).value as { metrics?: unknown } | null) : null;
  const list = Array.isArray(value?.metrics) ? value.metrics : [];
  const dir = posix.dirname(project.file);
  return list
    .filter((m): m is string => typeof m === "string" && !m.includes("${"))
    .map((m) => posix.join(dir, m));
}

export type MetricsSnapshot = Map<string, string | null>;

/** The md5 (DVC's, `.dir` for folders) of each path, null when it does not exist. */
export async function snapshotMetrics(root: string, paths: readonly string[]): Promise<MetricsSnapshot> {
  const snap: MetricsSnapshot = new Map();
  for (const p of paths) {
    const h = await hashPath(join(root, p)).catch(() => null);
    snap.set(p, h ? h.md5 : null);
  }
  return snap;
}

/** Paths whose content differs between two snapshots. */
export function changedMetrics(before: MetricsSnapshot, after: MetricsSnapshot): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => (before.get(k) ?? null) !== (after.get(k) ?? null));
}
