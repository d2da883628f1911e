import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import {
  computeRetrainDecision,
  openRetrainPullRequest,
  type RetrainDecision,
  renderRetrainBody,
  retrainBranchName,
  retrainTitle,
} from "@mlci/app";
import { ExitCode, MlciError } from "@mlci/common";
import { Git } from "@mlci/git";
import { createOctokit } from "@mlci/github";
import type { CliContext, Command } from "../command";
import { scanHelp, scanOptions } from "./profile";

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

async function gitAt(dir: string): Promise<Git | undefined> {
  const git = new Git(dir);
  return (await git.isRepo()) ? new Git(await git.topLevel()) : undefined;
}

function printDecision(ctx: CliContext, d: RetrainDecision): void {
  const width = Math.max(6, ...d.columns.map((c) => c.column.length));
  const rows = d.columns.map(
    (c) =>
      `  ${c.drifted ? "drift" : "ok   "}  ${c.column.padEnd(width)}  ${c.method.padEnd(13)} ${c.score.toPrecision(4).padStart(10)}  (threshold ${c.threshold})`,
  );
  const skipped = d.skipped.map((s) => `  skip   ${s.column.padEnd(width)}  ${s.reason}`);
  ctx.stdout(
    [
      `${d.retrain ? "Retrain" : "No retraining"}: ${d.reason}`,
      `Reference: ${d.reference.path} (${d.reference.rows} rows); fresh data: ${d.current.rows} rows.`,
      ...rows,
      ...skipped,
      "",
    ].join("\n"),
  );
}

export const retrainCommand: Command = {
  name: "retrain",
  summary: "Decide whether to retrain: profile fresh data and compare it with the reference profile (drift)",
  usage:
    "mlci retrain --data <paths...> --reference <profile.json | registry:<artifact>#<stage>> [--always] [--write-profile <file>] [--json]",
  examples: [
    "mlci retrain --data data/fresh.csv --reference registry:churn#prod",
    "mlci retrain --data data/ --reference reference-profile.json --json",
    "mlci retrain --data data/fresh.csv --reference registry:churn#prod --always --write-profile mlci-profile.json",
  ],
  options: {
    data: { type: "string", multiple: true },
    reference: { type: "string", short: "r" },
    "profile-path": { type: "string" },
    always: { type: "boolean" },
    "write-profile": { type: "string" },
    ignore: { type: "string", multiple: true },
    json: { type: "boolean" },
    parallel: { type: "string", short: "p" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    data: "fresh data: files, folders or globs (CSV, TSV, JSON Lines, Parquet, .gz), read as one data set; more may follow as arguments",
    reference:
      "the reference profile: a file, or registry:<artifact>#<stage> (the profile committed with that stage's version)",
    "profile-path":
      "where the profile is committed in the repository, for registry references (default mlci-profile.json)",
    always: "retrain even when the data did not drift",
    "write-profile": "write the fresh data's profile to this file (to commit with the retrained model)",
    ignore: "leave a column out of the drift check (repeatable), e.g. an id",
    json: "print the decision as JSON (version, retrain, reason, driftShare, columns, ...)",
    ...scanHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const cwd = resolve(ctx.cwd, str(values.cwd) ?? ".");
    const reference = str(values.reference);
    if (!reference) {
      throw new MlciError(
        "INPUT",
        "mlci retrain needs --reference <profile.json | registry:<artifact>#<stage>>",
      );
    }
    const data = [...list(values.data), ...positionals];
    const git = reference.startsWith("registry:") ? await gitAt(cwd) : undefined;
    if (reference.startsWith("registry:") && !git) {
      throw new MlciError("NOT_FOUND", `${cwd} is not inside a git repository`, {
        hint: "a registry reference is read from the repository's tags; run inside the clone or pass -C <dir>",
      });
    }
    const { finish, ...scan } = scanOptions(values, ctx);
    const decision = await computeRetrainDecision({
      cwd,
      data,
      reference,
      ...(git ? { git } : {}),
      ...(str(values["profile-path"]) ? { profilePath: str(values["profile-path"]) as string } : {}),
      ...(values.always === true ? { always: true } : {}),
      ...(str(values["write-profile"]) ? { writeProfile: str(values["write-profile"]) as string } : {}),
      ...(list(values.ignore).length ? { ignore: list(values.ignore) } : {}),
      scan,
    }).finally(finish);
    if (values.json === true) ctx.stdout(`${JSON.stringify(decision, null, 2)}\n`);
    else printDecision(ctx, decision);
    return ExitCode.OK;
  },
};

function repoOf(text: string | undefined): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9-_.]+)\/([A-Za-z0-9-_.]+)$/.exec(text ?? "");
  if (!m?.[1] || !m[2]) {
    throw new MlciError("INPUT", text ? `--repo must be owner/name, not "${text}"` : "no repository given", {
      hint: "pass --repo owner/name (GITHUB_REPOSITORY in a workflow)",
    });
  }
  return { owner: m[1], repo: m[2] };
}

async function readDecision(path: string | undefined, cwd: string): Promise<RetrainDecision | undefined> {
  if (!path) return undefined;
  try {
    const d = JSON.parse(await readFile(resolve(cwd, path), "utf8")) as RetrainDecision;
    if (d?.version !== 1 || typeof d.reason !== "string")
      throw new Error("not an mlci retrain decision (version 1)");
    return d;
  } catch (err) {
    throw new MlciError("INPUT", `--decision ${path}: ${(err as Error).message}`, {
      location: { file: path },
    });
  }
}

export const retrainOpenPrCommand: Command = {
  name: "retrain open-pr",
  summary: "Open (or update) the retraining pull request with the given files, through the GitHub API",
  usage:
    "mlci retrain open-pr <files...> [--base main] [--branch mlci/retrain-<date>] [--decision decision.json] [--repo owner/name] [--json]",
  examples: [
    "mlci retrain open-pr dvc.lock metrics.json mlci-profile.json --decision decision.json",
    "mlci retrain open-pr dvc.lock metrics.json --base main --branch mlci/retrain-weekly",
  ],
  options: {
    base: { type: "string", short: "b" },
    branch: { type: "string" },
    decision: { type: "string" },
    title: { type: "string" },
    repo: { type: "string" },
    json: { type: "boolean" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    base: "the branch the pull request targets (default main)",
    branch: "the branch to create or update (default mlci/retrain-<UTC date>; reruns on a day reuse it)",
    decision: "the JSON of `mlci retrain --json`, to explain the pull request",
    title: "the pull request's title",
    repo: "owner/name (default GITHUB_REPOSITORY); the token is GITHUB_TOKEN, the API GITHUB_API_URL",
    json: "print what was done as JSON (branch, commit, number, url, createdBranch, committed, createdPullRequest)",
    cwd: "run as if started in this directory",
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const cwd = resolve(ctx.cwd, str(values.cwd) ?? ".");
    if (positionals.length === 0) throw new MlciError("INPUT", "name the files to put in the pull request");
    const token = ctx.env.GITHUB_TOKEN ?? ctx.env.GH_TOKEN;
    if (!token) {
      throw new MlciError("INPUT", "no token: set GITHUB_TOKEN", {
        hint: "a pull request opened with the workflow's GITHUB_TOKEN starts no workflow; use a GitHub App token (docs/retrain.md)",
      });
    }
    const { owner, repo } = repoOf(str(values.repo) ?? ctx.env.GITHUB_REPOSITORY);
    const top = (await gitAt(cwd))?.cwd ?? cwd;
    const files: Record<string, Buffer> = {};
    for (const f of positionals) {
      const abs = resolve(cwd, f);
      const path = relative(top, abs).split("\\").join("/");
      try {
        files[path] = await readFile(abs);
      } catch (err) {
        throw new MlciError("NOT_FOUND", `cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? ""}`, {
          location: { file: f },
        });
      }
    }
    const decision = await readDecision(str(values.decision), cwd);
    const now = new Date();
    const date = now.toISOString().slice(0, 10);
    const octokit = createOctokit({
      token,
      ...(ctx.env.GITHUB_API_URL ? { baseUrl: ctx.env.GITHUB_API_URL } : {}),
      log: { warn: (m) => ctx.stderr(`${m}\n`) },
    });
    const out = await openRetrainPullRequest(octokit, {
      owner,
      repo,
      base: str(values.base) ?? "main",
      branch: str(values.branch) ?? retrainBranchName(now),
      files,
      title: str(values.title) ?? retrainTitle(decision, date),
      body: renderRetrainBody(decision, Object.keys(files)),
    });
    if (values.json === true) ctx.stdout(`${JSON.stringify(out, null, 2)}\n`);
    else if (out.number === undefined)
      ctx.stdout(`Nothing to propose: the files equal those on the base branch.\n`);
    else {
      const what = out.createdPullRequest ? "Opened" : out.committed ? "Updated" : "Unchanged:";
      ctx.stdout(
        `${what} pull request #${out.number} (${out.branch} at ${out.commit.slice(0, 7)}): ${out.url}\n`,
      );
    }
    return ExitCode.OK;
  },
};
