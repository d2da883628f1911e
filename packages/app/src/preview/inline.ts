/**
 * Inline markdown to HTML for the preview: code spans, backslash escapes, entities, `**strong**`,
 * `*em*`, links with http(s) targets, and a few bare HTML tags GitHub allows (`<sub>`, `<b>`, `<br>`).
 * Everything else is escaped, so text from a pull request cannot inject markup into the page.
 */

const ALLOWED_TAGS = /^<(\/?)(sub|sup|b|strong|em|i|code|kbd|br)\s*(\/?)>/i;
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;
const PUNCTUATION = /[!-/:-@[-`{-~]/;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`,
  );
}

/** A URL safe to link: http(s) only, escaped for an attribute. */
export function safeHref(url: string): string | undefined {
  const trimmed = url.trim();
  return /^https?:\/\/[^\s<>"'`]+$/i.test(trimmed) ? escapeHtml(trimmed) : undefined;
}

/** Where a code span opened at `i` (a run of `n` backticks) closes, or -1. */
function closingTicks(text: string, from: number, n: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] !== "`") continue;
    let k = j;
    while (text[k] === "`") k++;
    if (k - j === n) return j;
    j = k;
  }
  return -1;
}

/** Marks `**…**` and `*…*` / `_…_` pairs in already escaped text (no tags inside yet). */
function emphasis(html: string): string {
  return html
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?!\w)/g, "$1<em>$2</em>");
}

export function renderInline(text: string): string {
  let out = "";
  let plain = ""; // text waiting for emphasis, escaped; escaped specials are held as placeholders
  const held: string[] = [];
  const hold = (html: string) => {
    held.push(html);
    return `\u0000${held.length - 1}\u0000`;
  };
  const flush = () => {
    out += emphasis(plain);
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const rest = text.slice(i);
    if (ch === "\\" && i + 1 < text.length && PUNCTUATION.test(text[i + 1] as string)) {
      plain += hold(escapeHtml(text[i + 1] as string));
      i += 2;
      continue;
    }
    if (ch === "`") {
      let n = 0;
      while (text[i + n] === "`") n++;
      const end = closingTicks(text, i + n, n);
      if (end < 0) {
        plain += "`".repeat(n);
        i += n;
        continue;
      }
      let code = text.slice(i + n, end).replace(/\n/g, " ");
      if (code.length > 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "")
        code = code.slice(1, -1);
      plain += hold(`<code>${escapeHtml(code)}</code>`);
      i = end + n;
      continue;
    }
    if (ch === "&") {
      const m = ENTITY.exec(rest);
      plain += m ? hold(m[0]) : "&amp;";
      i += m ? m[0].length : 1;
      continue;
    }
    if (ch === "<") {
      const m = ALLOWED_TAGS.exec(rest);
      if (m) {
        const name = (m[2] as string).toLowerCase();
        plain += hold(name === "br" ? "<br>" : `<${m[1]}${name}>`);
        i += m[0].length;
        continue;
      }
      if (rest.startsWith("<!--")) {
        const end = rest.indexOf("-->");
        i += end < 0 ? rest.length : end + 3;
        continue;
      }
      plain += "&lt;";
      i++;
      continue;
    }
    if (ch === "[") {
      const m = /^\[([^\]\n]*)\]\(([^()\s]+)\)/.exec(rest);
      const href = m ? safeHref(m[2] as string) : undefined;
      if (m && href) {
        flush();
        out += `<a href="${href}" rel="noopener noreferrer">${renderInline(m[1] as string)}</a>`;
        i += m[0].length;
        continue;
      }
    }
    plain += escapeHtml(ch);
    i++;
  }
  flush();
  // Placeholders back, repeatedly: a held item never contains another placeholder.
  return out.replace(/\u0000(\d+)\u0000/g, (_, k: string) => held[Number(k)] ?? "");
}
