/**
 * GitHub's own workflow parser (`@actions/workflow-parser`), loaded for tests. The package imports
 * its JSON schema without an import attribute, which Node refuses; bundling it (as any consumer
 * does) inlines the schema. One bundle per test process.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as WorkflowParser from "@actions/workflow-parser";
import type { WorkflowTemplate } from "@actions/workflow-parser";
import type { ErrorPolicy as ErrorPolicyEnum } from "@actions/workflow-parser/model/convert";
import { build } from "esbuild";

type Parser = typeof WorkflowParser & { ErrorPolicy: typeof ErrorPolicyEnum };

let loading: Promise<Parser> | undefined;

export function loadParser(): Promise<Parser> {
  loading ??= (async () => {
    const out = await build({
      stdin: {
        contents: [
          'export * from "@actions/workflow-parser";',
          'export { ErrorPolicy } from "@actions/workflow-parser/model/convert";',
        ].join("\n"),
        resolveDir: import.meta.dirname,
      },
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    const file = join(mkdtempSync(join(tmpdir(), "mlci-workflow-parser-")), "parser.mjs");
    writeFileSync(file, out.outputFiles[0]?.text ?? "");
    return (await import(pathToFileURL(file).href)) as Parser;
  })();
  return loading;
}

/** Finds the text of a reusable workflow a `uses:` names (`owner/repo/.github/workflows/x.yml@ref`). */
export type WorkflowFiles = (ref: {
  owner?: string;
  repository?: string;
  path: string;
  version?: string;
}) => string | undefined;

export interface ParsedWorkflow {
  errors: string[];
  template?: WorkflowTemplate;
}

/**
 * Parses and converts a workflow as GitHub does. With `files`, the reusable workflows its jobs call
 * are loaded too, so the `with:` of a calling job is checked against the called workflow's inputs.
 */
export async function parseWorkflowText(
  name: string,
  text: string,
  files?: WorkflowFiles,
): Promise<ParsedWorkflow> {
  const parser = await loadParser();
  const result = parser.parseWorkflow({ name, content: text }, new parser.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !result.value) return { errors };
  const provider = files && {
    async getFileContent(ref: { owner?: string; repository?: string; path: string; version?: string }) {
      const content = files(ref);
      if (content === undefined) throw new Error(`no such workflow: ${JSON.stringify(ref)}`);
      return { name: ref.path, content };
    },
  };
  const template = await parser.convertWorkflowTemplate(
    result.context,
    result.value,
    provider,
    provider ? { fetchReusableWorkflowDepth: 1 } : {},
  );
  return { errors: (template.errors ?? []).map((e) => e.Message), template };
}
