import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Environment that makes git deterministic and independent of the machine's config. */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Committer",
    GIT_COMMITTER_EMAIL: "committer@example.com",
    GIT_TERMINAL_PROMPT: "0",
    ...extra,
  };
}

export type Tree = Record<string, string | Buffer | null>;

/** A real git repository in a temp directory, with helpers to write files and commit. */
export class TempRepo {
  readonly dir: string;

  constructor(prefix = "mlci-repo-") {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.git("init", "-q", "-b", "main");
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, env: gitEnv(), encoding: "utf8" });
  }

  /** Write files (null deletes one) relative to the repository root. */
  write(tree: Tree): this {
    for (const [path, content] of Object.entries(tree)) {
      const full = join(this.dir, path);
      if (content === null) {
        rmSync(full, { force: true, recursive: true });
        continue;
      }
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    return this;
  }

  /** Stage everything and commit; returns the new commit's SHA. */
  commit(message: string, tree?: Tree, date?: string): string {
    if (tree) this.write(tree);
    this.git("add", "-A");
    const env = date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};
    execFileSync("git", ["commit", "-q", "--allow-empty", "-m", message], {
      cwd: this.dir,
      env: gitEnv(env),
    });
    return this.git("rev-parse", "HEAD").trim();
  }

  /** An annotated tag with a given tagger date (e.g. "2026-01-01T00:00:05Z"). */
  tag(name: string, message: string, rev = "HEAD", date?: string): void {
    execFileSync("git", ["tag", "-a", name, "-m", message, rev], {
      cwd: this.dir,
      env: gitEnv(date ? { GIT_COMMITTER_DATE: date } : {}),
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
