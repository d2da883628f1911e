import { describe, expect, it } from "vitest";
import { codeSpan, escapeText, link, safeUrl, truncate } from "./markdown-escape";

const WJ = "\u2060";

describe("escapeText", () => {
  it("turns HTML into text", () => {
    expect(escapeText("<img src=x onerror=alert(1)>")).toBe("&lt;img src=x onerror=alert(1)&gt;");
    expect(escapeText("<details>")).toBe("&lt;details&gt;");
    expect(escapeText("AT&T &#64;")).toBe(`AT&amp;T &amp;\\#${WJ}64;`);
  });

  it("breaks mentions with a word joiner and links with backslashes", () => {
    expect(escapeText("@everyone [x](http://evil)")).toBe(`@${WJ}everyone \\[x\\](http:${WJ}//evil)`);
    expect(escapeText("![i](http://x)")).toBe(`!\\[i\\](http:${WJ}//x)`);
    expect(escapeText("see #12, GH-3 and www.evil.com")).toBe(
      `see \\#${WJ}12, GH-${WJ}3 and www${WJ}.evil.com`,
    );
    expect(escapeText("cc @octo-org/team")).toBe(`cc @${WJ}octo-org/team`);
  });

  it("cannot open a fence, a table cell or our marker", () => {
    expect(escapeText("```")).toBe("\\`\\`\\`");
    expect(escapeText("~~~")).toBe("\\~\\~\\~");
    expect(escapeText("a|b")).toBe("a\\|b");
    expect(escapeText("a\\|b")).toBe("a\\\\\\|b");
    expect(escapeText("<!-- mlci:report:mlci -->")).toBe("&lt;!-- mlci:report:mlci --&gt;");
  });

  it("escapes emphasis, headings, lists and math", () => {
    expect(escapeText("# *a* _b_ + - 1. {c} $x$")).toBe("\\# \\*a\\* \\_b\\_ + - 1. {c} \\$x\\$");
    // Block markers count only at the start of a line.
    expect(escapeText("- item")).toBe("\\- item");
    expect(escapeText("+ item")).toBe("\\+ item");
    expect(escapeText("=== heading")).toBe("\\=== heading");
    expect(escapeText("12. ordered")).toBe("12\\. ordered");
    expect(escapeText("3) ordered")).toBe("3\\) ordered");
    expect(escapeText("---")).toBe("\\---");
    expect(escapeText("-0.5")).toBe("-0.5");
    expect(escapeText("0.91")).toBe("0.91");
  });

  it("collapses newlines and drops control and bidi characters", () => {
    expect(escapeText("a\n\n  b\r\nc\u2028d")).toBe("a b c d");
    expect(escapeText("tab\there\u0007")).toBe("tab here");
    expect(escapeText("abc\u202Edef\u2066")).toBe("abcdef");
  });

  it("keeps unicode text", () => {
    expect(escapeText("精度 ✓ café 😀")).toBe("精度 ✓ café 😀");
  });

  it("truncates long values with an ellipsis, without splitting surrogate pairs", () => {
    const long = escapeText("x".repeat(500));
    expect(long).toBe(`${"x".repeat(119)}…`);
    const emoji = escapeText("😀".repeat(200));
    expect(Array.from(emoji)).toHaveLength(120);
    expect(emoji.endsWith("😀…")).toBe(true);
    expect(escapeText("y".repeat(500), { maxLength: Number.POSITIVE_INFINITY })).toHaveLength(500);
    expect(truncate("short", 10)).toBe("short");
  });
});

describe("codeSpan", () => {
  it("wraps plain text in single backticks and escapes pipes for table cells", () => {
    expect(codeSpan("eval.f1")).toBe("`eval.f1`");
    expect(codeSpan("a|b")).toBe("`a\\|b`");
    expect(codeSpan("a|b", { context: "prose" })).toBe("`a|b`");
  });

  it("chooses a fence longer than any backtick run inside", () => {
    expect(codeSpan("x`y")).toBe("``x`y``");
    expect(codeSpan("```")).toBe("```` ``` ````");
    expect(codeSpan("`")).toBe("`` ` ``");
    expect(codeSpan("a ``b`` c")).toBe("```a ``b`` c```");
  });

  it("keeps edge spaces and represents the empty string", () => {
    expect(codeSpan(" a ")).toBe("`  a  `");
    expect(codeSpan("")).toBe("` `");
  });

  it("removes newlines and never leaves `<!--` in the raw text", () => {
    expect(codeSpan("line1\nline2")).toBe("`line1 line2`");
    const marker = codeSpan("<!-- mlci:report:mlci -->");
    expect(marker).toBe(`\`<${WJ}!-- mlci:report:mlci -->\``);
    expect(marker).not.toContain("<!--");
  });

  it("leaves mentions and HTML as they are: code spans show them literally", () => {
    expect(codeSpan("@everyone <img src=x>")).toBe("`@everyone <img src=x>`");
  });

  it("truncates", () => {
    expect(codeSpan("k".repeat(300))).toBe(`\`${"k".repeat(119)}…\``);
  });
});

describe("safeUrl and link", () => {
  it("accepts http(s) only and encodes parentheses", () => {
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("not a url")).toBeUndefined();
    expect(safeUrl("https://x.test/a(b)")).toBe("https://x.test/a%28b%29");
    expect(safeUrl("https://x.test/a b<c>")).toBe("https://x.test/a%20b%3Cc%3E");
  });

  it("escapes the text and drops unsafe targets", () => {
    expect(link("job [summary]", "https://x.test/s")).toBe("[job \\[summary\\]](https://x.test/s)");
    expect(link("run", "data:text/html,hi")).toBe("run");
  });
});
