import { spawn } from "node:child_process";
import { MlciError } from "@mlci/common";

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git. Injected so tests and other hosts can swap it. */
export type GitRunner = (
  args: string[],
  options: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv },
) => Promise<GitResult>;

export const spawnGit: GitRunner = (args, { cwd, input, env }) =>
  new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) =>
      reject(
        new MlciError("GIT", `could not run git: ${e.message}`, { hint: "install git and put it on PATH" }),
      ),
    );
    child.on("close", (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }),
    );
    child.stdin.end(input);
  });

export interface TagInfo {
  name: string;
  /** Object id the ref points to (the tag object for annotated tags). */
  objectName: string;
  /** `tag` for annotated tags, `commit` for lightweight ones. */
  objectType: string;
  /** The commit the tag points at, after peeling. */
  commit: string;
  /** Tagger date (annotated) in seconds since the epoch; undefined for lightweight tags. */
  taggerDate?: number;
  taggerName?: string;
  taggerEmail?: string;
  message?: string;
}

/** A small typed wrapper over the `git` executable, bound to one working directory. */
export class Git {
  readonly cwd: string;
  private readonly runner: GitRunner;

  constructor(cwd: string, runner: GitRunner = spawnGit) {
    this.cwd = cwd;
    this.runner = runner;
  }

  /** Run git and return stdout as text; throws MlciError("GIT") on a non-zero exit. */
  async run(
    args: string[],
    options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
  ): Promise<string> {
    return (await this.runBuffer(args, options)).toString("utf8");
  }

  async runBuffer(
    args: string[],
    options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
  ): Promise<Buffer> {
    const res = await this.runner(args, { cwd: this.cwd, ...options });
    if (res.code !== 0) {
      throw new MlciError("GIT", `git ${args[0]} failed: ${res.stderr.trim() || `exit code ${res.code}`}`);
    }
    return res.stdout;
  }

  /** Run git and return the raw result without throwing. */
  async tryRun(
    args: string[],
    options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
  ): Promise<GitResult> {
    return this.runner(args, { cwd: this.cwd, ...options });
  }

  async isRepo(): Promise<boolean> {
    const res = await this.tryRun(["rev-parse", "--git-dir"]);
    return res.code === 0;
  }

  async topLevel(): Promise<string> {
    return (await this.run(["rev-parse", "--show-toplevel"])).trim();
  }

  /** Full SHA of a revision, or throws NOT_FOUND with the revision named. */
  async revParse(rev: string): Promise<string> {
    const res = await this.tryRun(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
    if (res.code !== 0) {
      throw new MlciError("NOT_FOUND", `git revision "${rev}" not found`, {
        hint: "in GitHub Actions, check out with `fetch-depth: 0` so the base branch and tags are present",
      });
    }
    return res.stdout.toString("utf8").trim();
  }

  async mergeBase(a: string, b: string): Promise<string> {
    const res = await this.tryRun(["merge-base", a, b]);
    if (res.code !== 0) {
      throw new MlciError("NOT_FOUND", `no merge base between "${a}" and "${b}"`, {
        hint: "in GitHub Actions, check out with `fetch-depth: 0` so the history of both is present",
      });
    }
    return res.stdout.toString("utf8").trim();
  }

  /** The bytes of `path` (relative to the repository root) at `rev`, or null when it is not there. */
  async showFile(rev: string, path: string): Promise<Buffer | null> {
    const spec = `${rev}:${path.replace(/^\.\//, "")}`;
    const res = await this.tryRun(["cat-file", "blob", spec]);
    if (res.code !== 0) return null;
    return res.stdout;
  }

  /** Paths of files (blobs) under `dir` at `rev`, relative to the repository root. */
  async listFiles(rev: string, dir = ""): Promise<string[]> {
    const args = ["ls-tree", "-r", "-z", "--name-only", rev];
    if (dir) args.push("--", dir);
    const out = await this.run(args);
    return out.split("\0").filter(Boolean);
  }

  async headSha(): Promise<string> {
    return this.revParse("HEAD");
  }

  /** Every tag with its object type, peeled commit and, for annotated tags, tagger date and message. */
  async listTags(pattern?: string): Promise<TagInfo[]> {
    const sep = "\x1f";
    const end = "\x1e";
    const format = [
      "%(refname:strip=2)",
      "%(objectname)",
      "%(objecttype)",
      "%(*objectname)",
      "%(taggerdate:unix)",
      "%(taggername)",
      "%(taggeremail:trim)",
      "%(contents)",
    ].join(sep);
    const args = ["for-each-ref", `--format=${format}${end}`, pattern ? `refs/tags/${pattern}` : "refs/tags"];
    const out = await this.run(args);
    const tags: TagInfo[] = [];
    for (const rec of out.split(`${end}\n`)) {
      if (!rec.trim()) continue;
      const [
        name = "",
        objectName = "",
        objectType = "",
        peeled = "",
        date = "",
        tn = "",
        te = "",
        msg = "",
      ] = rec.replace(new RegExp(`${end}$`), "").split(sep);
      const info: TagInfo = {
        name,
        objectName,
        objectType,
        commit: objectType === "tag" ? peeled : objectName,
      };
      if (objectType === "tag") {
        if (date) info.taggerDate = Number(date);
        info.taggerName = tn;
        info.taggerEmail = te;
        info.message = msg;
      }
      tags.push(info);
    }
    return tags;
  }
}
