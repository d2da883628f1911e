/**
 * `mlci doctor`: can this machine (a laptop, a runner, a runner pod) run mlci? Node.js, git and the
 * clone's history, the GPU the train action would see, what a token may do, and whether the
 * configuration files parse. Nothing is written anywhere.
 */
import { type CommandRunner, processRunner } from "@mlci/pipeline";
import { checkConfigFiles } from "./config-check";
import { checkGpu } from "./gpu-check";
import { checkGit, checkNode } from "./system-checks";
import { checkToken, repoFromRemote } from "./token-check";
import type { DoctorCheck, DoctorReport } from "./types";

export interface DoctorOptions {
  /** The folder to check (the project: where dvc.yaml and .mlci/ are). */
  dir: string;
  /** `process.version` of the Node.js that runs mlci. */
  nodeVersion: string;
  /** Runs git and nvidia-smi (tests pass their own). */
  runner?: CommandRunner;
  nvidiaSmi?: string;
  cudaVisibleDevices?: string;
  /** Fail when no GPU is visible. */
  requireGpu?: boolean;
  gpuSampleMs?: number;
  token?: string;
  /** `owner/name`; default the `origin` remote's. */
  repo?: string;
  apiUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const runner = o.runner ?? processRunner();
  const checks: DoctorCheck[] = [checkNode(o.nodeVersion), ...(await checkGit(runner, o.dir))];
  checks.push(
    await checkGpu({
      runner,
      ...(o.nvidiaSmi ? { nvidiaSmi: o.nvidiaSmi } : {}),
      ...(o.cudaVisibleDevices === undefined ? {} : { cudaVisibleDevices: o.cudaVisibleDevices }),
      ...(o.requireGpu ? { require: true } : {}),
      ...(o.gpuSampleMs === undefined ? {} : { sampleMs: o.gpuSampleMs }),
    }),
  );
  let repo = o.repo;
  if (!repo && o.token) {
    const remote = await runner.run("git", ["-C", o.dir, "remote", "get-url", "origin"]);
    if (remote.code === 0) repo = repoFromRemote(remote.stdout);
  }
  checks.push(
    await checkToken({
      ...(o.token ? { token: o.token } : {}),
      ...(repo ? { repo } : {}),
      ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}),
      ...(o.fetch ? { fetch: o.fetch } : {}),
    }),
  );
  checks.push(...(await checkConfigFiles(o.dir)));
  return { version: 1, ok: checks.every((c) => c.status !== "fail"), checks };
}
