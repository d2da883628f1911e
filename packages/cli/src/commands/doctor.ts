import { resolve } from "node:path";
import { renderDoctor, runDoctor } from "@mlci/app";
import { ExitCode, MlciError } from "@mlci/common";
import { processRunner } from "@mlci/pipeline";
import type { Command } from "../command";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export const doctorCommand: Command = {
  name: "doctor",
  summary:
    "Check that this machine can run mlci: node, git and history, the GPU, a token's access, config files",
  usage: "mlci doctor [--gpu] [--token <token>] [--repo owner/name] [--api-url <url>] [--json]",
  examples: ["mlci doctor", "mlci doctor --gpu", "GITHUB_TOKEN=… mlci doctor --repo octo-org/models --json"],
  options: {
    gpu: { type: "boolean" },
    token: { type: "string" },
    repo: { type: "string" },
    "api-url": { type: "string" },
    json: { type: "boolean" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    gpu: "a GPU is required: fail when none is visible (nvidia-smi, CUDA_VISIBLE_DEVICES)",
    token: "the GitHub token to check (default GITHUB_TOKEN or GH_TOKEN; prefer the environment)",
    repo: "owner/name to check the token against (default GITHUB_REPOSITORY, then the origin remote)",
    "api-url": "the GitHub API (default GITHUB_API_URL, then https://api.github.com)",
    json: "print the checks as JSON ({version, ok, checks: [{id, label, status, detail, hint}]})",
    cwd: "check this folder (the project) instead of the current one",
  },
  async run({ values }, ctx) {
    const repo = str(values.repo) ?? str(ctx.env.GITHUB_REPOSITORY);
    if (values.repo !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(String(values.repo))) {
      throw new MlciError("INPUT", `--repo must be owner/name, not "${String(values.repo)}"`);
    }
    const token = str(values.token) ?? str(ctx.env.GITHUB_TOKEN) ?? str(ctx.env.GH_TOKEN);
    const apiUrl = str(values["api-url"]) ?? str(ctx.env.GITHUB_API_URL);
    const report = await runDoctor({
      dir: resolve(ctx.cwd, str(values.cwd) ?? "."),
      nodeVersion: process.version,
      runner: processRunner(ctx.env),
      ...(ctx.env.CUDA_VISIBLE_DEVICES === undefined
        ? {}
        : { cudaVisibleDevices: ctx.env.CUDA_VISIBLE_DEVICES }),
      ...(values.gpu === true ? { requireGpu: true } : {}),
      ...(token ? { token } : {}),
      ...(repo ? { repo } : {}),
      ...(apiUrl ? { apiUrl } : {}),
    });
    ctx.stdout(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${renderDoctor(report)}\n`);
    return report.ok ? ExitCode.OK : ExitCode.FAILED;
  },
};
