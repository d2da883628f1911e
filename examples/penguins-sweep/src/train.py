"""Stage `train@<lr>-<l2>`: one multinomial logistic regression of the sweep.

Reads data/prepared/{train,val}.csv; writes <out>/model.json and <out>/train_loss.csv.
Pure Python, no randomness: the same data and arguments always give the same bytes.
"""

import argparse
import math
import os

from common import FEATURES, cross_entropy, fmt, load_split, softmax, standardise, write_json, write_rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--l2", type=float, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    raw_train, train_labels = load_split("train")
    raw_val, val_labels = load_split("val")
    classes = sorted(set(train_labels))
    y_train = [classes.index(label) for label in train_labels]
    y_val = [classes.index(label) for label in val_labels]
    n, d, k = len(raw_train), len(FEATURES), len(classes)
    mean = [sum(row[j] for row in raw_train) / n for j in range(d)]
    std = [math.sqrt(sum((row[j] - mean[j]) ** 2 for row in raw_train) / n) or 1.0 for j in range(d)]
    x_train = standardise(raw_train, mean, std)
    x_val = standardise(raw_val, mean, std)
    weights = [[0.0] * d for _ in range(k)]
    bias = [0.0] * k

    def probabilities(rows):
        return [
            softmax([b + sum(w * x for w, x in zip(w_row, row)) for w_row, b in zip(weights, bias)])
            for row in rows
        ]

    curve = []
    for epoch in range(1, args.epochs + 1):
        probs = probabilities(x_train)
        for c in range(k):
            errors = [p[c] - (1.0 if t == c else 0.0) for p, t in zip(probs, y_train)]
            bias[c] -= args.lr * sum(errors) / n
            for j in range(d):
                grad = sum(e * row[j] for e, row in zip(errors, x_train)) / n
                weights[c][j] -= args.lr * (grad + args.l2 * weights[c][j])
        curve.append([epoch, fmt(cross_entropy(probabilities(x_train), y_train)), fmt(cross_entropy(probabilities(x_val), y_val))])

    model = {"classes": classes, "features": FEATURES, "mean": mean, "std": std, "weights": weights, "bias": bias}
    model["params"] = {"learning_rate": args.lr, "l2": args.l2, "epochs": args.epochs}
    write_json(os.path.join(args.out, "model.json"), model)
    write_rows(os.path.join(args.out, "train_loss.csv"), ["epoch", "loss", "val_loss"], curve)
    print(f"train {args.out}: final loss {curve[-1][1]}, val_loss {curve[-1][2]}")


if __name__ == "__main__":
    main()
