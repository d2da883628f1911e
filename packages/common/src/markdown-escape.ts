/**
 * Rendering untrusted text (metric names, values, params, paths: anything a pull request can
 * change) so that it shows as plain text in a GitHub comment and cannot inject HTML, links,
 * images, table cells, code fences, our hidden marker or notifications (`@` mentions).
 */

/** Values longer than this (in code points) are cut with an ellipsis. */
export const DEFAULT_MAX_TEXT_LENGTH = 120;

/** U+2060 WORD JOINER: invisible, and GitHub does not treat `@` followed by it as a mention. */
const WORD_JOINER = "\u2060";

const ELLIPSIS = "…";

// Line breaks of every kind, with the spaces around them, become one space: a newline in a table
// cell ends the row, and in prose it could start a heading, list or fence.
const LINE_BREAKS = /[ \t]*(?:\r\n|[\n\r\u000B\u000C\u0085\u2028\u2029])+[ \t]*/g;
// C0/C1 controls have no business in a report; bidi overrides can make text read differently
// from what it is ("Trojan Source").
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

// Characters that mean something to CommonMark or GFM inline parsing anywhere in a line. `$` is
// GitHub's math delimiter. `<`, `>` and `&` are written as entities instead (below). With `[` and
// `]` escaped, `(`, `)` and `!` cannot form links or images, so they stay as they are (readable
// raw text, e.g. in notification emails).
const MARKDOWN_SPECIAL = new Set("\\`*_[]#|~$");
// What starts a block only at the beginning of a line: a bullet (`- `, `+ `), a rule or setext
// underline (`--`, `==`). A negative number (`-0.5`) starts nothing and is left alone.
const BLOCK_START = /^([-+=])(?=\s|$|\1)/;
// An ordered-list marker (`1. ` or `1) `) at the beginning of a line; `0.91` is not one.
const ORDERED_LIST_START = /^\d{1,9}[.)](?=\s|$)/;

export interface TextOptions {
  /** Cut after this many code points (default 120); `Infinity` keeps everything. */
  maxLength?: number;
}

/** Removes control and bidi characters and turns line breaks and tabs into single spaces. */
export function toOneLine(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(/\t/g, " ").replace(INVISIBLE, "");
}

/** Cuts `text` to `maxLength` code points (never inside a surrogate pair), ending with `…`. */
export function truncate(text: string, maxLength: number = DEFAULT_MAX_TEXT_LENGTH): string {
  // Quick exit: a string no longer in UTF-16 units than the limit cannot have more code points.
  if (text.length <= maxLength || !Number.isFinite(maxLength)) return text;
  const points = Array.from(text);
  if (points.length <= maxLength) return text;
  return points.slice(0, Math.max(0, maxLength - 1)).join("") + ELLIPSIS;
}

/**
 * Escapes untrusted text for prose and table cells: markdown specials get a backslash, `<`, `>`
 * and `&` become entities (so no HTML, comment or autolink can form), `@` is followed by a word
 * joiner (a backslash does not stop a mention on GitHub), and newlines collapse to a space.
 */
/**
 * GitHub links mentions, issue references and bare URLs after rendering, so a backslash does not
 * stop them; an invisible WORD JOINER inside the trigger does.
 */
function breakAutolinks(text: string): string {
  return text
    .replace(/#(?=\d)/g, `#${WORD_JOINER}`)
    .replace(/\bGH-(?=\d)/gi, (m) => `${m}${WORD_JOINER}`)
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${WORD_JOINER}.`);
}

export function escapeText(text: string, options: TextOptions = {}): string {
  const clean = breakAutolinks(truncate(toOneLine(text), options.maxLength ?? DEFAULT_MAX_TEXT_LENGTH));
  let out = "";
  const markerAt = BLOCK_START.test(clean) ? 0 : ORDERED_LIST_START.test(clean) ? clean.search(/[.)]/) : -1;
  let index = 0;
  for (const ch of clean) {
    const at = index;
    index += ch.length;
    if (at === markerAt) out += "\\" + ch;
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === "&") out += "&amp;";
    else if (ch === "@") out += "@" + WORD_JOINER;
    else if (MARKDOWN_SPECIAL.has(ch)) out += "\\" + ch;
    else out += ch;
  }
  return out;
}

export interface CodeSpanOptions extends TextOptions {
  /**
   * Where the span goes. In a table cell (the default) `|` must still be written `\|`, because
   * GitHub splits the row into cells before it parses code spans; in prose that backslash would
   * show, so pass `"prose"` there.
   */
  context?: "table" | "prose";
}

/**
 * A safe inline code span. The fence is one backtick longer than the longest backtick run inside,
 * so the content cannot close it. Code spans show HTML and mentions literally, but the raw body
 * must still never contain `<!--` (tools that look for our hidden marker search the raw text).
 */
export function codeSpan(text: string, options: CodeSpanOptions = {}): string {
  let content = truncate(toOneLine(text), options.maxLength ?? DEFAULT_MAX_TEXT_LENGTH);
  content = content.replace(/<!/g, "<" + WORD_JOINER + "!");
  if ((options.context ?? "table") === "table") content = content.replace(/\|/g, "\\|");
  if (content === "") return "` `";
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  // CommonMark strips one space from each side when both are there, so a padding space keeps a
  // leading or trailing backtick from merging with the fence and keeps edge spaces as they were.
  const pad = /^[`\s]|[`\s]$/.test(content) && content.trim() !== "" ? " " : "";
  return fence + pad + content + pad + fence;
}

/**
 * A link target we are willing to print: http(s) only, parsed and re-serialised, with `(` and `)`
 * percent-encoded so the URL cannot end the markdown link early. Returns undefined otherwise.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  return parsed.href.replace(/\(/g, "%28").replace(/\)/g, "%29");
}

/** A markdown link with escaped text, or just the escaped text when the URL is not safe. */
export function link(text: string, url: string | undefined): string {
  const href = safeUrl(url);
  const label = escapeText(text);
  return href === undefined ? label : `[${label}](${href})`;
}
