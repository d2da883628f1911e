import { resolve } from "node:path";
import { computeReport, WORKSPACE } from "@mlci/app";
import { writeFileAtomic } from "@mlci/common";
import { Git } from "@mlci/git";
import { renderReport, renderSummary } from "@mlci/report";
import type { Command } from "../command";

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export const reportCommand: Command = {
  name: "report",
  summary: "Diff metrics, params and plots against a base revision and print the markdown report",
  usage: "mlci report --base <ref> [--head <ref>|workspace] [--json] [--metrics <glob>]... [--out <file>]",
  examples: [
    "mlci report --base main",
    "mlci report --base main --head feature/new-model --json",
    "mlci report --base v1.2.0 --metrics 'reports/*.json' --out report.md",
  ],
  options: {
    base: { type: "string", short: "b" },
    head: { type: "string" },
    json: { type: "boolean" },
    metrics: { type: "string", multiple: true },
    params: { type: "string", multiple: true },
    plots: { type: "string", multiple: true },
    "report-id": { type: "string" },
    "max-chars": { type: "string" },
    summary: { type: "boolean" },
    out: { type: "string", short: "o" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    base: "base branch, tag or SHA; compared at its merge-base with the head (default main)",
    head: "a revision, or `workspace` for the files on disk (default)",
    json: "print the diff as JSON instead of markdown",
    metrics: "an extra metrics file or glob (repeatable), added to those dvc.yaml declares",
    params: "an extra params file or glob (repeatable)",
    plots: "an extra plots file or glob (repeatable)",
    "report-id": "the id in the hidden marker (default: report.id in .mlci/config.yml, else mlci)",
    "max-chars": "size budget of the markdown (default 65536, GitHub's comment limit)",
    summary: "render the job-summary form (1 MiB budget) instead of the comment",
    out: "write the markdown to this file instead of stdout",
    cwd: "run as if started in this directory",
  },
  async run({ values }, ctx) {
    const root = resolve(ctx.cwd, (values.cwd as string | undefined) ?? ".");
    const git = new Git(root);
    const top = await git.topLevel();
    const base = (values.base as string | undefined) ?? "main";
    const computed = await computeReport({
      git: new Git(top),
      base,
      head: (values.head as string | undefined) ?? WORKSPACE,
      extraMetrics: list(values.metrics),
      extraParams: list(values.params),
      extraPlots: list(values.plots),
      ...(values["report-id"] ? { reportId: values["report-id"] as string } : {}),
    });
    if (values.json) {
      const out = {
        version: 1,
        base: computed.base,
        head: computed.head,
        diff: computed.diff,
        plots: computed.plots.map((p) => ({ id: p.id, path: p.path, x: p.x, y: p.y })),
      };
      ctx.stdout(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    const maxChars = values["max-chars"] ? Number(values["max-chars"]) : undefined;
    const rendered = values.summary
      ? renderSummary(computed.model)
      : renderReport(computed.model, maxChars !== undefined && Number.isFinite(maxChars) ? { maxChars } : {});
    if (values.out) {
      await writeFileAtomic(resolve(ctx.cwd, values.out as string), rendered.markdown);
      ctx.stderr(`wrote ${values.out as string}\n`);
    } else {
      ctx.stdout(`${rendered.markdown}\n`);
    }
    return 0;
  },
};
