import { MlciError } from "@mlci/common";
import { unifiedDiff } from "./line-diff";
import { DEFAULT_POLICY_PATH, type Policy, parsePolicy } from "./policy";
import type { PolicyProvenance } from "./types";

/** Reads `path` at revision `rev`: the text, or null when the file is not there. Throws when unreadable. */
export type ReadFileAt = (rev: string, path: string) => Promise<string | null>;

export type PolicyFrom = "base" | "head";

export interface ResolvePolicyOptions {
  readFile: ReadFileAt;
  /** The revision being judged (the pull request's head, or the pushed commit). */
  head: string;
  /** The pull request's base revision. Absent outside pull requests: the head's policy applies. */
  base?: string;
  /** The policy file; `.mlci/gates.yml` by default. */
  path?: string;
  /**
   * Whose policy applies on a pull request. `base` (the default) means a pull request cannot
   * loosen its own gate. `head` applies the pull request's own policy: unsafe for pull requests
   * from forks or from anyone who should not decide their own gate.
   */
  policyFrom?: PolicyFrom;
  /** When the base has no policy file but the pull request adds one, apply the added one. Off by default. */
  bootstrap?: boolean;
  /** A policy given inline (an action input, YAML or JSON). When set, no file is read. */
  inline?: string;
  /** How messages name the inline policy; "the `policy` input" by default. */
  inlineName?: string;
}

/** One side of a policy file on a pull request. */
export interface PolicyVersion {
  rev: string;
  /** null when the file is not there at `rev`. */
  text: string | null;
  /** The parsed policy, when the file is there and valid. */
  policy?: Policy;
}

export interface PolicyChange {
  kind: "added" | "modified" | "deleted";
  path: string;
  base: PolicyVersion;
  head: PolicyVersion;
  /** Which version the gate applied. */
  applied: PolicyFrom;
  /** A unified diff from the base's text to the head's. */
  diff: string;
}

export interface PolicyResolution {
  policy: Policy;
  provenance: PolicyProvenance;
  /** Set when the pull request adds, changes or deletes the policy file. */
  change?: PolicyChange;
  /** One sentence on which policy applied and why, when that is not simply "the file at base". */
  note?: string;
}

export function shortRev(rev: string): string {
  return /^[0-9a-f]{40,64}$/i.test(rev) ? rev.slice(0, 7) : rev;
}

async function read(opts: ResolvePolicyOptions, rev: string, path: string): Promise<string | null> {
  try {
    return await opts.readFile(rev, path);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new MlciError("CONFIG", `could not read the policy ${path} at ${shortRev(rev)}: ${why}`, {
      location: { file: path },
      cause: err,
    });
  }
}

/** Parses a policy, adding to any error which revision's file it was (the location stays as is). */
function parseAt(text: string, path: string, which: string): Policy {
  try {
    return parsePolicy(text, path);
  } catch (err) {
    if (!(err instanceof MlciError)) throw err;
    const opts: ConstructorParameters<typeof MlciError>[2] = { cause: err };
    if (err.location) opts.location = err.location;
    if (err.hint) opts.hint = err.hint;
    throw new MlciError(err.code, `${which}: ${err.message}`, opts);
  }
}

/**
 * Decides which policy applies. Outside a pull request: the file at `head`. On a pull request:
 * the file at `base` (unless `policyFrom: "head"`), with the pull request's version parsed too, so
 * a broken policy cannot be merged and a change can be shown. Fails closed: a policy missing at
 * base fails unless `bootstrap` is set; an unreadable or invalid file throws MlciError("CONFIG")
 * with the file, line and key.
 */
export async function resolvePolicy(opts: ResolvePolicyOptions): Promise<PolicyResolution> {
  if (opts.inline !== undefined) {
    const name = opts.inlineName ?? "the `policy` input";
    return { policy: parseAt(opts.inline, name, `in ${name}`), provenance: { source: "inline" } };
  }
  const path = opts.path ?? DEFAULT_POLICY_PATH;
  if (opts.base === undefined) {
    const text = await read(opts, opts.head, path);
    if (text === null) {
      throw new MlciError("NOT_FOUND", `no gate policy: ${path} is not in ${shortRev(opts.head)}`, {
        location: { file: path },
        hint: `add ${path} (see the gate README), or give the policy inline`,
      });
    }
    const policy = parseAt(text, path, `the policy at ${shortRev(opts.head)}`);
    return { policy, provenance: { source: "head", path, rev: opts.head, changed: false } };
  }

  const { base: baseRev, head: headRev } = opts;
  const [baseText, headText] = await Promise.all([read(opts, baseRev, path), read(opts, headRev, path)]);
  const from = opts.policyFrom ?? "base";
  const base: PolicyVersion = { rev: baseRev, text: baseText };
  const head: PolicyVersion = { rev: headRev, text: headText };
  if (baseText !== null) {
    const which = `the base revision's policy (${shortRev(baseRev)})`;
    // With policy-from: head the base's version is only shown, so a broken one must not block.
    if (from === "base") base.policy = parseAt(baseText, path, which);
    else {
      try {
        base.policy = parsePolicy(baseText, path);
      } catch {}
    }
  }
  // The pull request's version must be valid even when it does not apply: it will after merge.
  if (headText !== null)
    head.policy = parseAt(headText, path, `the pull request's policy (${shortRev(headRev)})`);

  let applied: PolicyFrom;
  let note: string | undefined;
  if (from === "head") {
    if (!head.policy) {
      throw new MlciError("NOT_FOUND", `no gate policy: the pull request has no ${path}`, {
        location: { file: path },
        hint: "policy-from: head applies the pull request's own policy file; add it, or use the base's",
      });
    }
    applied = "head";
    note = `The gate applied the pull request's own ${path} (policy-from: head), so the pull request can change its own gate.`;
  } else if (base.policy) {
    applied = "base";
  } else if (head.policy) {
    if (!opts.bootstrap) {
      throw new MlciError(
        "CONFIG",
        `${path} is not in the base revision ${shortRev(baseRev)}; the pull request adds it, and a pull request cannot choose its own gate`,
        {
          location: { file: path },
          hint: "merge the policy on its own first, or set bootstrap (policy-bootstrap: true / --bootstrap) once to apply the added policy",
        },
      );
    }
    applied = "head";
    note = `The base revision has no ${path}; the gate applied the one this pull request adds (bootstrap).`;
  } else {
    throw new MlciError(
      "NOT_FOUND",
      `no gate policy: ${path} is in neither the base ${shortRev(baseRev)} nor the head ${shortRev(headRev)}`,
      { location: { file: path }, hint: `add ${path} (see the gate README), or give the policy inline` },
    );
  }

  const policy = (applied === "base" ? base.policy : head.policy) as Policy;
  const rev = applied === "base" ? baseRev : headRev;
  const changed = baseText !== headText;
  const resolution: PolicyResolution = { policy, provenance: { source: applied, path, rev, changed } };
  if (changed) {
    const kind = baseText === null ? "added" : headText === null ? "deleted" : "modified";
    resolution.change = {
      kind,
      path,
      base,
      head,
      applied,
      diff: unifiedDiff(baseText ?? "", headText ?? "", {
        oldName: baseText === null ? "/dev/null" : `a/${path} (base ${shortRev(baseRev)})`,
        newName: headText === null ? "/dev/null" : `b/${path} (head ${shortRev(headRev)})`,
      }),
    };
    if (note === undefined) {
      note =
        kind === "deleted"
          ? `This pull request deletes ${path}; the gate applied the base revision's policy (${shortRev(baseRev)}).`
          : `This pull request changes ${path}; the gate applied the base revision's policy (${shortRev(baseRev)}). The change takes effect after merge.`;
    }
  }
  if (note !== undefined) resolution.note = note;
  return resolution;
}
