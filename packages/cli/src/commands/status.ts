import { resolve } from "node:path";
import {
  type ChangeReason,
  describeReason,
  openProject,
  pipelineStatus,
  type StageStatus,
  toPlain,
} from "@mlci/pipeline";
import type { Command } from "../command";

const STATE_TEXT: Record<StageStatus["state"], string> = {
  changed: "will run",
  restore: "up to date (outputs come back from the cache)",
  unchanged: "up to date",
  upstream: "may run (after an upstream stage)",
  frozen: "frozen",
};

/** One line per stage: name, decision and the reasons (text for people). */
export function statusLines(statuses: StageStatus[]): string[] {
  const width = Math.max(0, ...statuses.map((s) => s.name.length)) + 2;
  return statuses.map((s) => {
    const reasons = s.reasons.filter((r) => r.kind !== "frozen").map(describeReason);
    return `${s.name.padEnd(width)}${STATE_TEXT[s.state]}${reasons.length ? `: ${reasons.join("; ")}` : ""}`;
  });
}

export const statusCommand: Command = {
  name: "status",
  summary: "Show which dvc.yaml stages would run, and why (as `dvc status`, with reasons)",
  usage: "mlci status [targets...] [--downstream] [--json]",
  examples: ["mlci status", "mlci status train --json"],
  options: {
    downstream: { type: "boolean" },
    json: { type: "boolean" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    downstream: "consider the targets and what depends on them (instead of their upstream)",
    json: "print a JSON document: each stage's state, resolved command and reasons",
    cwd: "run as if started in this directory",
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const root = resolve(ctx.cwd, (values.cwd as string | undefined) ?? ".");
    const project = await openProject({ root });
    const statuses = await pipelineStatus(project, {
      targets: positionals,
      downstream: values.downstream === true,
    });
    if (values.json) {
      const stages = statuses.map((s) => {
        const stage = project.graph.byName.get(s.name);
        return {
          name: s.name,
          state: s.state,
          willRun: s.state === "changed",
          cmd: stage?.cmd,
          wdir: stage?.wdir,
          reasons: s.reasons.map(reasonJson),
        };
      });
      ctx.stdout(`${JSON.stringify({ version: 1, stages }, null, 2)}\n`);
      return 0;
    }
    if (statuses.length === 0) {
      ctx.stdout("No stages in dvc.yaml.\n");
      return 0;
    }
    ctx.stdout(`${statusLines(statuses).join("\n")}\n`);
    const run = statuses.filter((s) => s.state === "changed").length;
    ctx.stdout(
      run === 0 && !statuses.some((s) => s.state === "upstream")
        ? "Data and pipelines are up to date.\n"
        : `${run} of ${statuses.length} stages would run.\n`,
    );
    return 0;
  },
};

/** A reason as JSON: its fields (param values in their plain form) and the text people read. */
function reasonJson(r: ChangeReason): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  if (r.kind === "param-changed") {
    if (r.old !== undefined) out.old = toPlain(r.old);
    if (r.new !== undefined) out.new = toPlain(r.new);
  }
  out.text = describeReason(r);
  return out;
}
