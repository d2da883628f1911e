import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { MlciError } from "@mlci/common";
import { DEFAULT_PROFILE_PATH, type Profile, parseProfile } from "@mlci/data";
import type { Git } from "@mlci/git";
import { checkArtifactName, checkName, show } from "@mlci/registry";

/**
 * The reference profile a retraining decision compares fresh data with: a profile file, or
 * `registry:<artifact>#<stage>`, the profile committed at the commit of the version that holds
 * that stage (the data the model in production was trained on). Fails closed: a reference that
 * cannot be found or read is an error, never "no drift".
 */

export type ReferenceSpec =
  | { kind: "file"; path: string }
  | { kind: "registry"; artifact: string; stage: string };

export interface ResolvedReference {
  profile: Profile;
  /** As given: a path or `registry:model#prod`. */
  spec: string;
  /** Where the profile was read: a file path, or `<path>` at the version's commit. */
  path: string;
  /** For registry references: the version and its commit. */
  version?: string;
  commit?: string;
}

const REGISTRY_PREFIX = "registry:";

/** Parses `--reference`: a path, or `registry:<artifact>#<stage>`. */
export function parseReferenceSpec(text: string): ReferenceSpec {
  const value = text.trim();
  if (value === "") throw new MlciError("INPUT", "the reference is empty");
  if (!value.startsWith(REGISTRY_PREFIX)) return { kind: "file", path: value };
  const body = value.slice(REGISTRY_PREFIX.length);
  const hash = body.lastIndexOf("#");
  const artifact = hash < 0 ? body : body.slice(0, hash);
  const stage = hash < 0 ? "" : body.slice(hash + 1);
  const problem = checkArtifactName(artifact) ?? checkName(stage, "stage");
  if (problem) {
    throw new MlciError("INPUT", `the reference "${value}" is not registry:<artifact>#<stage>: ${problem}`, {
      hint: "for example registry:churn#prod",
    });
  }
  return { kind: "registry", artifact, stage };
}

const short = (sha: string) => sha.slice(0, 7);

/**
 * Reads the reference profile. `cwd` resolves a file path; `git` (the repository, with the
 * registry's tags fetched) resolves a registry reference; `profilePath` is where the profile is
 * committed (default `mlci-profile.json`).
 */
export async function resolveReference(
  text: string,
  o: { cwd: string; git?: Git; profilePath?: string },
): Promise<ResolvedReference> {
  const spec = parseReferenceSpec(text);
  if (spec.kind === "file") {
    const path = isAbsolute(spec.path) ? spec.path : resolve(o.cwd, spec.path);
    let bytes: string;
    try {
      bytes = await readFile(path, "utf8");
    } catch (err) {
      throw new MlciError(
        "NOT_FOUND",
        `the reference profile cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        {
          location: { file: spec.path },
          hint: "write one with `mlci profile`, or use registry:<artifact>#<stage>",
        },
      );
    }
    return { profile: parseProfile(bytes, spec.path), spec: text, path: spec.path };
  }
  if (!o.git) throw new MlciError("INPUT", "a registry reference needs a git repository");
  const state = await show(o.git);
  const hold = state.artifacts.get(spec.artifact)?.stages.get(spec.stage);
  if (!hold) {
    throw new MlciError("NOT_FOUND", `no version of ${spec.artifact} holds stage ${spec.stage}`, {
      hint: "fetch the registry's tags (`git fetch --tags`, or `fetch-depth: 0` in actions/checkout)",
    });
  }
  const path = o.profilePath ?? DEFAULT_PROFILE_PATH;
  const bytes = await o.git.showFile(hold.commit, path);
  if (!bytes) {
    throw new MlciError(
      "NOT_FOUND",
      `${spec.artifact} ${hold.version} (${spec.stage}, commit ${short(hold.commit)}) has no ${path}`,
      {
        hint: "commit the profile of the training data with the model (`mlci profile`), or pass --profile-path",
      },
    );
  }
  const shown = `${path} at ${spec.artifact}@${hold.version} (${short(hold.commit)})`;
  return {
    profile: parseProfile(bytes.toString("utf8"), shown),
    spec: text,
    path: shown,
    version: hold.version,
    commit: hold.commit,
  };
}
