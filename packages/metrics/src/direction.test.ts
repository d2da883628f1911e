import { describe, expect, it } from "vitest";
import { directionResolver, inferDirection, nameTokens } from "./direction";
import { bandWidth, noiseResolver, parseNoiseBand } from "./noise";

describe("direction inference", () => {
  it.each([
    ["loss", "lower"],
    ["val_loss", "lower"],
    ["eval.rmse", "lower"],
    ["latencyMs", "lower"],
    ["p95-latency", "lower"],
    ["train/epoch_time", "lower"],
    ["top1_error", "lower"],
    ["valErr", "lower"],
    ["MAE", "lower"],
    ["test.mape", "lower"],
    ["smape", "lower"],
    ["log_loss", "lower"],
    ["logloss", "lower"],
    ["cross_entropy", "lower"],
    ["crossEntropy", "lower"],
    ["perplexity", "lower"],
    ["asr.wer", "lower"],
    ["cer", "lower"],
    ["fpr", "lower"],
    ["false_positive_rate", "lower"],
    ["falseNegatives", "lower"],
    ["miss_rate", "lower"],
    ["brier_score", "lower"],
    ["nll", "lower"],
    ["kl_divergence", "lower"],
    ["inference.duration", "lower"],
    ["HTTPLatency", "lower"],
    ["loss_per_sample", "lower"],
    ["accuracy", undefined],
    ["f1", undefined],
    ["auc", undefined],
    ["closs", undefined],
    ["glossary_size", undefined],
    ["errata", undefined],
    ["samples_per_second", undefined],
    ["timeliness", undefined],
    ["mean_bias", undefined],
  ])("%s -> %s", (name, expected) => {
    expect(inferDirection(name)).toBe(expected);
  });

  it("splits names into words", () => {
    expect(nameTokens("eval/valLoss_top-1.RMSE")).toEqual(["eval", "val", "loss", "top", "1", "rmse"]);
  });
});

describe("direction from config", () => {
  const resolve = directionResolver({
    "eval.loss": "higher",
    "reports/a.json:score": "lower",
    "*.auc": "higher",
    "**/custom_*": "lower",
    "custom_*": "higher",
  });

  it("takes an exact key or path:key before globs, globs in order, then inference, then higher", () => {
    expect(resolve("m.json", "eval.loss")).toEqual({ direction: "higher", source: "config" });
    expect(resolve("reports/a.json", "score")).toEqual({ direction: "lower", source: "config" });
    expect(resolve("reports/b.json", "score")).toEqual({ direction: "higher", source: "default" });
    expect(resolve("m.json", "test.auc")).toEqual({ direction: "higher", source: "config" });
    expect(resolve("m.json", "custom_thing")).toEqual({ direction: "lower", source: "config" });
    expect(resolve("m.json", "train.loss")).toEqual({ direction: "lower", source: "inferred" });
    expect(resolve("m.json", "acc")).toEqual({ direction: "higher", source: "default" });
  });

  it("matches globs against path:key too", () => {
    const r = directionResolver({ "reports/*.json:*": "lower" });
    expect(r("reports/x.json", "acc").source).toBe("config");
    expect(r("other/x.json", "acc").source).toBe("default");
  });
});

describe("noise bands", () => {
  it("parses absolute and relative bands", () => {
    expect(parseNoiseBand(0.001)).toEqual({ kind: "absolute", value: 0.001 });
    expect(parseNoiseBand("2%")).toEqual({ kind: "relative", fraction: 0.02 });
    expect(bandWidth(parseNoiseBand("10%"), -50)).toBeCloseTo(5);
  });

  it("uses the metric's rule, else default, else 0", () => {
    const noise = noiseResolver({ default: 0.5, "latency_*": "2%", "eval.acc": 0.001 });
    expect(noise("m.json", "eval.acc")).toEqual({ kind: "absolute", value: 0.001 });
    expect(noise("m.json", "latency_p95")).toEqual({ kind: "relative", fraction: 0.02 });
    expect(noise("m.json", "other")).toEqual({ kind: "absolute", value: 0.5 });
    expect(noiseResolver({})("m.json", "x")).toEqual({ kind: "absolute", value: 0 });
  });
});
