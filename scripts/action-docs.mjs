#!/usr/bin/env node
// Generates the inputs/outputs reference of each action from its action.yml:
// - the block between the markers in actions/<name>/README.md
// - docs/actions/<name>.md, the reference page
// `--check` fails when either is stale.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const START = "<!-- mlci:action-docs:start (generated from action.yml by `npm run build`; do not edit) -->";
const END = "<!-- mlci:action-docs:end -->";

const cell = (s) =>
  String(s ?? "")
    .trim()
    .replace(/\r?\n+/g, " ")
    .replace(/\|/g, "\\|");

export function renderReference(action) {
  const lines = [];
  lines.push("### Inputs", "");
  const inputs = Object.entries(action.inputs ?? {});
  if (inputs.length === 0) lines.push("None.");
  else {
    lines.push("| Input | Required | Default | Description |", "| --- | --- | --- | --- |");
    for (const [name, spec] of inputs) {
      const def = spec?.default === undefined ? "" : `\`${cell(spec.default)}\``;
      lines.push(`| \`${name}\` | ${spec?.required ? "yes" : "no"} | ${def} | ${cell(spec?.description)} |`);
    }
    // Yes/no inputs are those whose default is a boolean; the entry points read them with booleanInput.
    const flags = inputs.filter(([, spec]) => /^(true|false)$/.test(String(spec?.default ?? "").trim()));
    if (flags.length > 0) {
      lines.push(
        "",
        `Yes/no inputs (${flags.map(([n]) => `\`${n}\``).join(", ")}) take \`true\` or \`false\` (also \`True\`, \`TRUE\`, \`False\`, \`FALSE\`, as YAML 1.2 reads booleans). An empty value, such as \`\${{ inputs.x }}\` from an event without that input, means the default; any other value fails the step with an error that names the input.`,
      );
    }
  }
  lines.push("", "### Outputs", "");
  const outputs = Object.entries(action.outputs ?? {});
  if (outputs.length === 0) lines.push("None.");
  else {
    lines.push("| Output | Description |", "| --- | --- |");
    for (const [name, spec] of outputs) lines.push(`| \`${name}\` | ${cell(spec?.description)} |`);
  }
  return lines.join("\n");
}

const stale = [];
function sync(path, content) {
  const old = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (old === content) return;
  if (check) stale.push(path.slice(root.length + 1));
  else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    console.log(`wrote ${path.slice(root.length + 1)}`);
  }
}

const actionsDir = join(root, "actions");
const names = existsSync(actionsDir)
  ? readdirSync(actionsDir)
      .filter((n) => existsSync(join(actionsDir, n, "action.yml")))
      .sort()
  : [];
for (const name of names) {
  const action = parse(readFileSync(join(actionsDir, name, "action.yml"), "utf8"));
  const ref = renderReference(action);
  const readmePath = join(actionsDir, name, "README.md");
  if (!existsSync(readmePath)) {
    stale.push(`${readmePath.slice(root.length + 1)} (missing)`);
  } else {
    const readme = readFileSync(readmePath, "utf8");
    const s = readme.indexOf(START);
    const e = readme.indexOf(END);
    if (s < 0 || e < s) stale.push(`${readmePath.slice(root.length + 1)} (no generated block markers)`);
    else sync(readmePath, `${readme.slice(0, s + START.length)}\n${ref}\n${readme.slice(e)}`);
  }
  const page = [
    `# ${action.name ?? name}`,
    "",
    `<!-- generated from actions/${name}/action.yml by \`npm run build\`; do not edit -->`,
    "",
    cell(action.description),
    "",
    `Use it as \`uses: <owner>/<repo>/actions/${name}@<ref>\`. Examples and details: [actions/${name}/README.md](../../actions/${name}/README.md).`,
    "",
    ref,
    "",
  ].join("\n");
  sync(join(root, "docs", "actions", `${name}.md`), page);
}
// The CLI reference, from the bundled CLI's own help, so it cannot drift from the code.
const cliBundle = join(root, "packages", "cli", "dist", "mlci.js");
if (existsSync(cliBundle)) {
  const help = (args) => execFileSync(process.execPath, [cliBundle, ...args], { encoding: "utf8" }).trimEnd();
  const top = help(["--help"]);
  const names = [];
  let inCommands = false;
  for (const line of top.split("\n")) {
    if (line === "Commands:") inCommands = true;
    else if (inCommands && line.trim() === "") inCommands = false;
    else if (inCommands) names.push(line.trim().split(/\s{2,}/)[0]);
  }
  const page = [
    "# mlci CLI reference",
    "",
    "<!-- generated from the CLI's --help by `npm run build`; do not edit -->",
    "",
    "After `npm ci` at the repository root, `npx mlci` runs it.",
    "",
    "```text",
    top,
    "```",
    "",
    ...names.flatMap((n) => [`## mlci ${n}`, "", "```text", help([...n.split(" "), "--help"]), "```", ""]),
  ].join("\n");
  sync(join(root, "docs", "cli.md"), page);
}

if (check) {
  if (stale.length) {
    console.error(`Action docs are stale; run \`npm run build\` and commit:\n  ${stale.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`action docs are up to date (${names.length} actions)`);
}
