import { posix } from "node:path";
import { configError, type LocatedDocument, parseYamlLocated } from "@mlci/common";
import type { FileSource } from "./file-source";
import { checkArtifactName, SEPARATOR_IN_NAME } from "./tag-grammar";

/** An artifact declared in `dvc.yaml` (`artifacts:`) or in GTO's `artifacts.yaml`. */
export interface ArtifactDeclaration {
  /** `name`, or `dir:name` for one declared in `dir/dvc.yaml` (tags write `dir=name`). */
  name: string;
  type?: string;
  /** Relative to the repository root (a nested dvc.yaml's paths are relative to its folder). */
  path?: string;
  /** DVC's `desc`, GTO's `description`. */
  description?: string;
  labels: string[];
  /** GTO's `virtual` (default true: the path need not exist); false for DVC artifacts. */
  virtual: boolean;
  /** DVC's `meta`, GTO's `custom`. */
  meta?: unknown;
  /** The file that declares it. */
  file: string;
}

export interface ArtifactDeclarations {
  artifacts: ArtifactDeclaration[];
  /** Names that cannot become tags, duplicates; the artifact is left out. */
  warnings: string[];
}

export const ARTIFACTS_YAML = "artifacts.yaml";
export const DVC_YAML = "dvc.yaml";

/**
 * Reads every artifact declaration: each `dvc.yaml` (the root one gives `name`, `sub/dir/dvc.yaml`
 * gives `sub/dir:name`) and the root `artifacts.yaml`. A name declared twice keeps its first
 * declaration (dvc.yaml files first, shallowest first). Malformed files throw CONFIG errors.
 */
export async function readArtifactDeclarations(source: FileSource): Promise<ArtifactDeclarations> {
  const files = await source.listFiles();
  const dvcFiles = files
    .filter((f) => posix.basename(f) === DVC_YAML && !f.split("/").includes(".dvc"))
    .sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0));
  const found: ArtifactDeclaration[] = [];
  for (const file of dvcFiles) {
    const text = await source.readFile(file);
    if (text !== null) found.push(...parseDvcYamlArtifacts(text.toString("utf8"), file));
  }
  const index = await source.readFile(ARTIFACTS_YAML);
  if (index !== null) found.push(...parseArtifactsYaml(index.toString("utf8"), ARTIFACTS_YAML));

  const warnings: string[] = [];
  const seen = new Map<string, string>();
  const artifacts: ArtifactDeclaration[] = [];
  for (const a of found) {
    const problem = checkArtifactName(a.name);
    if (problem) {
      warnings.push(`${a.file}: artifact "${a.name}" left out: ${problem}`);
      continue;
    }
    const first = seen.get(a.name);
    if (first !== undefined) {
      warnings.push(`${a.file}: artifact "${a.name}" is declared in ${first} already; that one is used`);
      continue;
    }
    seen.set(a.name, a.file);
    artifacts.push(a);
  }
  return { artifacts, warnings };
}

/** The `artifacts:` section of one dvc.yaml; `file` is its path from the repository root. */
export function parseDvcYamlArtifacts(text: string, file: string): ArtifactDeclaration[] {
  const doc = parseYamlLocated(text, file);
  const top = doc.value;
  if (top === null || top === undefined) return [];
  if (!isRecord(top)) throw configError("dvc.yaml must be a mapping", { file, line: 1 });
  const section = top.artifacts;
  if (section === undefined || section === null) return [];
  const entries = mapping(section, doc, file, ["artifacts"]);
  const dir = posix.dirname(file);
  const prefix = dir === "." ? "" : `${dir}${SEPARATOR_IN_NAME}`;
  return entries.map(([name, value]) => {
    const at = ["artifacts", name];
    const body = value === null ? {} : value;
    if (!isRecord(body))
      throw problem(doc, file, at, "an artifact must be a mapping (path, type, desc, labels, meta)");
    const decl: ArtifactDeclaration = {
      name: `${prefix}${name}`,
      labels: stringList(body.labels, doc, file, [...at, "labels"]),
      virtual: false,
      file,
    };
    const path = optionalString(body.path, doc, file, [...at, "path"]);
    if (path !== undefined) decl.path = repoPath(dir, path);
    const type = optionalString(body.type, doc, file, [...at, "type"]);
    if (type !== undefined) decl.type = type;
    const desc = optionalString(body.desc, doc, file, [...at, "desc"]);
    if (desc !== undefined) decl.description = desc;
    if (body.meta !== undefined) decl.meta = body.meta;
    return decl;
  });
}

/** GTO's `artifacts.yaml`: `name: {type, path, virtual, labels, description, custom}`. */
export function parseArtifactsYaml(text: string, file = ARTIFACTS_YAML): ArtifactDeclaration[] {
  const doc = parseYamlLocated(text, file);
  if (doc.value === null || doc.value === undefined) return [];
  const dir = posix.dirname(file);
  return mapping(doc.value, doc, file, []).map(([name, value]) => {
    const body = value === null ? {} : value;
    if (!isRecord(body)) {
      throw problem(
        doc,
        file,
        [name],
        "an artifact must be a mapping (type, path, virtual, labels, description)",
      );
    }
    const virtual = body.virtual ?? true;
    if (typeof virtual !== "boolean")
      throw problem(doc, file, [name, "virtual"], "`virtual` must be true or false");
    const decl: ArtifactDeclaration = {
      name,
      labels: stringList(body.labels, doc, file, [name, "labels"]),
      virtual,
      file,
    };
    const path = optionalString(body.path, doc, file, [name, "path"]);
    if (path !== undefined) decl.path = repoPath(dir, path);
    const type = optionalString(body.type, doc, file, [name, "type"]);
    if (type !== undefined) decl.type = type;
    const description = optionalString(body.description, doc, file, [name, "description"]);
    if (description !== undefined) decl.description = description;
    if (body.custom !== undefined) decl.meta = body.custom;
    return decl;
  });
}

/** `path` (relative to `dir`) as a clean repository path. */
export function repoPath(dir: string, path: string): string {
  const joined = posix.normalize(dir === "." || dir === "" ? path : `${dir}/${path}`);
  return joined.replace(/^\.\//, "").replace(/\/+$/, "") || ".";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mapping(v: unknown, doc: LocatedDocument, file: string, at: string[]): [string, unknown][] {
  if (!isRecord(v))
    throw problem(
      doc,
      file,
      at,
      `${at.length ? `\`${at.join(".")}\`` : "the file"} must be a mapping of artifact names`,
    );
  return Object.entries(v);
}

function optionalString(v: unknown, doc: LocatedDocument, file: string, at: string[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw problem(doc, file, at, `\`${at[at.length - 1]}\` must be a string`);
  return v;
}

function stringList(v: unknown, doc: LocatedDocument, file: string, at: string[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw problem(doc, file, at, "`labels` must be a list of strings");
  }
  return v as string[];
}

function problem(doc: LocatedDocument, file: string, at: string[], message: string) {
  const line = doc.lineOf(at);
  return configError(message, { file, ...(line === undefined ? {} : { line }), key: at.join(".") });
}
