import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { MlciError } from "@mlci/common";
import type { GateResult } from "@mlci/gate";
import type { Git } from "@mlci/git";
import {
  loadMlciConfig,
  gitRevisionSource as metricsSource,
  readSnapshot,
  type ValuesFile,
} from "@mlci/metrics";
import type { ArtifactDeclaration, LockOut } from "@mlci/registry";
import type { CardEntry, CardGate, ModelCard } from "./model-card";

/** Everything of the card but the version, which is known only once the tag name is won. */
export type CardFacts = Omit<ModelCard, "version">;

export interface CollectCardOptions {
  /** Bound to the repository's top level. */
  git: Git;
  commit: string;
  name: string;
  declaration?: ArtifactDeclaration;
  /** Every dvc.lock output at the commit (read once for all artifacts). */
  lockOuts: readonly LockOut[];
  gate?: GateResult;
  profile?: ModelCard["profile"];
  repository?: string;
  serverUrl?: string;
  runUrl?: string;
  reasons?: string[];
}

function entries(files: readonly ValuesFile[], problems: string[]): CardEntry[] {
  const out: CardEntry[] = [];
  for (const f of files) {
    if (f.problem) {
      problems.push(`${f.path}: ${f.problem.message}`);
      continue;
    }
    for (const [key, value] of Object.entries(f.values)) out.push({ file: f.path, key, value });
  }
  return out;
}

function isUnder(path: string, dir: string): boolean {
  return dir === "." || path === dir || path.startsWith(`${dir}/`);
}

/** The dvc.lock outputs that make up an artifact: at, under or around its path. */
export function outputsOf(
  declaration: ArtifactDeclaration | undefined,
  outs: readonly LockOut[],
): ModelCard["outputs"] {
  const path = declaration?.path;
  if (path === undefined) return [];
  return outs
    .filter((o) => isUnder(o.path, path) || isUnder(path, o.path))
    .map((o) => ({ path: o.path, hash: o.hash, stage: o.stage }));
}

export function gateFacts(result: GateResult): CardGate {
  const findings = [
    ...result.problems,
    ...result.failedRules.map((f) => `${f.id}: ${f.reason}`),
    ...result.warnings.map((f) => `${f.id} (warning): ${f.reason}`),
  ];
  return {
    passed: result.passed,
    rules: result.counts.rules,
    failed: result.counts.failed,
    warned: result.counts.warned,
    findings,
    ...(result.sha ? { sha: result.sha } : {}),
  };
}

/** The sha256 of a data profile file, for the card (the profile itself is not copied). */
export async function profileDigest(
  path: string,
  shownAs = path,
): Promise<NonNullable<ModelCard["profile"]>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new MlciError("NOT_FOUND", `the data profile ${shownAs} cannot be read`, {
      hint: "point `profile` at the file the data action wrote, or leave it empty",
    });
  }
  return { path: shownAs, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
}

/**
 * Reads what the card shows at `commit`, without a checkout: metrics and params (as `mlci report`
 * finds them: dvc.yaml declarations and the config), the artifact's dvc.lock outputs, and the
 * facts passed in. A metrics file that cannot be read becomes a note, not a failure.
 */
export async function collectCard(o: CollectCardOptions): Promise<CardFacts> {
  const problems: string[] = [];
  let metrics: CardEntry[] = [];
  let params: CardEntry[] = [];
  try {
    const source = metricsSource(o.git, o.commit);
    const config = await loadMlciConfig(source);
    const snap = await readSnapshot(source, { ref: o.commit, sha: o.commit, config });
    metrics = entries(snap.metrics, problems);
    params = entries(snap.params, problems);
    for (const p of snap.problems ?? []) problems.push(`${p.path}: ${p.message}`);
  } catch (err) {
    if (!(err instanceof MlciError)) throw err;
    problems.push(`metrics could not be read: ${err.message}`);
  }
  const d = o.declaration;
  const card: CardFacts = {
    artifact: o.name,
    commit: o.commit,
    metrics,
    params,
    outputs: outputsOf(d, o.lockOuts),
    problems,
  };
  if (o.repository) card.repository = o.repository;
  if (o.serverUrl) card.serverUrl = o.serverUrl;
  if (o.runUrl) card.runUrl = o.runUrl;
  if (d?.type) card.type = d.type;
  if (d?.path) card.path = d.path;
  if (d?.description) card.description = d.description;
  if (o.gate) card.gate = gateFacts(o.gate);
  if (o.profile) card.profile = o.profile;
  if (o.reasons?.length) card.reasons = o.reasons;
  return card;
}
