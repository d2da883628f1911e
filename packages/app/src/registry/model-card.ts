import { codeSpan, escapeText, link } from "@mlci/report";

/**
 * The model card: what a registered version is, rendered twice from one model. As the tag
 * message it is plain text that reads well in `git show`; as the GitHub Release body it is
 * markdown in which everything from the repository (metric names and values, params, paths,
 * descriptions, gate reasons) is escaped: no HTML, links, images or mentions can come through.
 */

export type CardValue = number | string | boolean | null;

export interface CardEntry {
  /** The file the value comes from. */
  file: string;
  key: string;
  value: CardValue;
}

export interface CardGate {
  passed: boolean;
  rules: number;
  failed: number;
  warned: number;
  /** `rule id: reason` lines for failing and warning rules, and gate-level problems. */
  findings: string[];
  /** The commit the gate judged, when the result names one. */
  sha?: string;
}

export interface ModelCard {
  artifact: string;
  version: string;
  commit: string;
  /** `owner/name`. */
  repository?: string;
  /** https://github.com (GITHUB_SERVER_URL), for commit links. */
  serverUrl?: string;
  runUrl?: string;
  type?: string;
  path?: string;
  description?: string;
  metrics: CardEntry[];
  params: CardEntry[];
  gate?: CardGate;
  profile?: { path: string; sha256: string; bytes: number };
  /** dvc.lock outputs at, under or around the artifact's path. */
  outputs: Array<{ path: string; hash: string; stage: string }>;
  /** Why the artifact counts as changed (from the push). */
  reasons?: string[];
  /** Files that could not be read. */
  problems: string[];
}

/** Rows per table; the rest is counted, so the card stays readable and within GitHub's limits. */
export const MAX_ROWS = 200;
/** Characters of one value in the tag message. */
const MAX_PLAIN = 200;

// Controls (terminal escapes in `git show`) and bidi overrides never reach a tag message.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** One line of plain text: no controls, no line breaks, cut at `max` code points. */
export function plain(text: string, max = MAX_PLAIN): string {
  const one = text
    .replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ")
    .replace(/\t/g, " ")
    .replace(CONTROLS, "");
  const points = Array.from(one);
  return points.length <= max ? one : `${points.slice(0, max - 1).join("")}…`;
}

/** A value as written in the metrics file: full precision, no rounding. */
export function formatValue(v: CardValue): string {
  return v === null ? "null" : String(v);
}

function limited<T>(rows: readonly T[], max: number): { shown: readonly T[]; more: number } {
  return { shown: rows.slice(0, max), more: Math.max(0, rows.length - max) };
}

/** Renders with fewer rows per table until the result fits `limit` characters. */
function fit(render: (maxRows: number) => string, limit: number): string {
  let rows = MAX_ROWS;
  let text = render(rows);
  while (text.length > limit && rows > 0) {
    rows = Math.floor(rows / 2);
    text = render(rows);
  }
  return text;
}

const rules = (n: number) => `${n} rule${n === 1 ? "" : "s"}`;

function gateLine(g: CardGate): string {
  const verdict = g.passed ? "passed" : "FAILED";
  return `${verdict} (${rules(g.rules)}: ${g.failed} failed, ${g.warned} warned)`;
}

/** Longest tag message we write. */
export const TEXT_LIMIT = 64 * 1024;
/** Longest release body we write (GitHub takes 125,000 characters). */
export const MARKDOWN_LIMIT = 120_000;

/** The tag message: GTO's first line, then the card as indented plain text. */
export function renderCardText(card: ModelCard, firstLine: string): string {
  return fit((rows) => cardText(card, firstLine, rows), TEXT_LIMIT);
}

function cardText(card: ModelCard, firstLine: string, maxRows: number): string {
  const lines = [plain(firstLine), ""];
  lines.push(`Artifact: ${plain(card.artifact)} ${card.version}`);
  if (card.type || card.path) {
    lines.push(
      `  ${[card.type && `type ${plain(card.type)}`, card.path && `path ${plain(card.path)}`].filter(Boolean).join(", ")}`,
    );
  }
  if (card.description) lines.push(`  ${plain(card.description)}`);
  lines.push(`Commit: ${card.commit}`);
  if (card.runUrl) lines.push(`Workflow run: ${plain(card.runUrl)}`);
  if (card.gate) {
    lines.push(`Gate: ${gateLine(card.gate)}`);
    for (const f of card.gate.findings.slice(0, 20)) lines.push(`  - ${plain(f)}`);
    if (card.gate.sha && card.gate.sha !== card.commit) lines.push(`  (judged commit ${card.gate.sha})`);
  }
  const section = (title: string, rows: readonly CardEntry[]) => {
    if (rows.length === 0) return;
    lines.push(`${title}:`);
    const { shown, more } = limited(rows, maxRows);
    let file: string | undefined;
    for (const r of shown) {
      if (r.file !== file) {
        file = r.file;
        lines.push(`  ${plain(r.file)}`);
      }
      lines.push(`    ${plain(r.key)} = ${plain(formatValue(r.value))}`);
    }
    if (more) lines.push(`  … and ${more} more`);
  };
  section("Metrics", card.metrics);
  section("Params", card.params);
  if (card.outputs.length) {
    lines.push("Outputs (dvc.lock):");
    for (const o of limited(card.outputs, maxRows).shown) lines.push(`  ${plain(o.path)}  ${plain(o.hash)}`);
  }
  if (card.profile) {
    lines.push(`Data profile: ${plain(card.profile.path)} sha256:${card.profile.sha256}`);
  }
  for (const p of card.problems.slice(0, 10)) lines.push(`Note: ${plain(p)}`);
  return `${lines.join("\n")}\n`;
}

const md = (text: string) => escapeText(text, { maxLength: 300 });
const code = (text: string) => codeSpan(text, { maxLength: 300 });
const codeProse = (text: string) => codeSpan(text, { maxLength: 300, context: "prose" });

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

function entryTable(rows: readonly CardEntry[], maxRows: number): string[] {
  const { shown, more } = limited(rows, maxRows);
  const out = table(
    ["File", "Key", "Value"],
    shown.map((r) => [code(r.file), code(r.key), code(formatValue(r.value))]),
  );
  if (more) out.push("", `… and ${more} more.`);
  return out;
}

/** The GitHub Release body (markdown, untrusted values escaped). */
export function renderCardMarkdown(card: ModelCard): string {
  return fit((rows) => cardMarkdown(card, rows), MARKDOWN_LIMIT);
}

function cardMarkdown(card: ModelCard, maxRows: number): string {
  const out: string[] = [`## ${md(card.artifact)} ${md(card.version)}`, ""];
  const facts: string[] = [];
  const commitUrl =
    card.serverUrl && card.repository
      ? `${card.serverUrl}/${card.repository}/commit/${card.commit}`
      : undefined;
  facts.push(`- **Commit:** ${commitUrl ? link(card.commit, commitUrl) : codeProse(card.commit)}`);
  if (card.runUrl) facts.push(`- **Workflow run:** ${link("run", card.runUrl)}`);
  if (card.type) facts.push(`- **Type:** ${md(card.type)}`);
  if (card.path) facts.push(`- **Path:** ${codeProse(card.path)}`);
  if (card.description) facts.push(`- **Description:** ${md(card.description)}`);
  if (card.profile) {
    facts.push(
      `- **Data profile:** ${codeProse(card.profile.path)} sha256 ${codeProse(card.profile.sha256)} (${card.profile.bytes} bytes)`,
    );
  }
  out.push(...facts, "");
  if (card.gate) {
    out.push(`### Gate: ${card.gate.passed ? "✅ passed" : "❌ failed"}`, "");
    out.push(`${rules(card.gate.rules)}, ${card.gate.failed} failed, ${card.gate.warned} warned.`);
    if (card.gate.sha && card.gate.sha !== card.commit) {
      out.push("", `The gate judged commit ${codeProse(card.gate.sha)}, not this one.`);
    }
    if (card.gate.findings.length) {
      out.push("");
      for (const f of card.gate.findings.slice(0, 50)) out.push(`- ${md(f)}`);
    }
    out.push("");
  }
  if (card.metrics.length) out.push("### Metrics", "", ...entryTable(card.metrics, maxRows), "");
  if (card.params.length) out.push("### Params", "", ...entryTable(card.params, maxRows), "");
  if (card.outputs.length) {
    const { shown, more } = limited(card.outputs, maxRows);
    out.push(
      "### Outputs (dvc.lock)",
      "",
      ...table(
        ["Path", "Stage", "Hash"],
        shown.map((o) => [code(o.path), code(o.stage), code(o.hash)]),
      ),
    );
    if (more) out.push("", `… and ${more} more.`);
    out.push("");
  }
  if (card.reasons?.length) {
    out.push("### Why a new version", "");
    for (const r of card.reasons.slice(0, 20)) out.push(`- ${md(r)}`);
    out.push("");
  }
  if (card.problems.length) {
    out.push("### Notes", "");
    for (const p of card.problems.slice(0, 20)) out.push(`- ${md(p)}`);
    out.push("");
  }
  out.push("_Registered by mlci; the tag message holds the same card as plain text._");
  return `${out.join("\n")}\n`;
}
