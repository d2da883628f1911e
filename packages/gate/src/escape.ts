/**
 * Escaping for text that comes from a repository (metric keys, file paths, values, policy files)
 * before it goes into a GitHub comment or a terminal. Markdown escaping alone is not enough on
 * GitHub: mentions, issue references and bare URLs are linked after rendering, so a backslash
 * does not stop them. A U+2060 WORD JOINER (invisible) breaks them instead.
 */
const WJ = "\u2060";

// Bidirectional overrides and isolates reorder what a reviewer sees ("Trojan Source").
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// C0 and C1 controls and DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text safe to place inline in markdown, including inside a table cell: no HTML, links, images, mentions or markers. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/\r\n?|\n/g, " ")
      .replace(CONTROL, " ")
      .replace(BIDI, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      // What gives markdown meaning inline: emphasis, code, link and image brackets, table pipes,
      // strikethrough, math; `#` so issue references can be broken below.
      .replace(/[\\`*_[\]|~#$]/g, "\\$&")
      // Mentions (@user, @org/team, @everyone) and email autolinks.
      .replace(/@/g, `@${WJ}`)
      // Issue and pull request references: #123, GH-123.
      .replace(/(\\#|\bGH-)(?=\d)/gi, `$1${WJ}`)
      // Bare URL autolinks (http://, https://, www.).
      .replace(/:\/\//g, `:${WJ}//`)
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${WJ}.`)
  );
}

/** Text in an inline code span: literal there, but it must not close the span or forge a marker. */
export function codeSpan(text: string): string {
  const safe = text
    .replace(/\r\n?|\n/g, " ")
    .replace(CONTROL, " ")
    .replace(BIDI, "")
    .replace(/`/g, "'")
    .replace(/<!--/g, `<${WJ}!--`);
  return `\`${safe}\``;
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
