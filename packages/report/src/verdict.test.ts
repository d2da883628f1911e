import { describe, expect, it } from "vitest";
import { diffOf, metric, param } from "./testing/model-builders";
import { overallMarker, renderPlainVerdict, renderVerdictLine } from "./verdict";

describe("verdict", () => {
  it("counts improved, regressed and unchanged, and the rest when nonzero", () => {
    const rows = [
      metric("a", 1, 2),
      metric("b", 1, 3),
      metric("c", 2, 1),
      ...Array.from({ length: 14 }, (_, i) => metric(`u${i}`, 1, 1)),
    ];
    expect(renderPlainVerdict(diffOf(rows))).toBe("2 improved, 1 regressed, 14 unchanged");
    expect(renderVerdictLine(diffOf(rows))).toBe("🔴 2 improved, **1 regressed**, 14 unchanged");
    const more = diffOf([metric("a", 1, 2), metric("n", undefined, 1), metric("s", "x", "y")]);
    expect(renderPlainVerdict(more)).toBe("1 improved, 1 added, 1 changed (not numeric)");
  });

  it("says plainly when nothing changed or nothing was found", () => {
    expect(renderPlainVerdict(diffOf([metric("a", 1, 1)]))).toBe("No metric changed (1 unchanged)");
    expect(renderPlainVerdict(diffOf([]))).toBe("No metrics found");
    expect(renderVerdictLine(diffOf([]))).toBe("⚪ No metrics found");
  });

  it("adds changed params", () => {
    const diff = diffOf([metric("a", 1, 1)], [param("lr", 0.1, 0.2), param("x", 1, 1)]);
    expect(renderPlainVerdict(diff)).toBe("No metric changed (1 unchanged); 1 param changed");
    expect(overallMarker(diff)).toBe("🟡");
  });

  it("counts rows whose file was unavailable apart from added and removed", () => {
    const row = { ...metric("a", undefined, 1), unavailable: "base" as const };
    expect(renderPlainVerdict(diffOf([row]))).toBe("1 not comparable (file unavailable)");
  });

  it("picks the overall marker by the worst news", () => {
    expect(overallMarker(diffOf([metric("a", 1, 2), metric("b", 2, 1)]))).toBe("🔴");
    expect(overallMarker(diffOf([metric("a", 1, 2)]))).toBe("🟢");
    expect(overallMarker(diffOf([metric("a", 1, 1)]))).toBe("⚪");
  });
});
