/**
 * The workflow files of this repository, read once: the reusable workflows, the starter templates
 * and the examples, with the actions they may use.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Where mlci lives, as the reusable workflows and the templates name it. */
export const MLCI_REPO = "mlci-dev/mlci";
export const MLCI_REF = "v1";

// biome-ignore lint/suspicious/noExplicitAny: workflows are plain YAML here
export type Json = Record<string, any>;

export interface WorkflowFile {
  /** Relative to the repository root. */
  path: string;
  text: string;
  doc: Json;
}

function readDir(dir: string): WorkflowFile[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(join(abs, f), "utf8");
      return { path: `${dir}/${f}`, text, doc: parse(text) as Json };
    });
}

/** Everything in .github/workflows/ (reusable workflows and this repository's CI). */
export const githubWorkflows = (): WorkflowFile[] => readDir(".github/workflows");

/** The reusable workflows (`on: workflow_call`). */
export const reusableWorkflows = (): WorkflowFile[] => githubWorkflows().filter((w) => isReusable(w.doc));

/** The starter templates users copy. */
export const templates = (): WorkflowFile[] => readDir("workflows");

/** Every workflow file we ship or show. */
export const allWorkflows = (): WorkflowFile[] => [
  ...githubWorkflows(),
  ...templates(),
  ...readDir("examples/workflows"),
];

export function isReusable(doc: Json): boolean {
  const on = doc.on;
  if (typeof on === "string") return on === "workflow_call";
  if (Array.isArray(on)) return on.includes("workflow_call");
  return on !== null && typeof on === "object" && "workflow_call" in on;
}

export function workflowCall(doc: Json): Json {
  const on = doc.on;
  return (on && typeof on === "object" && !Array.isArray(on) ? on.workflow_call : undefined) ?? {};
}

export function workflowFile(path: string): WorkflowFile {
  const text = readFileSync(join(ROOT, path), "utf8");
  return { path, text, doc: parse(text) as Json };
}

/** `mlci-dev/mlci/.github/workflows/x.yml@v1` -> `.github/workflows/x.yml`, for our own reusable workflows. */
export function localPathOfReusable(uses: string): string | undefined {
  const m = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(uses);
  if (!m || m[1] !== MLCI_REPO) return undefined;
  return m[2];
}

/** Inputs of one action, from its action.yml. */
export interface ActionSpec {
  inputs: Map<string, { required: boolean; hasDefault: boolean }>;
}

/** Every action under actions/, by directory name. */
export function actionSpecs(): Map<string, ActionSpec> {
  const out = new Map<string, ActionSpec>();
  const dir = join(ROOT, "actions");
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "action.yml");
    if (!existsSync(file)) continue;
    const doc = parse(readFileSync(file, "utf8")) as Json;
    const inputs = new Map<string, { required: boolean; hasDefault: boolean }>();
    for (const [key, def] of Object.entries((doc.inputs ?? {}) as Json)) {
      inputs.set(key, { required: def?.required === true, hasDefault: def?.default !== undefined });
    }
    out.set(name, { inputs });
  }
  return out;
}

/** Every job of a workflow, with its id. */
export function jobsOf(doc: Json): Array<[string, Json]> {
  return Object.entries((doc.jobs ?? {}) as Json);
}

/** Every step of every job, with where it is. */
export function stepsOf(doc: Json): Array<{ job: string; index: number; step: Json }> {
  return jobsOf(doc).flatMap(([job, def]) =>
    ((def.steps ?? []) as Json[]).map((step, index) => ({ job, index, step })),
  );
}
