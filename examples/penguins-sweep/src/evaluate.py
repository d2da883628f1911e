"""Stage `evaluate@<lr>-<l2>`: score one run's model on the test split; writes <run>/metrics.json."""

import argparse
import json
import os

from common import cross_entropy, load_split, predict_proba, write_json


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", required=True)
    args = parser.parse_args()
    with open(os.path.join(args.run, "model.json"), encoding="utf-8") as handle:
        model = json.load(handle)
    features, labels = load_split("test")
    targets = [model["classes"].index(label) for label in labels]
    probs = predict_proba(model, features)
    predicted = [max(range(len(p)), key=p.__getitem__) for p in probs]
    accuracy = sum(1 for t, p in zip(targets, predicted) if t == p) / len(targets)
    write_json(os.path.join(args.run, "metrics.json"), {"eval": {"accuracy": accuracy, "log_loss": cross_entropy(probs, targets)}})
    print(f"evaluate {args.run}: accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
