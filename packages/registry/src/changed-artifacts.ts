import { posix } from "node:path";
import { configError } from "@mlci/common";
import type { Git } from "@mlci/git";
import { parseDocument } from "yaml";
import { type ArtifactDeclaration, readArtifactDeclarations, repoPath } from "./artifacts";
import { type FileSource, gitRevisionSource } from "./file-source";

/** One output recorded in a dvc.lock. */
export interface LockOut {
  /** Relative to the repository root. */
  path: string;
  /** The recorded hash (`md5`, else `etag`, `checksum` or `version_id`). */
  hash: string;
  stage: string;
  lockFile: string;
}

export interface ArtifactChange {
  name: string;
  /** Why it counts as changed, for logs and release notes. */
  reasons: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * YAML with every scalar kept as text (the failsafe schema): a hash such as `md5: 0123...` or
 * one made only of digits must not turn into a number.
 */
function parseAsText(text: string, file: string): unknown {
  const doc = parseDocument(text, { schema: "failsafe", prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw configError(
      `not valid YAML: ${first.message.split("\n")[0] ?? ""}`,
      line ? { file, line } : { file },
    );
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

function hashOf(entry: Record<string, unknown>): string | undefined {
  for (const key of ["md5", "etag", "checksum", "version_id"]) {
    const v = entry[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

/**
 * The outputs recorded in every dvc.lock of a source. Paths in a lock are relative to its folder
 * and to the stage's `wdir`, which comes from the dvc.yaml beside it.
 */
export async function readLockOuts(source: FileSource): Promise<LockOut[]> {
  const files = (await source.listFiles()).filter((f) => posix.basename(f) === "dvc.lock");
  const outs: LockOut[] = [];
  for (const lockFile of files.sort()) {
    const text = await source.readFile(lockFile);
    if (text === null) continue;
    const dir = posix.dirname(lockFile);
    const lock = parseAsText(text.toString("utf8"), lockFile);
    const stages = isRecord(lock) && isRecord(lock.stages) ? lock.stages : {};
    const wdirs = await stageWdirs(source, dir === "." ? "dvc.yaml" : `${dir}/dvc.yaml`);
    for (const [stage, entry] of Object.entries(stages)) {
      if (!isRecord(entry) || !Array.isArray(entry.outs)) continue;
      const wdir = wdirs.get(stage.split("@")[0] ?? stage) ?? ".";
      const base = repoPath(dir, wdir);
      for (const out of entry.outs) {
        if (!isRecord(out) || typeof out.path !== "string") continue;
        const hash = hashOf(out);
        if (hash === undefined) continue;
        outs.push({ path: repoPath(base, out.path), hash, stage, lockFile });
      }
    }
  }
  return outs;
}

async function stageWdirs(source: FileSource, dvcYaml: string): Promise<Map<string, string>> {
  const wdirs = new Map<string, string>();
  const text = await source.readFile(dvcYaml);
  if (text === null) return wdirs;
  const doc = parseAsText(text.toString("utf8"), dvcYaml);
  if (!isRecord(doc) || !isRecord(doc.stages)) return wdirs;
  for (const [name, stage] of Object.entries(doc.stages)) {
    if (isRecord(stage) && typeof stage.wdir === "string") wdirs.set(name, stage.wdir);
  }
  return wdirs;
}

function isUnder(path: string, dir: string): boolean {
  return dir === "." || path === dir || path.startsWith(`${dir}/`);
}

/**
 * Which artifacts changed between two revisions, from facts gathered elsewhere: an artifact
 * changed when a git file at or under its path changed (its `.dvc` file included), or when a
 * dvc.lock output at, under or around its path has a different hash (or appeared, or vanished).
 * Artifacts without a path never change this way.
 */
export function changedArtifacts(input: {
  artifacts: readonly ArtifactDeclaration[];
  changedFiles: Iterable<string>;
  outsBefore: readonly LockOut[];
  outsAfter: readonly LockOut[];
}): ArtifactChange[] {
  const files = [...input.changedFiles];
  const before = new Map(input.outsBefore.map((o) => [o.path, o.hash]));
  const after = new Map(input.outsAfter.map((o) => [o.path, o.hash]));
  const outPaths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ArtifactChange[] = [];
  for (const a of input.artifacts) {
    if (a.path === undefined) continue;
    const path = a.path;
    const reasons: string[] = [];
    for (const f of files) {
      if (isUnder(f, path) || f === `${path}.dvc`) reasons.push(`${f} changed`);
    }
    for (const out of outPaths) {
      if (!(isUnder(out, path) || isUnder(path, out))) continue;
      const b = before.get(out);
      const h = after.get(out);
      if (b === h) continue;
      if (b === undefined) reasons.push(`dvc.lock output ${out} appeared`);
      else if (h === undefined) reasons.push(`dvc.lock output ${out} was removed`);
      else reasons.push(`dvc.lock output ${out} hash changed (${b.slice(0, 8)} -> ${h.slice(0, 8)})`);
    }
    if (reasons.length) changes.push({ name: a.name, reasons });
  }
  return changes;
}

/**
 * The artifacts declared at `head` that changed since `base` (two revisions of `git`'s
 * repository): the declarations, `git diff --name-only` and both revisions' dvc.lock outputs.
 */
export async function artifactsChangedBetween(
  git: Git,
  base: string,
  head: string,
): Promise<{ changes: ArtifactChange[]; warnings: string[] }> {
  const headSource = gitRevisionSource(git, head);
  const { artifacts, warnings } = await readArtifactDeclarations(headSource);
  const diff = await git.run(["diff", "--name-only", "--no-renames", "-z", base, head, "--"]);
  const changes = changedArtifacts({
    artifacts,
    changedFiles: diff.split("\0").filter(Boolean),
    outsBefore: await readLockOuts(gitRevisionSource(git, base)),
    outsAfter: await readLockOuts(headSource),
  });
  return { changes, warnings };
}
