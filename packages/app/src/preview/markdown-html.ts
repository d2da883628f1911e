import { escapeHtml, renderInline } from "./inline";
import { parseXyChart, renderXyChartSvg } from "./xychart-svg";

/**
 * A small, safe markdown renderer for the subset mlci's reports use (GitHub-flavoured): ATX
 * headings, paragraphs, GFM tables with alignment, `<details>`/`<summary>`, lists, block quotes,
 * rules, fenced code, and inline code, emphasis, links and `<sub>`. Raw HTML other than those
 * few tags is shown as text. Mermaid `xychart-beta` blocks become inline SVG charts (the preview
 * works offline, without mermaid's script), with the chart's source kept in a `<details>`.
 */

type Align = "left" | "right" | "center" | undefined;

/** Splits a table row into cells on `|` that are neither escaped nor the row's outer pipes. */
function cells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "\\" && s[i + 1] === "|") {
      cur += "|"; // GFM: `\|` is a pipe inside the cell, code spans included
      i++;
    } else if (ch === "|") {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function alignOf(cell: string): Align {
  const left = cell.startsWith(":");
  const right = cell.endsWith(":");
  return left && right ? "center" : right ? "right" : left ? "left" : undefined;
}

function table(header: string, delimiter: string, rows: string[]): string {
  const aligns = cells(delimiter).map(alignOf);
  const cell = (tag: "th" | "td", text: string, i: number) => {
    const a = aligns[i];
    return `<${tag}${a ? ` style="text-align:${a}"` : ""}>${renderInline(text)}</${tag}>`;
  };
  const head = cells(header);
  const width = head.length;
  const body = rows.map((r) => {
    const c = cells(r);
    return `<tr>${Array.from({ length: width }, (_, i) => cell("td", c[i] ?? "", i)).join("")}</tr>`;
  });
  return `<table>\n<thead><tr>${head.map((h, i) => cell("th", h, i)).join("")}</tr></thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>`;
}

function fence(info: string, code: string, chartIndex: number): string {
  const lang = info.trim().split(/\s+/)[0] ?? "";
  if (lang === "mermaid") {
    const chart = parseXyChart(code);
    const source = `<details class="mermaid-source"><summary>Mermaid source</summary><pre><code class="language-mermaid">${escapeHtml(code)}</code></pre></details>`;
    if (chart)
      return `<figure class="chart">${renderXyChartSvg(chart, `chart-${chartIndex}`)}${source}</figure>`;
    return `<pre><code class="language-mermaid">${escapeHtml(code)}</code></pre>`;
  }
  const cls = /^[\w-]+$/.test(lang) ? ` class="language-${lang}"` : "";
  return `<pre><code${cls}>${escapeHtml(code)}</code></pre>`;
}

const BLOCK_START = /^(#{1,6}\s|```|~~~|>|[-*+]\s|\d{1,9}[.)]\s|<\/?details>|<summary>|<!--|\s*\|)/;

/** Renders markdown (the report subset) to an HTML fragment. */
export function renderMarkdownHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let charts = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === "") {
      i++;
      continue;
    }
    const fenceOpen = /^(`{3,}|~{3,})(.*)$/.exec(trimmed);
    if (fenceOpen) {
      const marker = fenceOpen[1] as string;
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).trim().startsWith(marker))
        body.push(lines[i++] as string);
      i++;
      out.push(fence(fenceOpen[2] ?? "", body.join("\n"), charts++));
      continue;
    }
    if (trimmed.startsWith("<!--")) {
      while (i < lines.length && !(lines[i] as string).includes("-->")) i++;
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(trimmed);
    if (heading) {
      const level = (heading[1] as string).length;
      out.push(`<h${level}>${renderInline(heading[2] as string)}</h${level}>`);
      i++;
      continue;
    }
    if (/^<details>$/i.test(trimmed) || /^<\/details>$/i.test(trimmed)) {
      out.push(trimmed.toLowerCase());
      i++;
      continue;
    }
    const summary = /^<summary>(.*)<\/summary>$/i.exec(trimmed);
    if (summary) {
      out.push(`<summary>${renderInline(summary[1] as string)}</summary>`);
      i++;
      continue;
    }
    if (
      trimmed.includes("|") &&
      DELIMITER_ROW.test(lines[i + 1] ?? "") &&
      (lines[i + 1] as string).includes("-")
    ) {
      const rows: string[] = [];
      let j = i + 2;
      while (j < lines.length && (lines[j] as string).trim() !== "" && (lines[j] as string).includes("|"))
        rows.push(lines[j++] as string);
      out.push(table(line, lines[i + 1] as string, rows));
      i = j;
      continue;
    }
    if (/^(-{3,}|\*{3,}|_{3,})$/.test(trimmed)) {
      out.push("<hr>");
      i++;
      continue;
    }
    if (trimmed.startsWith(">")) {
      const quoted: string[] = [];
      while (i < lines.length && (lines[i] as string).trim().startsWith(">"))
        quoted.push((lines[i++] as string).trim().replace(/^>\s?/, ""));
      out.push(`<blockquote>\n${renderMarkdownHtml(quoted.join("\n"))}\n</blockquote>`);
      continue;
    }
    const item = /^([-*+]|\d{1,9}[.)])\s+/;
    if (item.test(trimmed)) {
      const ordered = /^\d/.test(trimmed);
      const items: string[] = [];
      while (i < lines.length && item.test((lines[i] as string).trim())) {
        let text = (lines[i++] as string).trim().replace(item, "");
        while (
          i < lines.length &&
          /^\s{2,}\S/.test(lines[i] as string) &&
          !item.test((lines[i] as string).trim())
        )
          text += ` ${(lines[i++] as string).trim()}`;
        items.push(`<li>${renderInline(text)}</li>`);
      }
      const tag = ordered ? "ol" : "ul";
      out.push(`<${tag}>\n${items.join("\n")}\n</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== "") {
      if (para.length > 0 && BLOCK_START.test((lines[i] as string).trim())) break;
      para.push((lines[i++] as string).trim());
    }
    out.push(`<p>${renderInline(para.join("\n"))}</p>`);
  }
  return out.join("\n");
}
