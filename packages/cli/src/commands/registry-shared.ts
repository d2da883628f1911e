import { resolve } from "node:path";
import { MlciError } from "@mlci/common";
import { Git, spawnGit } from "@mlci/git";
import type { AssignOutcome, BumpPart, Tagger, TagOutcome, WriteOptions } from "@mlci/registry";
import { parseBump } from "@mlci/registry";
import type { CliContext } from "../command";

/** The options every registry command shares. */
export const repoOption = { cwd: { type: "string", short: "C" } } as const;

/** The options of the commands that write a tag. */
export const writeOptions = {
  message: { type: "string", short: "m" },
  push: { type: "boolean" },
  remote: { type: "string" },
  tagger: { type: "string" },
  json: { type: "boolean" },
  ...repoOption,
} as const;

export const repoHelp = { cwd: "run as if started in this directory (any folder of the repository)" };

export const writeHelp = {
  message: "the tag message instead of GTO's default",
  push: "push the new tag(s) to the remote (refused when the remote has the name already)",
  remote: "the remote to push to (default origin)",
  tagger: 'the tagger, "Name <email>" (default: git config user.name and user.email)',
  json: "print what was done as JSON (created, name, version, commit, tag, pushed, note)",
  ...repoHelp,
};

export type Values = Record<string, unknown>;

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** git at the repository's top level, with the command's environment. */
export async function repoGit(values: Values, ctx: CliContext): Promise<Git> {
  const runner: typeof spawnGit = (args, o) => spawnGit(args, { ...o, env: { ...ctx.env, ...o.env } });
  const dir = resolve(ctx.cwd, str(values.cwd) ?? ".");
  const git = new Git(dir, runner);
  if (!(await git.isRepo())) {
    throw new MlciError("NOT_FOUND", `${dir} is not inside a git repository`, {
      hint: "run mlci registry inside the repository, or pass -C <dir>",
    });
  }
  return new Git(await git.topLevel(), runner);
}

/** `Name <email>` for `--tagger`. */
export function parseTagger(text: string): Tagger {
  const m = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (!m?.[1]) {
    throw new MlciError("INPUT", `--tagger must look like "Name <email@example.com>", not "${text}"`);
  }
  return { name: m[1], email: m[2]! };
}

export function writeOptionsOf(values: Values): WriteOptions {
  const o: WriteOptions = {};
  const message = str(values.message);
  if (message !== undefined) o.message = message;
  if (values.push === true) o.push = true;
  const remote = str(values.remote);
  if (remote !== undefined) o.remote = remote;
  const tagger = str(values.tagger);
  if (tagger !== undefined) o.tagger = parseTagger(tagger);
  return o;
}

export function bumpOf(values: Values): BumpPart | undefined {
  const b = str(values.bump);
  return b === undefined ? undefined : parseBump(b);
}

/** The one artifact name a write command takes. */
export function nameArg(positionals: string[], command: string): string {
  if (positionals.length !== 1 || !positionals[0]) {
    throw new MlciError("INPUT", `mlci registry ${command} takes one artifact name`, {
      hint: `run \`mlci registry ${command} --help\``,
    });
  }
  return positionals[0];
}

/** `--version v` or `--ref REV` (HEAD when `defaultHead` and neither is given). */
export function targetOf(values: Values, defaultHead: boolean): { version?: string; commit?: string } {
  const version = str(values.version);
  const ref = str(values.ref);
  if (version !== undefined && ref !== undefined) {
    throw new MlciError("INPUT", "give either --version or --ref, not both");
  }
  if (version !== undefined) return { version };
  if (ref !== undefined) return { commit: ref };
  if (defaultHead) return { commit: "HEAD" };
  throw new MlciError("INPUT", "say which version: --version v1.2.3 or --ref <commit>");
}

function describe(o: TagOutcome, remote: string): string {
  if (!o.created) return `Nothing to do: ${o.note ?? "the registry says so already"}`;
  const what = o.version ? `${o.name} ${o.version}` : o.name;
  const pushed = o.pushed ? `, pushed to ${remote}` : "";
  return `Created tag ${o.tag} (${what} at ${o.commit.slice(0, 7)}${pushed})`;
}

/** Prints what a write did: a line per tag, or the outcome as JSON. */
export function printOutcome(ctx: CliContext, o: TagOutcome | AssignOutcome, values: Values): void {
  if (values.json === true) {
    ctx.stdout(`${JSON.stringify(o, null, 2)}\n`);
    return;
  }
  const remote = str(values.remote) ?? "origin";
  if ("registered" in o && o.registered) ctx.stdout(`${describe(o.registered, remote)}\n`);
  ctx.stdout(`${describe(o, remote)}\n`);
}

// Tag messages and tagger names come from whoever made the tag: no terminal escapes reach the screen.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function safe(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(CONTROLS, "");
}

/** Left-aligned columns separated by two spaces. */
export function renderTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => Array.from(r[i] ?? "").length)));
  return all
    .map((r) =>
      r
        .map((cell, i) =>
          i === r.length - 1 ? cell : cell + " ".repeat(widths[i]! - Array.from(cell).length),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
