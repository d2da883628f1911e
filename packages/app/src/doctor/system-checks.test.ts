import type { CommandRunner, RunOutput } from "@mlci/pipeline";
import { describe, expect, it } from "vitest";
import { checkGit, checkNode } from "./system-checks";

/** Answers `git` by its arguments; anything unknown exits 1. */
function gitRunner(answers: Record<string, Partial<RunOutput>>): CommandRunner {
  return {
    async run(cmd, args) {
      const key = [cmd, ...args.filter((a, i) => !(args[i - 1] === "-C" || a === "-C"))].join(" ");
      return { code: 1, stdout: "", stderr: "", ...answers[key] };
    },
    stream() {
      throw new Error("not used");
    },
  };
}

const repo = {
  "git --version": { code: 0, stdout: "git version 2.43.0\n" },
  "git rev-parse --show-toplevel": { code: 0, stdout: "/home/dev/proj\n" },
  "git rev-parse --short HEAD": { code: 0, stdout: "1a2b3c4\n" },
  "git branch --show-current": { code: 0, stdout: "main\n" },
  "git rev-parse --is-shallow-repository": { code: 0, stdout: "false\n" },
  "git tag --list": { code: 0, stdout: "model@v0.0.1\nmodel#prod#1\n" },
};

describe("checkNode", () => {
  it("passes Node 20 and newer, fails older ones", () => {
    expect(checkNode("v20.19.0").status).toBe("ok");
    expect(checkNode("v24.21.0").status).toBe("ok");
    expect(checkNode("v18.20.1")).toMatchObject({
      status: "fail",
      detail: "v18.20.1: mlci needs Node.js 20 or newer",
    });
    expect(checkNode("banana").status).toBe("warn");
  });
});

describe("checkGit", () => {
  it("reports git, the repository and a full history", async () => {
    const checks = await checkGit(gitRunner(repo), "/home/dev/proj");
    expect(checks.map((c) => [c.id, c.status, c.detail])).toEqual([
      ["git", "ok", "2.43.0"],
      ["repository", "ok", "/home/dev/proj (main at 1a2b3c4)"],
      ["history", "ok", "full history, 2 tags"],
    ]);
  });

  it("warns about a shallow clone, with the fix", async () => {
    const checks = await checkGit(
      gitRunner({ ...repo, "git rev-parse --is-shallow-repository": { code: 0, stdout: "true\n" } }),
      "/w",
    );
    expect(checks[2]).toMatchObject({ id: "history", status: "warn" });
    expect(checks[2]?.hint).toContain("fetch-depth: 0");
  });

  it("fails without git, and outside a repository", async () => {
    const enoent = Object.assign(new Error("spawn git ENOENT"), { code: "ENOENT" });
    expect(await checkGit(gitRunner({ "git --version": { code: null, error: enoent } }), "/w")).toEqual([
      expect.objectContaining({ id: "git", status: "fail", detail: "git not found on PATH" }),
    ]);
    const outside = await checkGit(gitRunner({ "git --version": repo["git --version"] }), "/tmp/x");
    expect(outside[1]).toMatchObject({
      id: "repository",
      status: "fail",
      detail: "/tmp/x is not inside a git repository",
    });
  });
});
