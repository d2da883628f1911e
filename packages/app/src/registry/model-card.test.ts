import { describe, expect, it } from "vitest";
import { MARKDOWN_LIMIT, type ModelCard, renderCardMarkdown, renderCardText, TEXT_LIMIT } from "./model-card";

const COMMIT = "3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";

function card(over: Partial<ModelCard> = {}): ModelCard {
  return {
    artifact: "churn",
    version: "v0.2.0",
    commit: COMMIT,
    repository: "octo-org/models",
    serverUrl: "https://github.com",
    runUrl: "https://github.com/octo-org/models/actions/runs/4242",
    type: "model",
    path: "models/churn.pkl",
    description: "Predicts churn",
    metrics: [
      { file: "metrics.json", key: "eval.accuracy", value: 0.9123456789 },
      { file: "metrics.json", key: "eval.loss", value: 0.25 },
    ],
    params: [{ file: "params.yaml", key: "train.epochs", value: 150 }],
    gate: { passed: true, rules: 2, failed: 0, warned: 0, findings: [], sha: COMMIT },
    profile: { path: "data/profile.json", sha256: "ab".repeat(32), bytes: 1234 },
    outputs: [{ path: "models/churn.pkl", hash: "d41d8cd98f00b204e9800998ecf8427e", stage: "train" }],
    problems: [],
    ...over,
  };
}

/** The markdown with code spans removed: what GitHub would parse as markup. */
function outsideCode(md: string): string {
  return md.replace(/(`+)[\s\S]*?(?<!`)\1(?!`)/g, "");
}

describe("model card", () => {
  it("renders the tag message as plain text under GTO's first line", () => {
    const text = renderCardText(card(), "Registering artifact churn version v0.2.0");
    expect(text.split("\n")[0]).toBe("Registering artifact churn version v0.2.0");
    expect(text).toContain(`Commit: ${COMMIT}`);
    expect(text).toContain("Workflow run: https://github.com/octo-org/models/actions/runs/4242");
    expect(text).toContain("Gate: passed (2 rules: 0 failed, 0 warned)");
    expect(text).toContain("    eval.accuracy = 0.9123456789");
    expect(text).toContain("    train.epochs = 150");
    expect(text).toContain("  models/churn.pkl  d41d8cd98f00b204e9800998ecf8427e");
    expect(text).toContain(`Data profile: data/profile.json sha256:${"ab".repeat(32)}`);
    expect(text).not.toMatch(/[`|*]/);
  });

  it("renders the release body with tables, links only to the commit and the run", () => {
    const md = renderCardMarkdown(card());
    expect(md).toContain("## churn v0.2.0");
    expect(md).toContain(`[${COMMIT}](https://github.com/octo-org/models/commit/${COMMIT})`);
    expect(md).toContain("[run](https://github.com/octo-org/models/actions/runs/4242)");
    expect(md).toContain("### Gate: ✅ passed");
    expect(md).toContain("| `metrics.json` | `eval.accuracy` | `0.9123456789` |");
    expect(md).toContain("| `models/churn.pkl` | `train` | `d41d8cd98f00b204e9800998ecf8427e` |");
    expect(md).not.toMatch(/</);
  });

  it("lets nothing from the repository inject HTML, links, images or mentions", () => {
    const evil = "<img src=x onerror=alert(1)>";
    const md = renderCardMarkdown(
      card({
        artifact: "churn",
        description: "@everyone see [this](http://evil.example) ![x](http://evil.example/a.png)\n# heading",
        metrics: [{ file: "m|etrics.json", key: evil, value: "<script>alert(1)</script>" }],
        params: [{ file: "params.yaml", key: "note", value: "@octocat `x` <!-- marker -->" }],
        gate: { passed: false, rules: 1, failed: 1, warned: 0, findings: [`${evil}: too low @admins`] },
        problems: ["<b>bold</b> problem"],
        runUrl: "javascript:alert(1)",
      }),
    );
    const markup = outsideCode(md);
    expect(markup).not.toMatch(/<[a-z!/]/i);
    expect(markup).not.toMatch(/\]\(http:\/\/evil/);
    // Mentions are broken outside code spans; inside them GitHub shows `@` literally.
    expect(markup).not.toMatch(/@(everyone|octocat|admins)/);
    expect(md).not.toContain("javascript:");
    expect(md).not.toMatch(/^# heading/m);
    // Table rows keep their three cells: a `|` in a value cannot add one.
    const row = md.split("\n").find((l) => l.startsWith("| `m"));
    expect(row?.replace(/\\\|/g, "").split("|").length).toBe(5);
    expect(md).toContain("### Gate: ❌ failed");
  });

  it("keeps control characters and line breaks out of the tag message", () => {
    const text = renderCardText(
      card({ description: "line one\nline two\u001b[31m red \u202e reversed", metrics: [] }),
      "Registering artifact churn version v0.2.0",
    );
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain("  line one line two[31m red  reversed");
  });

  it("stays within the size budgets, saying how many rows it left out", () => {
    const metrics = Array.from({ length: 5000 }, (_, i) => ({
      file: "metrics.json",
      key: `k${i}_${"x".repeat(250)}`,
      value: "y".repeat(250),
    }));
    const md = renderCardMarkdown(card({ metrics, params: metrics }));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/… and \d+ more\./);
    const text = renderCardText(card({ metrics, params: metrics }), "Registering");
    expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(text).toMatch(/… and \d+ more/);
  });
});
