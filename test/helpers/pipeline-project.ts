import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitEnv, TempRepo } from "./git-repo";
import { type ActionRun, runAction } from "./run-action";

const root = join(import.meta.dirname, "..", "..");
export const penguinsExample = join(root, "examples", "penguins");
export const cliBundle = join(root, "packages", "cli", "dist", "mlci.js");

/** Copies examples/penguins into `dir` without what its pipeline produces. */
export function copyPenguins(dir: string): void {
  cpSync(penguinsExample, dir, {
    recursive: true,
    filter: (src) =>
      !/(__pycache__|data\/prepared|\/model|dvc\.lock)(\/|$)/.test(src.slice(penguinsExample.length)),
  });
}

/** What `dvc init` writes: an empty config and the .gitignore that keeps the cache out of git. */
export function dvcInit(dir: string): void {
  mkdirSync(join(dir, ".dvc"), { recursive: true });
  writeFileSync(join(dir, ".dvc", "config"), "");
  writeFileSync(join(dir, ".dvc", ".gitignore"), "/config.local\n/tmp\n/cache\n");
}

/** A git repository holding the penguins example as a DVC project (nothing run yet), committed on main. */
export function penguinsRepo(prefix = "mlci-train-"): TempRepo {
  const repo = new TempRepo(prefix);
  copyPenguins(repo.dir);
  dvcInit(repo.dir);
  repo.commit("Penguins pipeline");
  return repo;
}

/** Sets one `key: value` line of params.yaml under its section (`train`, `l2`, `0.002`). */
export function setParam(dir: string, section: string, key: string, value: string): void {
  const file = join(dir, "params.yaml");
  const text = readFileSync(file, "utf8");
  const re = new RegExp(`(^${section}:\\n(?:[ \\t]+.*\\n)*?[ \\t]+${key}:)[^\\n]*`, "m");
  if (!re.test(text)) throw new Error(`no ${section}.${key} in params.yaml`);
  writeFileSync(file, text.replace(re, `$1 ${value}`));
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI (Node 20, as on developer machines). */
export function mlci(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const res = spawnSync(process.execPath, [cliBundle, ...args], {
    cwd,
    env: gitEnv(env),
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
}

/**
 * A stand-in for `nvidia-smi` on PATH: answers the device query with one H100 and streams a
 * utilisation sample every 0.1 s for `-lms`. Returns the folder to put first on PATH.
 */
export function fakeNvidiaSmi(): string {
  const bin = mkdtempSync(join(tmpdir(), "mlci-fake-gpu-"));
  const script = join(bin, "nvidia-smi");
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      'case "$*" in',
      '  *index,name,uuid*) echo "0, NVIDIA H100 80GB HBM3, GPU-5e1c1f5a-0000-0000-0000-000000000000, 81559, 580.159.04" ;;',
      '  *-lms*) while :; do echo "0, 87, 41984"; sleep 0.1; done ;;',
      "  *) exit 2 ;;",
      "esac",
      "",
    ].join("\n"),
  );
  chmodSync(script, 0o755);
  return bin;
}

/** PATH without any real nvidia-smi folder, with `first` in front when given. */
export function pathWith(first?: string): string {
  const rest = (process.env.PATH ?? "").split(":").filter((p) => p !== "");
  return [...(first ? [first] : []), ...rest].join(":");
}

/**
 * Runs the bundled train action on a push event, as a runner does; PATH as `pathWith()` gives it
 * (the variables in `env` win, so a test can put a stand-in `nvidia-smi` first).
 */
export function runTrain(
  workspace: string,
  apiUrl: string,
  inputs: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<ActionRun> {
  return runAction({
    action: "train",
    workspace,
    apiUrl,
    eventName: "push",
    event: {},
    inputs,
    env: { PATH: pathWith(), ...env },
    timeoutMs: 120_000,
  });
}
