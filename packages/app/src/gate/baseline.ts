import { type BaselineSpec, formatBaselineSpec, type MetricsInput, parsePolicy } from "@mlci/gate";
import type { Git } from "@mlci/git";
import { gitRevisionSource, type MlciConfig, parseValuesFile, readSnapshot } from "@mlci/metrics";
import { show, tagToName } from "@mlci/registry";

/** The values change rules compare against, or none (then those rules fail, naming `label`). */
export interface ResolvedBaseline {
  values?: MetricsInput;
  /** How reasons name the baseline: `base`, `registry:model#prod (v1.4.0)`, `file:baseline.json`. */
  label: string;
  /** The commit the values were read at. */
  rev?: string;
}

export interface BaselineContext {
  git: Git;
  /** The pull request's base revision (a full SHA), when there is one. */
  baseSha?: string;
  baseRef?: string;
  /** The revision a `file:` baseline is read at: the policy's, so a pull request cannot edit it. */
  fileRev: string;
  config: MlciConfig;
  extraMetrics?: readonly string[];
}

const short = (sha: string) => (/^[0-9a-f]{40,64}$/i.test(sha) ? sha.slice(0, 7) : sha);

/**
 * Parses a `baseline` given outside the policy (an action input, a CLI flag) with the policy's
 * own schema, so both accept exactly the same forms.
 */
export function parseBaselineOverride(text: string, name: string): BaselineSpec {
  const doc = JSON.stringify({ version: 1, baseline: text.trim(), allow_empty: true, rules: [] });
  return parsePolicy(doc, name).baseline;
}

/**
 * Reads the baseline a policy asks for. Never guesses: a missing base revision, file or registry
 * stage gives no values and a label that says why, and every change rule then fails with it.
 */
export async function resolveBaseline(spec: BaselineSpec, c: BaselineContext): Promise<ResolvedBaseline> {
  const name = formatBaselineSpec(spec);
  switch (spec.kind) {
    case "base": {
      if (c.baseSha === undefined) return { label: `${name} (no base revision was given)` };
      const snapshot = await readSnapshot(gitRevisionSource(c.git, c.baseSha, c.baseRef ?? c.baseSha), {
        ref: c.baseRef ?? c.baseSha,
        sha: c.baseSha,
        config: c.config,
        ...(c.extraMetrics ? { extraMetrics: c.extraMetrics } : {}),
      });
      return { values: snapshot.metrics, label: name, rev: c.baseSha };
    }
    case "file": {
      const bytes = await c.git.showFile(c.fileRev, spec.path);
      if (!bytes) return { label: `${name} (not in ${short(c.fileRev)})` };
      const file = parseValuesFile(spec.path, bytes);
      if (file.problem)
        return { label: `${name} (unreadable at ${short(c.fileRev)}: ${file.problem.message})` };
      // Plain values: the file's keys pair with the head's by key, whatever the head's file is called.
      return { values: file.values, label: name, rev: c.fileRev };
    }
    case "registry": {
      const artifact = tagToName(spec.artifact);
      const state = await show(c.git);
      const hold = state.artifacts.get(artifact)?.stages.get(spec.stage);
      if (!hold) {
        return {
          label: `${name} (no version of ${artifact} holds stage ${spec.stage}; are the registry tags fetched?)`,
        };
      }
      const snapshot = await readSnapshot(
        gitRevisionSource(c.git, hold.commit, `${artifact}#${spec.stage}`),
        {
          ref: hold.version,
          sha: hold.commit,
          config: c.config,
          ...(c.extraMetrics ? { extraMetrics: c.extraMetrics } : {}),
        },
      );
      return { values: snapshot.metrics, label: `${name} (${short(hold.version)})`, rev: hold.commit };
    }
  }
}
