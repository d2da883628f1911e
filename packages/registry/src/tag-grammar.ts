/**
 * GTO's tag grammar (gto/constants.py, gto/tag.py), accepted exactly as GTO accepts it:
 *
 *   <artifact>@v<semver>[!][#N]   register / deregister
 *   <artifact>#<stage>[!][#N]     assign / unassign
 *   <artifact>@deprecated[#N]     deprecate
 *
 * where <artifact> is `[<dir>=]<name>`. In artifact names (DVC's and ours) the folder prefix is
 * written `dir:name`; git refs cannot hold `:`, so tags write it as `dir=name`.
 */

import { MlciError } from "@mlci/common";

export type TagAction = "register" | "deregister" | "assign" | "unassign" | "deprecate";

interface TagBase {
  /** Artifact name in name form: `name` or `dir:name` (tags write `dir=name`). */
  artifact: string;
  /** The `#N` suffix, when the tag has one. */
  counter?: number;
}

export interface VersionTag extends TagBase {
  action: "register" | "deregister";
  /** `v` followed by a SemVer 2.0 version, e.g. `v1.2.3-rc.1+build.5`. */
  version: string;
}

export interface StageTag extends TagBase {
  action: "assign" | "unassign";
  stage: string;
}

export interface DeprecateTag extends TagBase {
  action: "deprecate";
}

export type ParsedTag = VersionTag | StageTag | DeprecateTag;

export interface TagError {
  error: string;
}

const NAME = "[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?";
const DIRNAME = "[a-zA-Z0-9\\-_./]+";
const NUM = "(?:0|[1-9][0-9]*)";
const PRE_ID = "(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)";
const BUILD_ID = "[0-9a-zA-Z-]+";
const SEMVER = `${NUM}\\.${NUM}\\.${NUM}(?:-${PRE_ID}(?:\\.${PRE_ID})*)?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?`;

const NAME_RE = new RegExp(`^${NAME}$`);
const DIRNAME_RE = new RegExp(`^${DIRNAME}$`);
const VERSION_RE = new RegExp(`^v${SEMVER}$`);
const TAG_RE = new RegExp(
  `^(?<artifact>(?:${DIRNAME}=)?${NAME})` +
    `(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER}))(?<cancel>!?)|@(?:(?<deprecated>deprecated)|(?<created>created)))` +
    "(?:#(?<counter>[0-9]+))?$",
);

/** Folder separator inside artifact names (DVC) and inside tags (GTO). */
export const SEPARATOR_IN_NAME = ":";
export const SEPARATOR_IN_TAG = "=";

export function nameToTag(name: string): string {
  return name.replace(SEPARATOR_IN_NAME, SEPARATOR_IN_TAG);
}

export function tagToName(artifactInTag: string): string {
  return artifactInTag.replace(SEPARATOR_IN_TAG, SEPARATOR_IN_NAME);
}

/** Splits `dir:name` into its folder and bare name; `dir` is undefined without a prefix. */
export function splitArtifactName(name: string): { dir: string | undefined; name: string } {
  const i = name.lastIndexOf(SEPARATOR_IN_NAME);
  if (i < 0) return { dir: undefined, name };
  return { dir: name.slice(0, i), name: name.slice(i + 1) };
}

const NAME_RULE = "must start and end with a letter or digit and hold only letters, digits, `-`, `_` and `/`";

/** Why `value` is not a valid bare artifact or stage name, or undefined when it is. */
export function checkName(value: string, what = "name"): string | undefined {
  if (value === "") return `${what} is empty`;
  if (NAME_RE.test(value)) return undefined;
  return `${what} "${value}" ${NAME_RULE}`;
}

/** Why `value` is not a valid artifact name (`name` or `dir:name`), or undefined when it is. */
export function checkArtifactName(value: string): string | undefined {
  if (value.includes(SEPARATOR_IN_TAG)) {
    return `artifact name "${value}" holds "=": write the folder prefix as "dir:name"`;
  }
  const parts = value.split(SEPARATOR_IN_NAME);
  if (parts.length > 2) return `artifact name "${value}" holds more than one ":"`;
  const { dir, name } = splitArtifactName(value);
  if (dir !== undefined && !DIRNAME_RE.test(dir)) {
    return `folder "${dir}" of artifact "${value}" may hold only letters, digits, "-", "_", "." and "/"`;
  }
  const problem = checkName(name, "artifact name");
  return problem && dir !== undefined ? `${problem} (in "${value}")` : problem;
}

/** Why `value` is not `v` + SemVer 2.0, or undefined when it is. */
export function checkVersion(value: string): string | undefined {
  if (VERSION_RE.test(value)) return undefined;
  if (/^V/.test(value)) return `version "${value}" must start with a lowercase "v"`;
  if (!value.startsWith("v")) return `version "${value}" must start with "v" (e.g. v1.2.3)`;
  return `version "${value}" is not SemVer 2.0 (expected vMAJOR.MINOR.PATCH[-prerelease][+build], no leading zeros)`;
}

export function isVersion(value: string): boolean {
  return VERSION_RE.test(value);
}

/**
 * Parses a tag name. Accepts exactly what GTO's `tag_re` accepts (except `@created`, which GTO
 * reserves and never turns into an event); anything else comes back with a reason.
 */
export function parseTag(tag: string): ParsedTag | TagError {
  const m = TAG_RE.exec(tag);
  if (!m?.groups) return { error: diagnose(tag) };
  const g = m.groups;
  const artifact = tagToName(g.artifact ?? "");
  const counter = g.counter === undefined ? undefined : Number(g.counter);
  const withCounter = <T extends ParsedTag>(p: T): T => (counter === undefined ? p : { ...p, counter });
  if (g.version !== undefined) {
    return withCounter({
      action: g.cancel === "!" ? "deregister" : "register",
      artifact,
      version: g.version,
    });
  }
  if (g.stage !== undefined) {
    return withCounter({ action: g.cancel === "!" ? "unassign" : "assign", artifact, stage: g.stage });
  }
  if (g.deprecated !== undefined) return withCounter({ action: "deprecate", artifact });
  return { error: `"${tag}": "@created" tags are reserved by GTO and record no event` };
}

export function isTagError(value: ParsedTag | TagError): value is TagError {
  return "error" in value;
}

/** Why a value cannot be formatted into a tag, or undefined. */
export function checkParsedTag(p: ParsedTag): string | undefined {
  const problem = checkArtifactName(p.artifact);
  if (problem) return problem;
  if (p.counter !== undefined && !(Number.isSafeInteger(p.counter) && p.counter >= 0)) {
    return `counter ${p.counter} is not a non-negative integer`;
  }
  switch (p.action) {
    case "register":
    case "deregister":
      return checkVersion(p.version);
    case "assign":
    case "unassign":
      return checkName(p.stage, "stage");
    case "deprecate":
      return undefined;
  }
}

/** The tag for a parsed value; throws on names, stages or versions the grammar rejects. */
export function formatTag(p: ParsedTag): string {
  const problem = checkParsedTag(p);
  if (problem) throw new MlciError("INPUT", `cannot make a registry tag: ${problem}`);
  const artifact = nameToTag(p.artifact);
  let body: string;
  switch (p.action) {
    case "register":
      body = `${artifact}@${p.version}`;
      break;
    case "deregister":
      body = `${artifact}@${p.version}!`;
      break;
    case "assign":
      body = `${artifact}#${p.stage}`;
      break;
    case "unassign":
      body = `${artifact}#${p.stage}!`;
      break;
    case "deprecate":
      body = `${artifact}@deprecated`;
      break;
  }
  return p.counter === undefined ? body : `${body}#${p.counter}`;
}

/** True when the tag looks like an attempt at a registry tag (so a parse failure is worth a warning). */
export function looksLikeRegistryTag(tag: string): boolean {
  return tag.includes("@") || tag.includes("#");
}

function diagnose(tag: string): string {
  const q = `"${tag}"`;
  if (tag === "") return "empty tag name";
  const at = tag.search(/[@#]/);
  if (at < 0) return `${q} is not a registry tag: it has no "@" (version) or "#" (stage)`;
  if (at === 0) return `${q} has no artifact name before "${tag[0]}"`;
  const artifactPart = tag.slice(0, at);
  const eq = artifactPart.split(SEPARATOR_IN_TAG);
  if (eq.length > 2) return `${q}: artifact "${artifactPart}" holds more than one "="`;
  if (eq.length === 2 && !DIRNAME_RE.test(eq[0] ?? "")) {
    return `${q}: folder "${eq[0]}" may hold only letters, digits, "-", "_", "." and "/"`;
  }
  const bare = eq[eq.length - 1] ?? "";
  const nameProblem = checkName(bare, "artifact name");
  if (nameProblem) return `${q}: ${nameProblem}`;
  let rest = tag.slice(at);
  // Peel an optional trailing counter off everything but a bare `#stage`.
  const counterMatch = /#([^#]*)$/.exec(rest.slice(1));
  if (rest.startsWith("@")) {
    if (counterMatch) {
      if (!/^[0-9]+$/.test(counterMatch[1] ?? ""))
        return `${q}: counter "#${counterMatch[1]}" is not a number`;
      rest = rest.slice(0, rest.length - counterMatch[0].length);
    }
    let value = rest.slice(1);
    if (value === "deprecated" || value === "created") return `${q} does not match the GTO tag grammar`;
    if (value.startsWith("deprecated")) return `${q}: "@deprecated" takes no "!" or other suffix`;
    if (value.endsWith("!")) value = value.slice(0, -1);
    if (value.includes("@")) return `${q} holds more than one "@"`;
    return `${q}: ${checkVersion(value) ?? "does not match the GTO tag grammar"}`;
  }
  const parts = rest.slice(1).split("#");
  if (parts.length > 2) return `${q} holds more than two "#"`;
  let stage = parts[0] ?? "";
  if (stage.includes("@")) return `${q}: "@" cannot follow a stage`;
  if (stage.endsWith("!")) stage = stage.slice(0, -1);
  const stageProblem = checkName(stage, "stage");
  if (stageProblem) return `${q}: ${stageProblem}`;
  if (parts.length === 2 && !/^[0-9]+$/.test(parts[1] ?? "")) {
    return `${q}: counter "#${parts[1]}" is not a number`;
  }
  return `${q} does not match the GTO tag grammar`;
}
