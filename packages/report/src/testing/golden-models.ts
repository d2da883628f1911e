/** The realistic reports kept as golden files in src/__golden__/. */
import type { ReportModel } from "../model";
import { diffOf, lossCurve, metric, model, param, runRecord } from "./model-builders";

const links = {
  summaryUrl: "https://github.com/acme/vision/actions/runs/123456789#summary-31337",
  reportFile: "report.md",
};

/** An image classifier: two regressions, three improvements, a learning-rate change, a failed gate. */
export function classificationModel(): ReportModel {
  const lower = { direction: "lower" as const };
  const diff = diffOf(
    [
      metric("eval.accuracy", 0.9123, 0.9187),
      metric("eval.f1", 0.8891, 0.8802),
      metric("eval.precision", 0.9012, 0.9235),
      metric("eval.recall", 0.8775, 0.8423),
      metric("eval.loss", 0.28741, 0.27113, lower),
      metric("train.loss", 0.1522, 0.1498, lower),
      metric("eval.per_class.cat.f1", 0.9011, 0.9011),
      metric("eval.per_class.dog.f1", 0.8843, 0.8843),
      metric("eval.samples", 12000, 12000),
      metric("train.epochs_run", 20, 20),
    ],
    [
      param("train.lr", 0.001, 0.0005),
      param("train.augment", "none", "randaugment"),
      param("train.epochs", 20, 20),
      param("train.batch_size", 64, 64),
      param("model.arch", "resnet50", "resnet50"),
      param("seed", 42, 42),
    ],
  );
  return model(diff, {
    title: "Model report: image classifier",
    run: runRecord(),
    links,
    sections: [
      {
        id: "gate",
        title: "Gate: failed",
        keep: true,
        markdown:
          "❌ 1 of 3 rules failed.\n\n| Rule | Result |\n| - | - |\n| `eval.recall` may drop at most 2% | ❌ dropped 4.01% |\n| `eval.accuracy` ≥ 0.9 | ✅ 0.9187 |\n| `eval.loss` must not rise | ✅ fell 5.66% |",
      },
    ],
    policyNote:
      "Directions: eval.loss and train.loss are lower-is-better (set in mlci.yaml); all others higher-is-better.",
  });
}

/** A house-price regressor trained for more epochs, with a loss-per-epoch plot at both sides. */
export function regressionModel(): ReportModel {
  const lower = { direction: "lower" as const };
  const diff = diffOf(
    [
      metric("rmse", 3.412, 3.198, lower),
      metric("mae", 2.501, 2.488, { ...lower, noise: 0.02 }),
      metric("r2", 0.8412, 0.8607),
      metric("train_time_s", 912.4, 1187.9, lower),
    ],
    [
      param("train.epochs", 30, 40),
      param("train.lr", 0.003, 0.003),
      param("train.weight_decay", 0.0001, 0.0001),
      param("model.hidden", 256, 256),
    ],
  );
  const base = lossCurve(30, 1.8, 0.9).map((r) => ({
    epoch: r.epoch!,
    train_loss: r.loss!,
    val_loss: Number(((r.loss as number) * 1.12).toFixed(4)),
  }));
  const head = lossCurve(40, 1.8, 0.88).map((r) => ({
    epoch: r.epoch!,
    train_loss: r.loss!,
    val_loss: Number(((r.loss as number) * 1.08).toFixed(4)),
  }));
  return model(diff, {
    reportId: "house-prices",
    title: "House prices: regression metrics",
    base: { ref: "main", sha: "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d" },
    head: { ref: "longer-training", sha: "b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6" },
    plots: [
      {
        id: "plots/loss.csv",
        path: "plots/loss.csv",
        x: "epoch",
        y: ["train_loss", "val_loss"],
        title: "Loss per epoch",
        base,
        head,
      },
    ],
    run: runRecord({
      sha: "b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6",
      durationMs: 1_412_000,
      runner: { name: "ubuntu-latest", os: "Linux", arch: "X64" },
      gpu: { available: false, reason: "nvidia-smi not found", devices: [] },
      stages: [
        { name: "featurize", status: "skipped" },
        { name: "train", status: "ran" },
        { name: "evaluate", status: "ran" },
      ],
    }),
    links,
  });
}

/** A gradient-boosting model whose params changed while no metric moved beyond noise. */
export function paramsOnlyModel(): ReportModel {
  const diff = diffOf(
    [
      metric("test.auc", 0.9312, 0.9315, { noise: 0.001 }),
      metric("test.logloss", 0.2231, 0.2231, { direction: "lower" }),
      metric("test.accuracy", 0.8874, 0.8874),
    ],
    [
      param("model.n_estimators", 200, 300),
      param("model.max_depth", 8, 10),
      param("model.learning_rate", 0.05, 0.05),
      param("model.subsample", 0.8, 0.8),
      param("data.test_size", 0.2, 0.2),
      param("data.features", "all", "all"),
    ],
  );
  return model(diff, {
    reportId: "churn",
    title: "Churn model",
    base: { ref: "main", sha: "1111111aaaaaaa2222222bbbbbbb3333333ccccc" },
    head: { ref: "tune-trees", sha: "ddddddd4444444eeeeeee5555555fffffff66666" },
    sections: [
      {
        id: "data",
        title: "Data checks",
        keep: false,
        markdown: "✅ `data/train.parquet`: 12 columns match the schema; no drift in 12 of 12 columns.",
      },
    ],
  });
}

export const GOLDEN_MODELS: Record<string, () => ReportModel> = {
  classification: classificationModel,
  regression: regressionModel,
  "params-only": paramsOnlyModel,
};
