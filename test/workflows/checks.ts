/**
 * The checks the workflow tests run, as pure functions over parsed YAML that return problems (one
 * line each). Each test runs them on our files (no problem) and on a broken snippet (the problem).
 */
import {
  type ActionSpec,
  type Json,
  jobsOf,
  localPathOfReusable,
  MLCI_REPO,
  stepsOf,
  workflowCall,
} from "./files";

/** `owner/repo/actions/<name>@ref` or `./actions/<name>`: one of our actions, by directory name. */
export function ourAction(uses: string): string | undefined {
  const m = /^(?:[^/\s]+\/[^/\s]+\/actions\/([^/@\s]+)@\S+|\.\/actions\/([^/@\s]+))$/.exec(uses.trim());
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Every step that uses one of our actions names an existing one and passes only (and all required) declared inputs. */
export function checkActionUses(doc: Json, actions: Map<string, ActionSpec>): string[] {
  const problems: string[] = [];
  for (const { job, index, step } of stepsOf(doc)) {
    if (typeof step.uses !== "string") continue;
    const name = ourAction(step.uses);
    if (!name) continue;
    const where = `jobs.${job}.steps[${index}] (${step.uses})`;
    const spec = actions.get(name);
    if (!spec) {
      problems.push(`${where}: there is no action actions/${name}`);
      continue;
    }
    const given = Object.keys((step.with ?? {}) as Json);
    for (const key of given) {
      if (!spec.inputs.has(key)) problems.push(`${where}: actions/${name} has no input "${key}"`);
    }
    for (const [key, def] of spec.inputs) {
      if (def.required && !def.hasDefault && !given.includes(key)) {
        problems.push(`${where}: the required input "${key}" of actions/${name} is missing`);
      }
    }
  }
  return problems;
}

/** A reusable workflow names our actions by repository and ref: `./actions/...` would be the caller's files. */
export function checkActionRefs(doc: Json): string[] {
  const problems: string[] = [];
  for (const { job, index, step } of stepsOf(doc)) {
    if (typeof step.uses !== "string" || !ourAction(step.uses)) continue;
    if (!step.uses.startsWith(`${MLCI_REPO}/actions/`)) {
      problems.push(`jobs.${job}.steps[${index}]: ${step.uses} must be ${MLCI_REPO}/actions/<name>@<ref>`);
    }
  }
  return problems;
}

const INPUT_REF = /(?<![\w.-])inputs\.([A-Za-z_][\w-]*)/g;
const SECRET_REF = /(?<![\w.-])secrets\.([A-Za-z_][\w-]*)/g;

function names(text: string, re: RegExp): Set<string> {
  return new Set([...text.matchAll(re)].map((m) => m[1] as string));
}

/** Every declared input (and secret) of a reusable workflow is used, and every one used is declared. */
export function checkInputsUsed(doc: Json, text: string): string[] {
  const call = workflowCall(doc);
  const problems: string[] = [];
  for (const [kind, declared, re] of [
    ["input", Object.keys((call.inputs ?? {}) as Json), INPUT_REF],
    ["secret", Object.keys((call.secrets ?? {}) as Json), SECRET_REF],
  ] as const) {
    const used = names(text, re);
    for (const name of declared)
      if (!used.has(name)) problems.push(`the ${kind} "${name}" is declared but never used`);
    for (const name of used)
      if (!declared.includes(name)) problems.push(`the ${kind} "${name}" is used but not declared`);
  }
  return problems;
}

/**
 * The section of docs/workflows.md about one workflow (from its `## ... file ...` heading to the
 * next `## `), and the names in the first column of its tables headed `Input` or `Secret`.
 */
export function documentedNames(markdown: string, file: string): Set<string> | undefined {
  const sections = markdown.split(/^## /m).slice(1);
  const section = sections.find((s) => (s.split("\n")[0] ?? "").includes(`\`${file}\``));
  if (section === undefined) return undefined;
  const out = new Set<string>();
  let inTable = false;
  for (const line of section.split("\n")) {
    if (!line.startsWith("|")) {
      inTable = false;
      continue;
    }
    const header = /^\|\s*(Input|Secret)\s*\|/.exec(line);
    if (header) inTable = true;
    const m = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (inTable && m?.[1]) out.add(m[1]);
  }
  return out;
}

/** Every input and secret of a reusable workflow has a row in its section of docs/workflows.md, and no row is stale. */
export function checkInputsDocumented(doc: Json, file: string, markdown: string): string[] {
  const documented = documentedNames(markdown, file);
  if (!documented) return [`docs/workflows.md has no "## ... \`${file}\`" section`];
  const call = workflowCall(doc);
  const declared = [
    ...Object.keys((call.inputs ?? {}) as Json),
    ...Object.keys((call.secrets ?? {}) as Json),
  ];
  const problems: string[] = [];
  for (const name of declared)
    if (!documented.has(name)) problems.push(`${file}: "${name}" is not documented`);
  for (const name of documented)
    if (!declared.includes(name)) problems.push(`${file}: "${name}" is documented but not declared`);
  return problems;
}

const LEVEL = { none: 0, read: 1, write: 2 } as const;
type Level = keyof typeof LEVEL;
const SCOPES = [
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
];

/** `permissions:` as a level per scope; undefined when it is not set (the default token applies). */
export function permissionLevels(value: unknown): Record<string, Level> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === "read-all" || value === "write-all") {
    const level: Level = value === "read-all" ? "read" : "write";
    return Object.fromEntries(SCOPES.map((s) => [s, level]));
  }
  if (typeof value !== "object")
    throw new Error(`permissions must be a mapping, read-all or write-all, not ${String(value)}`);
  const out: Record<string, Level> = {};
  for (const [scope, level] of Object.entries(value as Json)) {
    if (!(level in LEVEL))
      throw new Error(`permissions.${scope}: ${String(level)} is not none, read or write`);
    out[scope] = level as Level;
  }
  return out;
}

/**
 * A job that calls a reusable workflow grants it at most its own permissions; GitHub refuses to
 * start a called job that asks for more. Each called job's permissions (its own, else the called
 * workflow's top level) must fit in what the caller grants (the calling job's, else the caller's top level).
 */
export function checkCalledPermissions(caller: Json, callee: (path: string) => Json | undefined): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(caller)) {
    if (typeof job.uses !== "string") continue;
    const path = localPathOfReusable(job.uses);
    if (!path) continue;
    const called = callee(path);
    if (!called) {
      problems.push(`jobs.${jobId}: ${job.uses} names no reusable workflow of this repository`);
      continue;
    }
    const granted = permissionLevels(job.permissions) ?? permissionLevels(caller.permissions);
    if (!granted) {
      problems.push(
        `jobs.${jobId}: set permissions on the calling job (the default token's are not least privilege)`,
      );
      continue;
    }
    const calledTop = permissionLevels(called.permissions);
    for (const [calledId, calledJob] of jobsOf(called)) {
      const wanted = permissionLevels(calledJob.permissions) ?? calledTop ?? {};
      for (const [scope, level] of Object.entries(wanted)) {
        const has = granted[scope] ?? "none";
        if (LEVEL[level] > LEVEL[has]) {
          problems.push(
            `jobs.${jobId} -> ${path} jobs.${calledId}: asks for ${scope}: ${level}, the caller grants ${has}`,
          );
        }
      }
    }
  }
  return problems;
}

/** Least privilege in a reusable workflow: nothing at the top, and every job says what it needs. */
export function checkJobPermissions(doc: Json): string[] {
  const problems: string[] = [];
  const top = permissionLevels(doc.permissions);
  if (!top || Object.values(top).some((l) => l !== "none"))
    problems.push("the top level must be `permissions: {}`");
  for (const [id, job] of jobsOf(doc)) {
    if (job.permissions === undefined) problems.push(`jobs.${id} does not set permissions`);
  }
  return problems;
}

/**
 * Script injection: a `run:` script may interpolate only `inputs.*` (the caller's workflow file,
 * trusted) and `runner.*`; anything else (event fields, step and job outputs, matrix values) goes
 * through `env:` so the shell sees data, never code.
 */
export function checkRunInterpolation(doc: Json): string[] {
  const problems: string[] = [];
  for (const { job, index, step } of stepsOf(doc)) {
    if (typeof step.run !== "string") continue;
    for (const m of step.run.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
      const expr = (m[1] ?? "").trim();
      if (!/^(inputs|runner)\.[\w-]+$/.test(expr)) {
        problems.push(`jobs.${job}.steps[${index}].run interpolates \${{ ${expr} }}: pass it through env:`);
      }
    }
  }
  return problems;
}
