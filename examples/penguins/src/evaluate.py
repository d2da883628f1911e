"""Stage `evaluate`: score model/model.json on the train and test splits.

Writes metrics.json (nested keys: eval.*, eval.per_class.<species>.*, train.*) and
plots/confusion.csv (one row per test penguin: actual, predicted), the input of DVC's
`confusion` plot template.
"""

import json
import os

from common import cross_entropy, load_split, predict_proba, write_json, write_rows


def scores(model, split):
    features, labels = load_split(split)
    classes = model["classes"]
    targets = [classes.index(label) for label in labels]
    probs = predict_proba(model, features)
    predicted = [max(range(len(classes)), key=p.__getitem__) for p in probs]
    correct = sum(1 for t, p in zip(targets, predicted) if t == p)
    per_class = {}
    for c, name in enumerate(classes):
        tp = sum(1 for t, p in zip(targets, predicted) if t == c and p == c)
        fp = sum(1 for t, p in zip(targets, predicted) if t != c and p == c)
        fn = sum(1 for t, p in zip(targets, predicted) if t == c and p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    result = {
        "accuracy": correct / len(targets),
        "f1_macro": sum(item["f1"] for item in per_class.values()) / len(classes),
        "log_loss": cross_entropy(probs, targets),
    }
    pairs = [[labels[i], classes[predicted[i]]] for i in range(len(labels))]
    return result, per_class, pairs


def main():
    with open(os.path.join("model", "model.json"), encoding="utf-8") as handle:
        model = json.load(handle)

    train, _, _ = scores(model, "train")
    test, per_class, pairs = scores(model, "test")
    test["per_class"] = per_class

    write_json("metrics.json", {"eval": test, "train": train})
    write_rows(os.path.join("plots", "confusion.csv"), ["actual", "predicted"], pairs)
    print(
        f"evaluate: test accuracy {test['accuracy']:.4f}, f1_macro {test['f1_macro']:.4f}, "
        f"log_loss {test['log_loss']:.4f}; train accuracy {train['accuracy']:.4f}"
    )


if __name__ == "__main__":
    main()
