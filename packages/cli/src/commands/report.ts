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
