/**
 * Runs the shell steps of our workflows as a runner does, in temporary folders and git
 * repositories that are removed after the test file.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { gitEnv, TempRepo } from "../helpers/git-repo";
import { type Json, workflowFile } from "./files";

const cleanup: Array<() => void> = [];
afterAll(() => {
  for (const f of cleanup.reverse()) f();
});

export function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function repo(): TempRepo {
  const r = new TempRepo("mlci-wf-script-");
  cleanup.push(() => r.remove());
  return r;
}

export interface ShellStep {
  run: string;
  shell?: string;
}

/** The `run:` of a step, found by its name or id. */
export function script(path: string, job: string, name: string): ShellStep {
  const steps = workflowFile(path).doc.jobs[job].steps as Json[];
  const step = steps.find((s) => s.name === name || s.id === name);
  if (!step) throw new Error(`no step ${name}`);
  return { run: step.run as string, shell: step.shell as string | undefined };
}

/** Runs a step's script as the runner does: `bash -e` by default, `-eo pipefail` with `shell: bash`. */
export function runStep(step: ShellStep, cwd: string, env: NodeJS.ProcessEnv) {
  const runnerTemp = env.RUNNER_TEMP ?? temp("mlci-runner-temp-");
  const output = join(runnerTemp, "github-output");
  const summary = join(runnerTemp, "step-summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const file = join(runnerTemp, "step.sh");
  writeFileSync(file, step.run);
  const flags = step.shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail"] : ["-e"];
  const res = spawnSync("bash", [...flags, file], {
    cwd,
    encoding: "utf8",
    env: gitEnv({ RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env }),
  });
  const outputs = Object.fromEntries(
    readFileSync(output, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return {
    code: res.status,
    stdout: res.stdout,
    stderr: res.stderr,
    outputs,
    summary: readFileSync(summary, "utf8"),
  };
}

/** A fake `mlci` that records its arguments and prints `answer`. */
export function recordingMlci(answer = ""): { bin: string; args: () => string[] } {
  const bin = temp("mlci-fake-bin-");
  const log = join(bin, "args");
  writeFileSync(join(bin, "answer"), answer);
  writeFileSync(
    join(bin, "mlci"),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "${log}"; done\ncat "${join(bin, "answer")}"\n`,
  );
  chmodSync(join(bin, "mlci"), 0o755);
  return { bin, args: () => readFileSync(log, "utf8").trim().split("\n") };
}
