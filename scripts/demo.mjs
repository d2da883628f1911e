#!/usr/bin/env node
// The demo: a temporary git repository made from examples/penguins, trained twice with real
// metrics (a baseline on main, a change on a branch), and the pull request report between them.
// Runs offline; needs git and python3.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages", "cli", "dist", "mlci.js");
const example = join(root, "examples", "penguins");
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "mlci demo",
  GIT_AUTHOR_EMAIL: "demo@example.com",
  GIT_COMMITTER_NAME: "mlci demo",
  GIT_COMMITTER_EMAIL: "demo@example.com",
};

const started = Date.now();
function step(title, fn) {
  const t = Date.now();
  process.stderr.write(`\n▶ ${title}\n`);
  const out = fn();
  process.stderr.write(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  return out;
}
function git(dir, ...args) {
  return execFileSync("git", args, { cwd: dir, env, encoding: "utf8" });
}
function mlci(dir, args, { capture = false } = {}) {
  const res = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    env,
    encoding: "utf8",
    stdio: capture ? ["ignore", "pipe", "inherit"] : ["ignore", "inherit", "inherit"],
  });
  if (res.status !== 0) {
    process.stderr.write(`mlci ${args.join(" ")} failed (exit ${res.status})\n`);
    process.exit(res.status ?? 1);
  }
  return res.stdout;
}

for (const tool of ["git", "python3"]) {
  if (spawnSync(tool, ["--version"]).status !== 0) {
    console.error(`The demo needs ${tool} on PATH.`);
    process.exit(3);
  }
}

const dir = mkdtempSync(join(tmpdir(), "mlci-demo-"));
step(`Create a git repository from examples/penguins in ${dir}`, () => {
  cpSync(example, dir, {
    recursive: true,
    filter: (src) => !/(__pycache__|data\/prepared|\/model|dvc\.lock)(\/|$)/.test(src.slice(example.length)),
  });
  git(dir, "init", "-q", "-b", "main");
});
step("Train the baseline on main (mlci repro) and commit dvc.lock and the metrics", () => {
  mlci(dir, ["repro"]);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "Train the baseline");
});
step("On branch more-epochs: train for 150 epochs instead of 50 (mlci repro)", () => {
  git(dir, "checkout", "-q", "-b", "more-epochs");
  const params = join(dir, "params.yaml");
  writeFileSync(params, readFileSync(params, "utf8").replace(/epochs: \d+/, "epochs: 150"));
  mlci(dir, ["repro"]);
});
const report = step("Report the pull request against main (mlci report --base main)", () => {
  mlci(dir, ["report", "--base", "main", "--out", join(dir, "report.md")]);
  return readFileSync(join(dir, "report.md"), "utf8");
});
process.stdout.write(`\n${report}\n`);
process.stderr.write(
  `\nThe report above is what the pull request comment shows. Its markdown is in ${join(dir, "report.md")}.\n` +
    `The demo repository is ${dir}. Total: ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
);
