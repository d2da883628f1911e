import { escapeHtml } from "./inline";
import { renderMarkdownHtml } from "./markdown-html";

const STYLE = `
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; background: #f6f8fa; margin: 0; }
main { max-width: 900px; margin: 24px auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px; }
header.preview { max-width: 900px; margin: 16px auto 0; color: #59636e; font-size: 12px; }
h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
table { border-collapse: collapse; margin: 8px 0 16px; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; }
tr:nth-child(2n) td { background: #f6f8fa; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; border-radius: 4px; padding: .1em .3em; }
pre { background: #f6f8fa; padding: 12px; overflow: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
details { margin: 8px 0; }
summary { cursor: pointer; }
figure.chart { margin: 12px 0; }
svg.xychart { max-width: 100%; height: auto; font-family: inherit; }
svg .grid { stroke: #eaeef2; } svg .axis { stroke: #59636e; }
svg .tick { font-size: 11px; fill: #59636e; } svg .axis-title { font-size: 12px; fill: #1f2328; }
svg .chart-title { font-size: 14px; font-weight: 600; fill: #1f2328; } svg .legend { font-size: 12px; }
`;

/**
 * A self-contained HTML page showing a pull request comment as GitHub would: the markdown
 * rendered, charts drawn as inline SVG. No script and no network: a strict Content Security
 * Policy forbids both, so the page is safe to open whatever the report holds.
 */
export function renderPreviewPage(markdown: string, o: { title?: string; note?: string } = {}): string {
  const title = o.title ?? "mlci report preview";
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<header class="preview">${escapeHtml(o.note ?? "Preview of the pull request comment, rendered offline by mlci (charts drawn from the mermaid blocks).")}</header>`,
    `<main class="markdown-body">\n${renderMarkdownHtml(markdown)}\n</main>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
