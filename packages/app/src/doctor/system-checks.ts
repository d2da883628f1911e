/** Node.js, git, the repository and its history: what every mlci command stands on. */
import type { CommandRunner } from "@mlci/pipeline";
import { check, type DoctorCheck } from "./types";

const MIN_NODE = 20;

export function checkNode(version: string): DoctorCheck {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isFinite(major)) return check("node", "node", "warn", `cannot read the version "${version}"`);
  if (major < MIN_NODE) {
    return check(
      "node",
      "node",
      "fail",
      `${version}: mlci needs Node.js ${MIN_NODE} or newer`,
      "install Node.js 20 or newer (the actions themselves run on Node 24)",
    );
  }
  return check("node", "node", "ok", version);
}

/** git's version, the repository the folder is in, and whether its history is complete. */
export async function checkGit(runner: CommandRunner, dir: string): Promise<DoctorCheck[]> {
  const version = await runner.run("git", ["--version"]);
  if (version.error || version.code !== 0) {
    const why =
      version.error?.code === "ENOENT"
        ? "git not found on PATH"
        : `git --version failed: ${(version.stderr || version.error?.message || "").trim()}`;
    return [
      check("git", "git", "fail", why, "install git: mlci reads revisions, tags and history through it"),
    ];
  }
  const out: DoctorCheck[] = [check("git", "git", "ok", version.stdout.trim().replace(/^git version /, ""))];

  const top = await runner.run("git", ["-C", dir, "rev-parse", "--show-toplevel"]);
  if (top.code !== 0) {
    out.push(
      check(
        "repository",
        "repository",
        "fail",
        `${dir} is not inside a git repository`,
        "run mlci in a clone of your project (or pass -C <dir>)",
      ),
    );
    return out;
  }
  const head = await runner.run("git", ["-C", dir, "rev-parse", "--short", "HEAD"]);
  const branch = await runner.run("git", ["-C", dir, "branch", "--show-current"]);
  const at =
    head.code === 0 ? `${branch.stdout.trim() || "detached HEAD"} at ${head.stdout.trim()}` : "no commit yet";
  out.push(check("repository", "repository", "ok", `${top.stdout.trim()} (${at})`));

  const shallow = await runner.run("git", ["-C", dir, "rev-parse", "--is-shallow-repository"]);
  const tags = await runner.run("git", ["-C", dir, "tag", "--list"]);
  const tagCount = tags.code === 0 ? tags.stdout.split("\n").filter(Boolean).length : 0;
  if (shallow.stdout.trim() === "true") {
    out.push(
      check(
        "history",
        "history",
        "warn",
        "shallow clone: the base revision, the commit before a push and the registry's tags may be missing",
        "check out with `fetch-depth: 0` (actions/checkout), or run `git fetch --unshallow --tags`",
      ),
    );
  } else {
    out.push(check("history", "history", "ok", `full history, ${tagCount} tag${tagCount === 1 ? "" : "s"}`));
  }
  return out;
}
