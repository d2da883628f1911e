/**
 * Escaping for text that comes from a repository (metric keys, file paths, values, policy files)
 * before it goes into a GitHub comment or a terminal. Markdown escaping alone is not enough on
 * GitHub: mentions, issue references and bare URLs are linked after rendering, so a backslash
 * does not stop them. A U+2060 WORD JOINER (invisible) breaks them instead.
 */
import { codeSpan as commonCodeSpan, escapeText } from "@mlci/common";

const WJ = "\u2060";

// Bidirectional overrides and isolates reorder what a reviewer sees ("Trojan Source").
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// C0 and C1 controls and DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text safe to place inline in markdown, including inside a table cell: no HTML, links, images,
 * mentions or markers. The one implementation is @mlci/common's `escapeText`; the gate keeps
 * full values (no truncation) because a reviewer must see exactly what was compared.
 */
export function escapeMarkdown(text: string): string {
  return escapeText(text, { maxLength: Number.POSITIVE_INFINITY });
}

/** Text in an inline code span (in a table cell): literal, cannot close the span or forge a marker. */
export function codeSpan(text: string): string {
  return commonCodeSpan(text, { maxLength: Number.POSITIVE_INFINITY });
}

/** Text for a fenced code block: made inert, and a fence that the text cannot close. */
export function fencedCode(text: string, info = ""): string {
  const safe = text
    .replace(BIDI, "")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, " ")
    // Comment markers (<!-- mlci:... -->) are searched for in raw bodies; keep ours unique.
    .replace(/<!--/g, `<${WJ}!--`)
    .replace(/-->/g, `--${WJ}>`);
  const longest = Math.max(0, ...Array.from(safe.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${safe}\n${fence}`;
}

/** Text safe for a terminal: control characters and bidi overrides shown as visible escapes. */
export function escapePlain(text: string): string {
  return text.replace(
    new RegExp(`${CONTROL.source}|${BIDI.source}`, "g"),
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
