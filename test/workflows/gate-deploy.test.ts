// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are workflow expressions, not JS ones
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as WorkflowParser from "@actions/workflow-parser";
import type { WorkflowTemplate } from "@actions/workflow-parser";
import type * as EnvironmentConverter from "@actions/workflow-parser/model/converter/job/environment";
import type { TemplateContext } from "@actions/workflow-parser/templates/template-context";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const file = join(import.meta.dirname, "..", "..", "examples", "workflows", "gate-deploy.yml");
const content = readFileSync(file, "utf8");

// biome-ignore lint/suspicious/noExplicitAny: the workflow is plain YAML here
type Json = Record<string, any>;

type Parser = typeof WorkflowParser & {
  convertToActionsEnvironmentRef: typeof EnvironmentConverter.convertToActionsEnvironmentRef;
};
let parser: Parser;

// The package imports its JSON schema without an import attribute, which Node refuses; bundling
// it (as any consumer does) inlines the schema.
beforeAll(async () => {
  const out = await build({
    stdin: {
      contents: [
        'export * from "@actions/workflow-parser";',
        'export { convertToActionsEnvironmentRef } from "@actions/workflow-parser/model/converter/job/environment";',
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
  parser = await import(pathToFileURL(file).href);
}, 60_000);

async function parseWithGitHubParser(
  text: string,
): Promise<{ errors: string[]; template?: WorkflowTemplate; context?: TemplateContext }> {
  const result = parser.parseWorkflow(
    { name: "gate-deploy.yml", content: text },
    new parser.NoOperationTraceWriter(),
  );
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !result.value) return { errors };
  const template = await parser.convertWorkflowTemplate(result.context, result.value);
  return { errors: (template.errors ?? []).map((e) => e.Message), template, context: result.context };
}

describe("examples/workflows/gate-deploy.yml", () => {
  it("is accepted by GitHub's workflow parser without errors", async () => {
    const { errors, template, context } = await parseWithGitHubParser(content);
    expect(errors).toEqual([]);
    expect(template?.jobs.map((j) => j.id.value)).toEqual(["gate", "deploy"]);
    const deploy = template?.jobs.find((j) => j.id.value === "deploy");
    expect(deploy?.needs?.map((n) => n.value)).toEqual(["gate"]);
    // GitHub's converter reads `deployment: false` as "record no deployment for this job".
    if (deploy?.type !== "job" || !deploy.environment || !context) throw new Error("no deploy environment");
    const env = parser.convertToActionsEnvironmentRef(context, deploy.environment);
    expect(env.skipDeployment).toBe(true);
    expect(env.name?.toString()).toBe("production");
  });

  it("wires the documented pattern: gate output, needs, if, environment without a second deployment", () => {
    const wf = parse(content) as Json;
    expect(wf.permissions).toEqual({});
    const { gate, deploy } = wf.jobs as Json;
    expect(gate.outputs.passed).toBe("${{ steps.gate.outputs.passed }}");
    expect(gate.permissions).toEqual({ contents: "read", checks: "write", "pull-requests": "write" });
    expect(deploy.needs).toBe("gate");
    expect(deploy.if).toContain("needs.gate.outputs.passed == 'true'");
    expect(deploy.environment).toMatchObject({ name: "production", deployment: false });
    expect(deploy.permissions).toEqual({ contents: "read", deployments: "write" });
    const step = (deploy.steps as Json[]).find((s) => String(s.uses).includes("actions/deploy"));
    expect(step?.with["gate-result"]).toBe("${{ needs.gate.outputs.result-json }}");
  });

  it("the parser does report a broken workflow (the check above is not vacuous)", async () => {
    const unknownJob = await parseWithGitHubParser(content.replace("needs: gate", "needs: gat"));
    expect(unknownJob.errors.join("\n")).toMatch(/gat/);
    const unknownKey = await parseWithGitHubParser(content.replace("permissions: {}", "permission: {}"));
    expect(unknownKey.errors.join("\n")).toMatch(/permission/);
  });
});
