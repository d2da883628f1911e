import { resolve } from "node:path";
import { dagMermaid, dagText, openProject } from "@mlci/pipeline";
import type { Command } from "../command";

export const dagCommand: Command = {
  name: "dag",
  summary: "Print the stage graph of dvc.yaml in run order (text, or a Mermaid flowchart)",
  usage: "mlci dag [--mermaid]",
  examples: ["mlci dag", "mlci dag --mermaid"],
  options: {
    mermaid: { type: "boolean" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    mermaid: "print a Mermaid flowchart (renders in GitHub comments and markdown files)",
    cwd: "run as if started in this directory",
  },
  async run({ values }, ctx) {
    const root = resolve(ctx.cwd, (values.cwd as string | undefined) ?? ".");
    const project = await openProject({ root, hashCacheFile: false });
    const text = values.mermaid ? dagMermaid(project.graph) : dagText(project.graph);
    ctx.stdout(text ? `${text}\n` : "");
    return 0;
  },
};
