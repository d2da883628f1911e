"""Stage `evaluate`: score model/model.pt on the test and train splits.

Writes metrics.json (eval.accuracy, eval.f1_macro, eval.loss, train.accuracy,
train.loss) and plots/per_class.csv (digit, precision, recall, f1, support).
"""

import os

import torch
from torch import nn

from common import MODEL_DIR, N_CLASSES, fmt, load_params, write_json, write_rows
from model import build_model, load_split, pick_device, predict


def scores(model, split, device):
    x, y = load_split(split, device)
    logits = predict(model, x)
    loss = nn.functional.cross_entropy(logits, y).item()
    predicted = logits.argmax(1)
    # confusion[actual, predicted]
    confusion = torch.bincount(y * N_CLASSES + predicted, minlength=N_CLASSES * N_CLASSES)
    confusion = confusion.reshape(N_CLASSES, N_CLASSES).cpu().tolist()
    per_class = []
    for c in range(N_CLASSES):
        tp = confusion[c][c]
        support = sum(confusion[c])
        predicted_c = sum(row[c] for row in confusion)
        precision = tp / predicted_c if predicted_c else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append((c, precision, recall, f1, support))
    accuracy = sum(confusion[c][c] for c in range(N_CLASSES)) / len(y)
    f1_macro = sum(row[3] for row in per_class) / N_CLASSES
    return {"accuracy": accuracy, "f1_macro": f1_macro, "loss": loss}, per_class


def main():
    params = load_params()["train"]
    device = pick_device(str(params["device"]))
    checkpoint = torch.load(os.path.join(MODEL_DIR, "model.pt"), map_location="cpu", weights_only=True)
    config = checkpoint["config"]
    model = build_model(config["image_size"] ** 2, config["hidden_size"], config["hidden_layers"])
    model.load_state_dict(checkpoint["state_dict"])
    model.to(device)

    test, per_class = scores(model, "test", device)
    train, _ = scores(model, "train", device)
    del train["f1_macro"]
    write_json("metrics.json", {"eval": test, "train": train})
    write_rows(
        os.path.join("plots", "per_class.csv"),
        ["digit", "precision", "recall", "f1", "support"],
        [[c, fmt(p), fmt(r), fmt(f), s] for c, p, r, f, s in per_class],
    )
    print(
        f"evaluate: test accuracy {test['accuracy']:.4f}, f1_macro {test['f1_macro']:.4f}, "
        f"loss {test['loss']:.4f}; train accuracy {train['accuracy']:.4f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
