import { describe, expect, it } from "vitest";
import { renderInline } from "./inline";
import { renderMarkdownHtml } from "./markdown-html";
import { renderPreviewPage } from "./preview-page";
import { parseXyChart, renderXyChartSvg } from "./xychart-svg";

const CHART = `xychart-beta
    title "Training curve: loss"
    x-axis "epoch" ["1", "2", "3", "4"]
    y-axis "loss" 0.1 --> 1.2
    line [1.1, 0.7, 0.4, 0.3]
    line [1.1, 0.6, 0.3, 0.2]`;

describe("inline markdown", () => {
  it("renders code spans, escapes, entities, sub and emphasis", () => {
    expect(renderInline("`a|b` and \\*not em\\* &lt;x&gt; <sub>small</sub> **bold**")).toBe(
      "<code>a|b</code> and *not em* &lt;x&gt; <sub>small</sub> <strong>bold</strong>",
    );
    expect(renderInline("``a ` b``")).toBe("<code>a ` b</code>");
    expect(renderInline("val\\_loss by epoch")).toBe("val_loss by epoch");
  });

  it("shows any other HTML as text and links only http(s) targets", () => {
    expect(renderInline('<script>alert(1)</script><img src=x onerror="x">')).toBe(
      "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;x&quot;&gt;",
    );
    expect(renderInline("[run](https://example.com/a?b=1&c=2)")).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">run</a>',
    );
    expect(renderInline("[x](javascript:alert(1))")).not.toContain("<a");
    expect(renderInline("<sub onclick=x>")).toBe("&lt;sub onclick=x&gt;");
  });
});

describe("renderMarkdownHtml", () => {
  it("renders the report's blocks: heading, table with alignment, details, comment dropped", () => {
    const html = renderMarkdownHtml(
      [
        "<!-- mlci:report:mlci -->",
        "## mlci report",
        "",
        "| Metric | Base | Head |",
        "| :- | -: | :-: |",
        "| `eval.accuracy` | 0.9 | 0.95 |",
        "| `a\\|b` | 1 | 2 |",
        "",
        "<details>",
        "<summary>8 unchanged metrics</summary>",
        "",
        "text",
        "",
        "</details>",
      ].join("\n"),
    );
    expect(html).not.toContain("mlci:report");
    expect(html).toContain("<h2>mlci report</h2>");
    expect(html).toContain('<th style="text-align:left">Metric</th><th style="text-align:right">Base</th>');
    expect(html).toContain('<td style="text-align:left"><code>eval.accuracy</code></td>');
    expect(html).toContain("<code>a|b</code>");
    expect(html).toContain("<details>\n<summary>8 unchanged metrics</summary>\n<p>text</p>\n</details>");
  });

  it("draws a mermaid xychart as SVG and keeps the source", () => {
    const html = renderMarkdownHtml(`## Charts\n\n\`\`\`mermaid\n${CHART}\n\`\`\`\n`);
    expect(html).toContain("<svg");
    expect(html.match(/<polyline/g)).toHaveLength(2);
    expect(html).toContain('<details class="mermaid-source">');
    expect(html).toContain("x-axis &quot;epoch&quot;");
  });

  it("keeps other fences as code, escaped", () => {
    expect(renderMarkdownHtml("```\n<b>x</b>\n```")).toBe("<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>");
    expect(renderMarkdownHtml("```mermaid\nflowchart TD\n  a --> b\n```")).toContain(
      '<pre><code class="language-mermaid">flowchart TD',
    );
  });

  it("renders lists and paragraphs", () => {
    expect(renderMarkdownHtml("Files:\n\n- `dvc.lock`\n- `metrics.json`\n")).toBe(
      "<p>Files:</p>\n<ul>\n<li><code>dvc.lock</code></li>\n<li><code>metrics.json</code></li>\n</ul>",
    );
  });
});

describe("xychart", () => {
  it("parses titles, labels, the y range and the series", () => {
    expect(parseXyChart(CHART)).toEqual({
      title: "Training curve: loss",
      xTitle: "epoch",
      x: { labels: ["1", "2", "3", "4"] },
      yTitle: "loss",
      y: { min: 0.1, max: 1.2 },
      series: [
        { kind: "line", values: [1.1, 0.7, 0.4, 0.3] },
        { kind: "line", values: [1.1, 0.6, 0.3, 0.2] },
      ],
    });
    expect(parseXyChart("flowchart TD")).toBeUndefined();
    expect(parseXyChart("xychart-beta\n  line [1, x]")).toBeUndefined();
  });

  it("maps values into the plot area (higher values higher up)", () => {
    const svg = renderXyChartSvg(parseXyChart(CHART)!);
    const points = /points="([^"]+)"/
      .exec(svg)![1]!
      .split(" ")
      .map((p) => p.split(",").map(Number));
    expect(points).toHaveLength(4);
    const ys = points.map((p) => p[1]!);
    expect(ys[0]).toBeLessThan(ys[3]!); // 1.1 is drawn above 0.3
    expect(svg).toContain("<title");
  });

  it("draws bars as rectangles", () => {
    const svg = renderXyChartSvg(parseXyChart("xychart-beta\n x-axis [a, b]\n bar [1, 3]\n bar [2, 1]")!);
    expect(svg.match(/<rect class="series/g)).toHaveLength(4);
  });
});

describe("renderPreviewPage", () => {
  it("is a complete page that allows no script and no network", () => {
    const page = renderPreviewPage("## x", { title: "<t>" });
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain("default-src 'none'");
    expect(page).toContain("<title>&lt;t&gt;</title>");
    expect(page).not.toMatch(/<script/i);
  });
});
