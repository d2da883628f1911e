import {
  DEFAULT_POLICY_PATH,
  evaluateGate,
  type GateResult,
  type Policy,
  type PolicyFrom,
  type PolicyProvenance,
  type PolicyResolution,
  parsePolicy,
  policyNeedsBaseline,
  renderGateMarkdown,
  renderGateText,
  renderPolicyChangeMarkdown,
  renderPolicyChangeText,
  resolvePolicy,
} from "@mlci/gate";
import type { Git } from "@mlci/git";
import {
  directionResolver,
  gitRevisionSource,
  loadMlciConfig,
  readSnapshot,
  resolveBase,
  WORKSPACE,
  workingTreeSource,
} from "@mlci/metrics";
import { parseBaselineOverride, resolveBaseline } from "./baseline";

export interface ComputeGateOptions {
  /** Bound to the repository's top level. */
  git: Git;
  /**
   * The pull request's base branch, or any ref or SHA. When given, the policy is read from the
   * base revision (the merge-base of it and the head), so a pull request cannot loosen its own gate.
   * Absent: the head's policy applies and a `base` baseline is unavailable.
   */
  base?: string;
  /** A revision, or `workspace` (default) for metrics a training step just wrote. */
  head?: string;
  /** The policy file in the repository; `.mlci/gates.yml` by default. */
  policyPath?: string;
  /** A policy given inline (YAML or JSON); no file is read. */
  inlinePolicy?: string;
  /** A policy file read by the caller (the CLI's `--policy`). */
  policyFile?: { path: string; text: string };
  policyFrom?: PolicyFrom;
  bootstrap?: boolean;
  /** Overrides the policy's `baseline` (`base`, `file:<path>`, `registry:<artifact>#<stage>`). */
  baseline?: string;
  extraMetrics?: readonly string[];
  /** The commit recorded as judged; default: the head's commit. */
  sha?: string;
}

export interface ComputedGate {
  result: GateResult;
  /** Absent for a policy file the caller read (`policyFile`). */
  resolution?: PolicyResolution;
  /** The gate section: verdict, per-rule table, and the policy note and diff when the PR changes it. */
  markdown: string;
  /** The same for a terminal. */
  text: string;
  base?: { ref: string; sha: string };
  head: { ref: string; sha: string; workspace: boolean };
}

/**
 * The gate use case: decide which policy applies, read the head's metrics and the baseline, and
 * evaluate. Reads through git (no checkout); the working tree only for `head: workspace`.
 */
export async function computeGate(opts: ComputeGateOptions): Promise<ComputedGate> {
  const { git } = opts;
  const headRef = opts.head || WORKSPACE;
  const workspace = headRef === WORKSPACE;
  // The checked-out commit stands for the working tree: its policy and config are read from git,
  // so a training step that rewrites files cannot change them.
  const headSha = await git.revParse(workspace ? "HEAD" : headRef);
  let base: { ref: string; sha: string } | undefined;
  if (opts.base) {
    const resolved = await resolveBase(git, { baseRef: opts.base, headRef: workspace ? "HEAD" : headRef });
    base = { ref: opts.base, sha: resolved.base };
  }

  let resolution: PolicyResolution | undefined;
  let policy: Policy;
  let provenance: PolicyProvenance;
  if (opts.policyFile) {
    policy = parsePolicy(opts.policyFile.text, opts.policyFile.path);
    provenance = { source: "file", path: opts.policyFile.path };
  } else {
    resolution = await resolvePolicy({
      readFile: async (rev, path) => (await git.showFile(rev, path))?.toString("utf8") ?? null,
      head: headSha,
      ...(base ? { base: base.sha } : {}),
      path: opts.policyPath || DEFAULT_POLICY_PATH,
      ...(opts.policyFrom ? { policyFrom: opts.policyFrom } : {}),
      ...(opts.bootstrap ? { bootstrap: true } : {}),
      ...(opts.inlinePolicy !== undefined ? { inline: opts.inlinePolicy } : {}),
    });
    policy = resolution.policy;
    provenance = resolution.provenance;
  }

  const headSource = workspace ? workingTreeSource(git.cwd) : gitRevisionSource(git, headSha, headRef);
  // Which files hold metrics follows the head, as the report does. Directions follow the revision the
  // policy came from: flipping `direction:` in the pull request's config must not loosen a rule.
  const config = await loadMlciConfig(workspace ? gitRevisionSource(git, headSha, headRef) : headSource);
  const policyRev = provenance.rev ?? base?.sha ?? headSha;
  const directions =
    policyRev === headSha ? config : await loadMlciConfig(gitRevisionSource(git, policyRev, policyRev));
  const resolver = directionResolver(directions.metrics.direction);

  const extra = opts.extraMetrics?.length ? { extraMetrics: opts.extraMetrics } : {};
  const headSnapshot = await readSnapshot(headSource, {
    ref: headRef,
    ...(workspace ? {} : { sha: headSha }),
    config,
    ...extra,
  });
  const spec = opts.baseline ? parseBaselineOverride(opts.baseline, "the `baseline` input") : policy.baseline;
  const baseline = policyNeedsBaseline(policy)
    ? await resolveBaseline(spec, {
        git,
        ...(base ? { baseSha: base.sha, baseRef: base.ref } : {}),
        fileRev: policyRev,
        config,
        ...extra,
      })
    : undefined;

  const result = evaluateGate(policy, {
    head: headSnapshot.metrics,
    ...(baseline?.values !== undefined ? { baseline: baseline.values } : {}),
    ...(baseline ? { baselineLabel: baseline.label } : {}),
    directionOf: (key, file) => resolver(file ?? "", key).direction,
    sha: opts.sha || headSha,
    policySource: provenance,
  });
  const note = resolution ? renderPolicyChangeMarkdown(resolution) : "";
  const noteText = resolution ? renderPolicyChangeText(resolution) : "";
  return {
    result,
    ...(resolution ? { resolution } : {}),
    markdown: [renderGateMarkdown(result), note].filter(Boolean).join("\n\n"),
    text: [renderGateText(result), noteText].filter(Boolean).join("\n\n"),
    ...(base ? { base } : {}),
    head: { ref: headRef, sha: headSha, workspace },
  };
}
