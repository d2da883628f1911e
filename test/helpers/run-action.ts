import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { gitEnv } from "./git-repo";
import { node24 } from "./node24";

const root = join(import.meta.dirname, "..", "..");

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Annotations and other workflow commands the action printed (`::error file=...::msg`). */
  commands: string[];
  runnerTemp: string;
}

export interface RunActionOptions {
  /** Action folder name under actions/. */
  action: string;
  /** Inputs by their action.yml names (kept as GitHub does: upper-cased, spaces to `_`, hyphens kept). */
  inputs?: Record<string, string>;
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: unknown;
  eventName?: string;
  /** Checked-out repository (GITHUB_WORKSPACE and cwd). */
  workspace: string;
  apiUrl: string;
  repository?: string;
  sha?: string;
  ref?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with all of stdout so far and the action's process, as output comes (to signal it). */
  onStdout?: (stdout: string, child: ChildProcess) => void;
}

/** Parses the GITHUB_OUTPUT file (`name=value` lines and `name<<DELIM` blocks). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = "", delim = ""] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] ?? "");
      out[name] = value.join("\n");
    } else if (line.includes("=")) {
      const at = line.indexOf("=");
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

/** Runs a bundled action under Node 24 the way a GitHub runner does. */
export async function runAction(opts: RunActionOptions): Promise<ActionRun> {
  const runnerTemp = mkdtempSync(join(tmpdir(), "mlci-runner-"));
  const outputFile = join(runnerTemp, "github_output");
  const summaryFile = join(runnerTemp, "step_summary.md");
  const eventFile = join(runnerTemp, "event.json");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  writeFileSync(eventFile, JSON.stringify(opts.event ?? {}));
  mkdirSync(join(runnerTemp, "tool"), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...gitEnv(),
    GITHUB_ACTIONS: "true",
    CI: "true",
    GITHUB_EVENT_NAME: opts.eventName ?? "pull_request",
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_API_URL: opts.apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_GRAPHQL_URL: `${opts.apiUrl}/graphql`,
    GITHUB_REPOSITORY: opts.repository ?? "octo-org/ml-project",
    GITHUB_SHA: opts.sha ?? "",
    GITHUB_REF: opts.ref ?? "",
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_JOB: "test",
    GITHUB_ACTOR: "octocat",
    GITHUB_WORKFLOW: "mlci",
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(runnerTemp, "tool"),
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_NAME: "test-runner",
    ...opts.env,
  };
  // The runner passes every declared input, with action.yml's default when the workflow gives none.
  const spec = parse(readFileSync(join(root, "actions", opts.action, "action.yml"), "utf8")) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.inputs ?? {})) {
    const value = input?.default === undefined ? "" : String(input.default);
    // Expressions (`${{ github.token }}`) are evaluated by the runner; tests pass such inputs explicitly.
    defaults[name] = value.includes("${{") ? "" : value;
  }
  for (const [name, value] of Object.entries({ ...defaults, ...opts.inputs })) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  const script = join(root, "actions", opts.action, "dist", "index.js");
  const child = spawn(node24(), [script], { cwd: opts.workspace, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
    opts.onStdout?.(stdout, child);
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  const timeout = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
  const code: number = await new Promise((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  clearTimeout(timeout);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, "utf8")),
    summary: readFileSync(summaryFile, "utf8"),
    commands: stdout.split("\n").filter((l) => l.startsWith("::")),
    runnerTemp,
  };
}
