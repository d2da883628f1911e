import { describe, expect, it } from "vitest";
import { escapeMarkdown, escapePlain, fencedCode } from "./escape";
import { evaluateGate, type GateInput } from "./evaluate";
import { parsePolicy } from "./policy";
import { gateVerdictLine, renderGateMarkdown, renderGateText } from "./render";
import type { GateResult } from "./types";

const WJ = "\u2060";
const directionOf: GateInput["directionOf"] = (key) => (key.includes("loss") ? "lower" : "higher");

function run(yaml: string, input: Omit<GateInput, "directionOf">): GateResult {
  return evaluateGate(parsePolicy(`version: 1\n${yaml}`, ".mlci/gates.yml"), { directionOf, ...input });
}

/** A realistic pull request: one failure, one warning, the rest passing. */
const realistic = () =>
  run(
    [
      "rules:",
      "  - {id: accuracy, metric: eval.accuracy, min: 0.85}",
      '  - {metric: "eval.*_loss", max: 0.5, max_drop: "5%", severity: warn}',
      "  - {metric: eval.f1, max_drop: 0.01}",
      "  - {metric: eval.auc, min: 0.9, required: false}",
      "  - {metric: train.samples_per_second, min: 100}",
    ].join("\n"),
    {
      head: [
        {
          path: "metrics.json",
          values: {
            "eval.accuracy": 0.91,
            "eval.val_loss": 0.44,
            "eval.f1": 0.868,
            "train.samples_per_second": 1250,
          },
        },
      ],
      baseline: [{ path: "metrics.json", values: { "eval.val_loss": 0.4, "eval.f1": 0.892 } }],
      sha: "2222222222222222222222222222222222222222",
      policySource: {
        source: "base",
        path: ".mlci/gates.yml",
        rev: "1111111111111111111111111111111111111111",
        changed: false,
      },
    },
  );

describe("gateVerdictLine", () => {
  it("counts rules, failures, warnings and skips", () => {
    expect(gateVerdictLine(realistic())).toBe("Gate failed: 1 of 5 rules, 1 warning, 1 skipped");
    const ok = run("rules:\n  - {metric: a, min: 0}\n  - {metric: b, min: 1, severity: warn}\n", {
      head: { a: 1, b: 0 },
    });
    expect(gateVerdictLine(ok)).toBe("Gate passed: 2 rules, 1 warning");
    expect(gateVerdictLine(run("rules: []\n", { head: {} }))).toBe("Gate failed: the policy has no rules");
    expect(gateVerdictLine(run("allow_empty: true\nrules: []\n", { head: {} }))).toBe(
      "Gate passed: the policy has no rules (allow_empty)",
    );
  });
});

describe("renderGateMarkdown", () => {
  it("renders the verdict, the provenance and the per-rule table (golden)", async () => {
    await expect(renderGateMarkdown(realistic(), { heading: "### Gate" })).toMatchFileSnapshot(
      "./__golden__/gate-failed.golden.md",
    );
  });

  it("escapes hostile metric names, values and file names", () => {
    const hostile = [
      "<img src=x onerror=alert(1)>",
      "@everyone",
      "a|b",
      "```js",
      "<!-- mlci:report -->",
      "[click](https://evil.example)",
      "![x](https://evil.example/x.png)",
      "www.evil.example",
      "#1",
      "line\nbreak",
      "$\\sqrt{x}$",
    ];
    const head = Object.fromEntries(hostile.map((k) => [k, "<b>@here</b>"]));
    const r = run('rules:\n  - {metric: "**"}\n', {
      head: [{ path: "<script>alert(1)</script>/@org/team.json", values: head }],
    });
    const md = renderGateMarkdown(r);
    expect(r.rules[0]?.metrics).toHaveLength(hostile.length);
    expect(md).not.toMatch(/<(?!!--)[a-z/!]/i); // no raw tags or comment markers at all
    expect(md).not.toContain("<!--");
    expect(md).not.toMatch(/@(?!\u2060)/); // every @ is broken by a word joiner
    expect(md).not.toContain("://");
    expect(md).not.toMatch(/www\./);
    expect(md).not.toMatch(/(?<!\\)[[\]`$]/); // no unescaped brackets, backticks or math
    expect(md).not.toMatch(/#\d/);
    const rows = md.split("\n").filter((l) => l.startsWith("| "));
    expect(rows).toHaveLength(hostile.length + 2); // header, delimiter, one row per key
    for (const line of rows) expect(line.match(/(?<!\\)\|/g)).toHaveLength(8); // 7 cells, no injected ones
  });

  it("keeps failing rows when the table is cut to maxRows", () => {
    const values = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`m.k${i}`, i === 25 ? -1 : 1]));
    const r = run('rules:\n  - {metric: "m.*", min: 0}\n', { head: values });
    const md = renderGateMarkdown(r, { maxRows: 5 });
    expect(md.split("\n").filter((l) => l.startsWith("| m.") || l.startsWith("| rule"))).toHaveLength(5);
    expect(md).toContain("m.k25");
    expect(md).toContain("25 more rows not shown.");
  });
});

describe("renderGateText", () => {
  it("prints aligned columns for a terminal (golden)", async () => {
    await expect(renderGateText(realistic())).toMatchFileSnapshot("./__golden__/gate-failed.golden.txt");
  });

  it("shows control characters and bidi overrides instead of obeying them", () => {
    const r = run('rules:\n  - {metric: "**"}\n', { head: { "evil\u001b[2Jkey": 1, "a\u202eb": 1 } });
    const text = renderGateText(r);
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\u202e");
    expect(text).toContain("evil\\u001b[2Jkey");
  });
});

describe("escaping", () => {
  it("escapes inline markdown and breaks mentions, references and autolinks", () => {
    expect(escapeMarkdown("@everyone")).toBe(`@${WJ}everyone`);
    expect(escapeMarkdown("a|b <i>")).toBe("a\\|b &lt;i&gt;");
    expect(escapeMarkdown("see #12 and GH-3")).toBe(`see \\#${WJ}12 and GH-${WJ}3`);
    expect(escapeMarkdown("https://x.y")).toBe(`https:${WJ}//x.y`);
    expect(escapeMarkdown("a &amp; b")).toBe("a &amp;amp; b");
    expect(escapePlain("ok\tx")).toBe("ok\\u0009x");
  });

  it("fences code with a fence longer than any run of backticks inside", () => {
    expect(fencedCode("a ```` b", "diff")).toBe("`````diff\na ```` b\n`````");
    expect(fencedCode("<!-- mlci -->")).not.toContain("<!--");
  });
});
