import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { computeGate, WORKSPACE } from "@mlci/app";
import { ExitCode, MlciError } from "@mlci/common";
import type { PolicyFrom } from "@mlci/gate";
import { Git } from "@mlci/git";
import type { Command } from "../command";

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

async function readPolicyFile(cwd: string, path: string): Promise<{ path: string; text: string }> {
  try {
    return { path, text: await readFile(resolve(cwd, path), "utf8") };
  } catch (err) {
    throw new MlciError("NOT_FOUND", `the policy ${path} cannot be read: ${(err as Error).message}`, {
      location: { file: path },
    });
  }
}

function policyFrom(v: unknown): PolicyFrom | undefined {
  if (v === undefined) return undefined;
  if (v === "base" || v === "head") return v;
  throw new MlciError("INPUT", `--policy-from must be base or head, not "${String(v)}"`);
}

export const gateCommand: Command = {
  name: "gate",
  summary:
    "Judge metrics against the gate policy (.mlci/gates.yml) and print the verdict; exit 1 when it fails",
  usage:
    "mlci gate [--policy <file>] [--base <ref>] [--head <ref>|workspace] [--baseline <spec>] [--metrics <glob>]... [--json]",
  examples: [
    "mlci gate --base main",
    "mlci gate --policy .mlci/gates.yml --base main --json",
    "mlci gate --base main --baseline registry:model#prod",
  ],
  options: {
    policy: { type: "string", short: "p" },
    "policy-path": { type: "string" },
    "policy-from": { type: "string" },
    bootstrap: { type: "boolean" },
    base: { type: "string", short: "b" },
    head: { type: "string" },
    baseline: { type: "string" },
    metrics: { type: "string", multiple: true },
    json: { type: "boolean" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    policy: "a policy file on disk to apply instead of the one in git (e.g. to try a change)",
    "policy-path": "the policy file read through git at the revision that applies (default .mlci/gates.yml)",
    "policy-from": "`base` (default): the base revision's policy applies; `head`: the head's",
    bootstrap: "when the base has no policy and the head adds one, apply the added one",
    base: "base branch, tag or SHA; its merge-base with the head gives the policy and baseline (default main)",
    head: "a revision, or `workspace` for the metrics on disk (default)",
    baseline: "override the policy's baseline: base, file:<path> or registry:<artifact>#<stage>",
    metrics: "an extra metrics file or glob (repeatable), added to those dvc.yaml declares",
    json: "print the gate result JSON (the format the gate action writes) instead of the table",
    cwd: "run as if started in this directory",
  },
  async run({ values }, ctx) {
    const root = resolve(ctx.cwd, (values.cwd as string | undefined) ?? ".");
    const top = await new Git(root).topLevel();
    const from = policyFrom(values["policy-from"]);
    const computed = await computeGate({
      git: new Git(top),
      // As on a pull request: the policy at the base applies, the baseline is the base.
      base: (values.base as string | undefined) ?? "main",
      head: (values.head as string | undefined) ?? WORKSPACE,
      ...(values.policy ? { policyFile: await readPolicyFile(root, values.policy as string) } : {}),
      ...(values["policy-path"] ? { policyPath: values["policy-path"] as string } : {}),
      ...(from ? { policyFrom: from } : {}),
      ...(values.bootstrap ? { bootstrap: true } : {}),
      ...(values.baseline ? { baseline: values.baseline as string } : {}),
      extraMetrics: list(values.metrics),
    });
    if (values.json) ctx.stdout(`${JSON.stringify(computed.result, null, 2)}\n`);
    else ctx.stdout(`${computed.text}\n`);
    return computed.result.passed ? ExitCode.OK : ExitCode.FAILED;
  },
};
