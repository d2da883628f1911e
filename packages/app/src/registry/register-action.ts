import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { MlciError } from "@mlci/common";
import { type GateResult, parseGateResult } from "@mlci/gate";
import type { Git } from "@mlci/git";
import type { EventContext, GitHubClient } from "@mlci/github";
import {
  type ArtifactChange,
  artifactsChangedBetween,
  type BumpPart,
  buildRegistryState,
  checkArtifactName,
  defaultMessage,
  gitRevisionSource,
  readArtifactDeclarations,
  readLockOuts,
  resolveBump,
} from "@mlci/registry";
import { type CardFacts, collectCard, profileDigest } from "./card-data";
import { renderCardText } from "./model-card";
import { labelsForCommit } from "./pr-labels";
import { publishVersion } from "./publish";
import { type RemoteRegistryDeps, registerRemote } from "./remote-registry";
import { RemoteTags } from "./remote-tags";
import { ACTIONS_TAGGER, type TaggerIdentity } from "./remote-writer";

export interface RegisterActionInputs {
  /** One artifact; empty: every declared artifact that changed in the push. */
  artifact: string;
  /** A stage to assign to the version (`prod`); empty: none. */
  stage: string;
  /** `patch`, `minor` or `major`; empty: from `release:*` PR labels, else patch. */
  bump: string;
  /** An explicit version; with `stage`, an already registered version is promoted as it is. */
  version: string;
  /** The commit to register; empty: the pushed commit (GITHUB_SHA otherwise). */
  commit: string;
  /** The gate result: the gate action's `result-json` output, or a file holding it. */
  gateResult: string;
  /** A data profile file, whose sha256 goes on the card. */
  profile: string;
  release: boolean;
  /** A workflow file to dispatch once a tag was created (the deployment, with GITHUB_TOKEN). */
  dispatchWorkflow: string;
  /** The ref the dispatched run uses; empty: the tag created. */
  dispatchRef: string;
  workingDirectory: string;
}

export interface RegisterActionDeps {
  inputs: RegisterActionInputs;
  ctx: EventContext;
  /** The push payload's `before`, to find what changed. */
  before?: string | undefined;
  octokit: GitHubClient;
  gitFor: (dir: string) => Git;
  workspace: string;
  log: { info(m: string): void; warning(m: string): void };
  tagger?: TaggerIdentity;
  now?: () => number;
}

export interface RegisteredArtifact {
  name: string;
  version: string;
  commit: string;
  /** The registration tag (written now, or found). */
  tag: string;
  /** A registration tag was written by this run. */
  created: boolean;
  stage: string;
  stageTag: string;
  stageCreated: boolean;
  releaseUrl: string;
  releaseCreated: boolean;
  dispatched: boolean;
  /** What made writing unnecessary, when nothing was written. */
  notes: string[];
}

export interface RegisterActionResult {
  commit: string;
  artifacts: RegisteredArtifact[];
  warnings: string[];
}

const ZERO = /^0+$/;

/** A gate result given inline (the gate action's `result-json` output) or as a file. */
async function readGate(value: string, root: string): Promise<GateResult> {
  const v = value.trim();
  if (v.startsWith("{")) return parseGateResult(v, "the `gate-result` input");
  const path = resolve(root, v);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new MlciError("NOT_FOUND", `the gate result ${v} cannot be read`, {
      hint: "pass the gate action's `result-json` output, or the path of a file holding it",
    });
  }
  return parseGateResult(text, v);
}

/** A stage is a promise to deploy: never assigned on a failed gate, or a gate about another commit. */
function checkGateForStage(gate: GateResult | undefined, stage: string, commit: string): void {
  if (!gate || !stage) return;
  if (!gate.passed) {
    const why = [...gate.problems, ...gate.failedRules.map((f) => f.reason)].slice(0, 3).join("; ");
    throw new MlciError("FAILED", `the gate failed, so stage ${stage} is not assigned: ${why}`);
  }
  if (gate.sha && gate.sha !== commit) {
    throw new MlciError("FAILED", `the gate result is for commit ${gate.sha}, not ${commit}`, {
      hint: "pass the result of the gate that judged this commit",
    });
  }
}

async function parentOf(git: Git, commit: string): Promise<string | undefined> {
  const res = await git.tryRun(["rev-parse", "--verify", "--quiet", `${commit}^1`]);
  return res.code === 0 ? res.stdout.toString("utf8").trim() : undefined;
}

/** The artifacts to register: the one named, or those changed since the push's `before`. */
async function targets(
  deps: RegisterActionDeps,
  git: Git,
  commit: string,
): Promise<{ changes: ArtifactChange[]; warnings: string[] }> {
  const named = deps.inputs.artifact.trim();
  if (named) {
    const problem = checkArtifactName(named);
    if (problem) throw new MlciError("INPUT", `input \`artifact\`: ${problem}`);
    return { changes: [{ name: named, reasons: [] }], warnings: [] };
  }
  const before = deps.before && !ZERO.test(deps.before) && !deps.inputs.commit ? deps.before : undefined;
  const base = before ? await git.revParse(before) : await parentOf(git, commit);
  if (base) return artifactsChangedBetween(git, base, commit);
  const { artifacts, warnings } = await readArtifactDeclarations(gitRevisionSource(git, commit));
  return {
    changes: artifacts.map((a) => ({ name: a.name, reasons: ["no earlier commit to compare with"] })),
    warnings,
  };
}

/**
 * The `register` action: registers the next version of each changed artifact (or the named one)
 * through the GitHub API, with a model card in the tag message and a GitHub Release; assigns a
 * stage when asked; dispatches the deployment workflow when asked. Safe to re-run and to race.
 */
export async function runRegisterAction(deps: RegisterActionDeps): Promise<RegisterActionResult> {
  const { inputs, ctx, log } = deps;
  const root = resolve(deps.workspace, inputs.workingDirectory || ".");
  const git = deps.gitFor(await deps.gitFor(root).topLevel());
  const commit = await git.revParse(inputs.commit.trim() || ctx.headSha || "HEAD");
  const stage = inputs.stage.trim();
  const explicitVersion = inputs.version.trim() || undefined;
  const gate = inputs.gateResult.trim() ? await readGate(inputs.gateResult, root) : undefined;
  checkGateForStage(gate, stage, commit);
  const profile = inputs.profile.trim()
    ? await profileDigest(resolve(root, inputs.profile.trim()), inputs.profile.trim())
    : undefined;

  const { changes, warnings } = await targets(deps, git, commit);
  for (const w of warnings) log.warning(w);
  if (changes.length === 0) {
    log.info(`no declared artifact changed at ${commit.slice(0, 7)}; nothing to register`);
    return { commit, artifacts: [], warnings };
  }

  let bump: BumpPart = "patch";
  if (!explicitVersion) {
    const labels = inputs.bump.trim()
      ? []
      : (await labelsForCommit(deps.octokit, { owner: ctx.owner, repo: ctx.repo, sha: commit }, log)).labels;
    bump = resolveBump({ input: inputs.bump, labels });
  }

  const source = gitRevisionSource(git, commit);
  const declared = new Map((await readArtifactDeclarations(source)).artifacts.map((a) => [a.name, a]));
  const lockOuts = await readLockOuts(source);
  const repo = { octokit: deps.octokit, owner: ctx.owner, repo: ctx.repo, git };
  const registry: RemoteRegistryDeps = {
    repo,
    tags: new RemoteTags(repo),
    tagger: deps.tagger ?? ACTIONS_TAGGER,
    log,
    ...(deps.now ? { now: deps.now } : {}),
  };

  const results: RegisteredArtifact[] = [];
  for (const change of changes) {
    const declaration = declared.get(change.name);
    const facts: CardFacts = await collectCard({
      git,
      commit,
      name: change.name,
      ...(declaration ? { declaration } : {}),
      lockOuts,
      ...(gate ? { gate } : {}),
      ...(profile ? { profile } : {}),
      repository: `${ctx.owner}/${ctx.repo}`,
      serverUrl: ctx.serverUrl,
      ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
      reasons: change.reasons,
    });
    // Promotion: a stage for a version registered already (possibly at another commit).
    const promoted =
      stage && explicitVersion
        ? buildRegistryState(await registry.tags.list())
            .artifacts.get(change.name)
            ?.versions.find((v) => v.version === explicitVersion && v.registered)
        : undefined;
    const reg = promoted
      ? {
          created: false,
          name: change.name,
          version: promoted.version,
          commit: promoted.commit,
          tag: promoted.tag,
          note: `promoting ${change.name} ${promoted.version}, registered at ${promoted.commit.slice(0, 7)}`,
        }
      : await registerRemote(registry, {
          name: change.name,
          commit,
          ...(explicitVersion ? { version: explicitVersion } : { bump }),
          message: (version) =>
            renderCardText(
              { ...facts, version },
              defaultMessage({ action: "register", artifact: change.name, version }),
            ),
        });
    log.info(
      reg.created
        ? `registered ${change.name} ${reg.version} at ${reg.commit.slice(0, 7)} (tag ${reg.tag})`
        : `${change.name}: ${reg.note ?? `${reg.version} exists`}; no registration tag written`,
    );
    results.push(await publishVersion({ deps, registry, facts, reg, stage }));
  }
  return { commit, artifacts: results, warnings };
}
