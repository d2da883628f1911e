"""Stage `train`: multinomial logistic regression fitted by full-batch gradient descent.

Reads data/prepared/{train,val}.csv and the `train` params; writes model/model.json and
plots/train_loss.csv (columns epoch, loss, val_loss). Pure Python, no randomness:
weights start at zero, so the same data and params always give the same model.
"""

import math
import os

from common import (
    FEATURES,
    cross_entropy,
    fmt,
    load_params,
    load_split,
    softmax,
    standardise,
    write_json,
    write_rows,
)


def main():
    params = load_params()["train"]
    epochs = int(params["epochs"])
    learning_rate = float(params["learning_rate"])
    l2 = float(params["l2"])

    raw_train, train_labels = load_split("train")
    raw_val, val_labels = load_split("val")
    classes = sorted(set(train_labels))
    index = {label: i for i, label in enumerate(classes)}
    y_train = [index[label] for label in train_labels]
    y_val = [index[label] for label in val_labels]

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
    for epoch in range(1, epochs + 1):
        probs = probabilities(x_train)
        grad_w = [[0.0] * d for _ in range(k)]
        grad_b = [0.0] * k
        for row, p, target in zip(x_train, probs, y_train):
            for c in range(k):
                error = p[c] - (1.0 if c == target else 0.0)
                grad_b[c] += error
                g_row = grad_w[c]
                for j in range(d):
                    g_row[j] += error * row[j]
        for c in range(k):
            bias[c] -= learning_rate * grad_b[c] / n
            for j in range(d):
                weights[c][j] -= learning_rate * (grad_w[c][j] / n + l2 * weights[c][j])

        loss = cross_entropy(probabilities(x_train), y_train)
        val_loss = cross_entropy(probabilities(x_val), y_val)
        curve.append([epoch, fmt(loss), fmt(val_loss)])

    write_json(
        os.path.join("model", "model.json"),
        {
            "type": "multinomial-logistic-regression",
            "classes": classes,
            "features": FEATURES,
            "mean": mean,
            "std": std,
            "weights": weights,
            "bias": bias,
            "params": {"epochs": epochs, "learning_rate": learning_rate, "l2": l2},
        },
    )
    write_rows(os.path.join("plots", "train_loss.csv"), ["epoch", "loss", "val_loss"], curve)
    print(f"train: {epochs} epochs on {n} rows, final loss {curve[-1][1]}, val_loss {curve[-1][2]}")


if __name__ == "__main__":
    main()
