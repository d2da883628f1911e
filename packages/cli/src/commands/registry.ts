import { MlciError } from "@mlci/common";
import {
  type ArtifactState,
  history,
  type RegistryEvent,
  type RegistryState,
  renderShowJson,
  show,
  sortVersions,
  type VersionSort,
} from "@mlci/registry";
import type { Command } from "../command";
import { iso, renderTable, repoGit, repoHelp, repoOption, safe, str } from "./registry-shared";

function sortOf(value: unknown): VersionSort {
  if (value === undefined || value === "timestamp") return "timestamp";
  if (value === "semver") return "semver";
  throw new MlciError("INPUT", `--sort must be "timestamp" or "semver", not "${String(value)}"`);
}

function optionalName(positionals: string[], command: string): string | undefined {
  if (positionals.length > 1) {
    throw new MlciError("INPUT", `mlci registry ${command} takes at most one artifact name`);
  }
  return positionals[0];
}

function stagesText(a: ArtifactState): string {
  return [...a.stages].map(([stage, hold]) => `${stage}=${hold.version}`).join(" ");
}

function overview(state: RegistryState): string {
  if (state.artifacts.size === 0) return "No registry tags found.";
  const rows = [...state.artifacts.values()].map((a) => [
    a.name,
    a.latest?.version ?? "-",
    stagesText(a) || "-",
    String(a.versions.filter((v) => v.registered).length),
    a.deprecated ? "yes" : "",
  ]);
  return renderTable(["artifact", "latest", "stages", "versions", "deprecated"], rows);
}

function artifactDetail(a: ArtifactState, sort: VersionSort): string {
  const head = `${a.name}: latest ${a.latest?.version ?? "-"}; stages ${stagesText(a) || "-"}${a.deprecated ? "; deprecated" : ""}`;
  const rows = sortVersions(a.versions, sort).map((v) => [
    v.version.length === 40 ? `${v.version.slice(0, 7)} (commit)` : v.version,
    v.commit.slice(0, 7),
    iso(v.createdAt),
    v.stages.map((s) => s.stage).join(",") || "-",
    v.registered ? (v.active ? "yes" : "deregistered") : "not registered",
    v.tag,
  ]);
  return `${head}\n\n${renderTable(["version", "commit", "created", "stages", "active", "tag"], rows)}`;
}

export const registryShowCommand: Command = {
  name: "registry show",
  summary: "Show the model registry (GTO tags): latest version and stages of each artifact",
  usage: "mlci registry show [name] [--json] [--sort timestamp|semver] [-C <dir>]",
  examples: ["mlci registry show", "mlci registry show churn --sort semver", "mlci registry show --json"],
  options: { json: { type: "boolean" }, sort: { type: "string" }, ...repoOption },
  optionHelp: {
    json: "print the registry as JSON (the stable format in docs/registry.md)",
    sort: "`timestamp` (default, as GTO): each stage shows its latest assignment; `semver`: its greatest version",
    ...repoHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const name = optionalName(positionals, "show");
    const sort = sortOf(values.sort);
    const state = await show(await repoGit(values, ctx), { sort, ...(name !== undefined ? { name } : {}) });
    if (values.json) {
      ctx.stdout(renderShowJson(state));
      return 0;
    }
    const a = name === undefined ? undefined : state.artifacts.get(name);
    ctx.stdout(`${a ? artifactDetail(a, sort) : overview(state)}\n`);
    for (const w of state.warnings) ctx.stderr(`warning: ${safe(w)}\n`);
    return 0;
  },
};

/** `mlci registry history --json`, version 1: every event, oldest first. */
export function historyJson(events: readonly RegistryEvent[]): string {
  const out = {
    version: 1,
    events: events.map((e) => ({
      action: e.action,
      artifact: e.artifact,
      ...(e.version !== undefined ? { version: e.version } : {}),
      ...(e.stage !== undefined ? { stage: e.stage } : {}),
      ...(e.counter !== undefined ? { counter: e.counter } : {}),
      tag: e.tag,
      commit: e.commit,
      createdAt: iso(e.createdAt),
      author: e.author,
      authorEmail: e.authorEmail,
      message: e.message,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export const registryHistoryCommand: Command = {
  name: "registry history",
  summary: "List registry events (register, assign, unassign, deregister, deprecate), oldest first",
  usage: "mlci registry history [name] [--json] [-C <dir>]",
  examples: ["mlci registry history", "mlci registry history churn --json"],
  options: { json: { type: "boolean" }, ...repoOption },
  optionHelp: { json: "print the events as JSON (version 1, see docs/registry.md)", ...repoHelp },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const name = optionalName(positionals, "history");
    const events = await history(await repoGit(values, ctx), name);
    if (values.json) {
      ctx.stdout(historyJson(events));
      return 0;
    }
    if (events.length === 0) {
      ctx.stdout("No registry events.\n");
      return 0;
    }
    const rows = events.map((e) => [
      iso(e.createdAt),
      e.artifact,
      e.action,
      e.version === undefined ? "-" : e.version.length === 40 ? e.version.slice(0, 7) : e.version,
      e.stage ?? "-",
      e.commit.slice(0, 7),
      safe(e.author),
      e.tag,
    ]);
    ctx.stdout(
      `${renderTable(["time", "artifact", "event", "version", "stage", "commit", "by", "tag"], rows)}\n`,
    );
    return 0;
  },
};

const SUBCOMMANDS = ["show", "history", "register", "assign", "unassign", "deregister", "deprecate"];

/** `mlci registry` alone: says which subcommands there are. */
export const registryCommand: Command = {
  name: "registry",
  summary: `Model registry on git tags (GTO-compatible): ${SUBCOMMANDS.join(", ")}`,
  usage: `mlci registry <${SUBCOMMANDS.join("|")}> [options]`,
  examples: ["mlci registry show", "mlci registry register churn --bump minor --push"],
  options: {},
  allowPositionals: true,
  async run({ positionals }) {
    const word = str(positionals[0]);
    throw new MlciError(
      "INPUT",
      word === undefined ? "mlci registry needs a subcommand" : `unknown registry subcommand "${word}"`,
      { hint: `one of ${SUBCOMMANDS.join(", ")}; run \`mlci registry <subcommand> --help\`` },
    );
  },
};
