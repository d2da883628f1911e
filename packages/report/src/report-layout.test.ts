import { describe, expect, it } from "vitest";
import { type Measure, utf8Length, utf16Length } from "./measured-table";
import type { ReportModel } from "./model";
import { fitPlan, fullPlan, measurePlan, type NoteContext, type Plan, renderPlan } from "./report-layout";
import { prepareParts } from "./report-parts";
import { GOLDEN_MODELS } from "./testing/golden-models";
import { diffOf, largeModel, metric, model } from "./testing/model-builders";
import { renderVerdictLine } from "./verdict";

const note: NoteContext = { limitLabel: "the test limit", fullReportAt: "`report.md`" };

/** A small deterministic generator, so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const models: Record<string, ReportModel> = {
  ...Object.fromEntries(Object.entries(GOLDEN_MODELS).map(([name, build]) => [name, build()])),
  large: largeModel(600, 25),
  unicode: model(diffOf([metric("精度😀|`x`", 1, 2), metric("b", "é", "ü"), metric("c", 1, 1)])),
};

describe("measurePlan", () => {
  for (const [name, m] of Object.entries(models)) {
    for (const [unit, measure] of [
      ["utf16", utf16Length],
      ["utf8", utf8Length],
    ] as Array<[string, Measure]>) {
      it(`equals the rendered length for ${name} (${unit}) under any plan`, () => {
        const parts = prepareParts(m, renderVerdictLine(m.diff), measure, { summaryLinkInFooter: true });
        const full = fullPlan(parts);
        const next = random(name.length * 31 + unit.length);
        const pick = (n: number) => Math.floor(next() * (n + 1));
        for (let i = 0; i < 40; i++) {
          const plan: Plan = {
            charts: pick(full.charts),
            unchangedParams: pick(full.unchangedParams),
            unchangedMetrics: pick(full.unchangedMetrics),
            other: pick(full.other),
            improved: pick(full.improved),
            changedParams: pick(full.changedParams),
            extraSections: pick(full.extraSections),
            run: full.run && next() < 0.5,
            regressedAsList: next() < 0.5,
            regressed: pick(full.regressed),
          };
          expect(measurePlan(parts, plan, note, measure)).toBe(measure(renderPlan(parts, plan, note)));
        }
      });
    }
  }
});

describe("fitPlan", () => {
  it("keeps the full plan when it fits", () => {
    const m = GOLDEN_MODELS.classification!();
    const parts = prepareParts(m, renderVerdictLine(m.diff), utf16Length, { summaryLinkInFooter: true });
    expect(fitPlan(parts, note, 65_536, utf16Length)).toEqual(fullPlan(parts));
  });
});
