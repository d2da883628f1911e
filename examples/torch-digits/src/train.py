"""Stage `train`: an MLP on the synthetic digits, on CUDA when available, else on the CPU.

Reads data/prepared and the `train` params; writes model/model.pt (weights and
config), model/train_info.json (device, timings) and plots/train_loss.csv
(epoch, loss, val_loss). Prints one line per epoch with its duration.

The work is fixed by the params (epochs x train samples), never by the clock, so a
run takes the same work directly and under a pipeline runner: set `data.n_samples`,
`train.epochs` and the model size to make it last as long as you need (see README).
"""

import os
import time

import torch
from torch import nn

from common import MODEL_DIR, fmt, load_params, write_json, write_rows
from model import build_model, describe, load_split, pick_device, predict


def train_epoch(model, optimizer, loss_fn, x, y, batch_size, order, device):
    """One pass over (x, y) in shuffled mini-batches; returns the mean training loss.

    `order` is the torch.Generator that draws the permutation. calibrate.py times this
    same function, so keep the work of an epoch here.
    """
    n = len(x)
    model.train()
    permutation = torch.randperm(n, generator=order).to(device)
    total = torch.zeros((), device=device)
    for start in range(0, n, batch_size):
        index = permutation[start : start + batch_size]
        loss = loss_fn(model(x[index]), y[index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total += loss.detach() * len(index)
    return (total / n).item()  # one device sync per epoch, not per step


def validate(model, loss_fn, x, y):
    """(loss, accuracy) on a held-out split."""
    logits = predict(model, x)
    return loss_fn(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main():
    params = load_params()["train"]
    epochs = int(params["epochs"])
    batch_size = int(params["batch_size"])
    hidden_size = int(params["hidden_size"])
    hidden_layers = int(params["hidden_layers"])
    learning_rate = float(params["learning_rate"])
    weight_decay = float(params["weight_decay"])
    seed = int(params["seed"])

    torch.manual_seed(seed)
    device = pick_device(str(params["device"]))
    started = time.perf_counter()
    x_train, y_train = load_split("train", device)
    x_val, y_val = load_split("val", device)
    n, image_size = len(x_train), x_train.shape[-1]
    print(f"train: {n} samples of {image_size}x{image_size} on {describe(device)}", flush=True)

    model = build_model(image_size * image_size, hidden_size, hidden_layers).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate, weight_decay=weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.Generator().manual_seed(seed)

    curve = []
    epoch_seconds = []
    for epoch in range(1, epochs + 1):
        epoch_start = time.perf_counter()
        train_loss = train_epoch(model, optimizer, loss_fn, x_train, y_train, batch_size, order, device)
        val_loss, val_accuracy = validate(model, loss_fn, x_val, y_val)
        seconds = time.perf_counter() - epoch_start
        epoch_seconds.append(seconds)
        curve.append([epoch, fmt(train_loss), fmt(val_loss)])
        print(
            f"epoch {epoch}/{epochs}: loss {train_loss:.4f} val_loss {val_loss:.4f} "
            f"val_accuracy {val_accuracy:.4f} ({seconds:.2f} s, {n / seconds:,.0f} samples/s)",
            flush=True,
        )

    os.makedirs(MODEL_DIR, exist_ok=True)
    config = {
        "image_size": int(image_size),
        "hidden_size": hidden_size,
        "hidden_layers": hidden_layers,
    }
    state = {key: value.detach().cpu() for key, value in model.state_dict().items()}
    torch.save({"config": config, "state_dict": state}, os.path.join(MODEL_DIR, "model.pt"))
    total_seconds = time.perf_counter() - started
    write_json(
        os.path.join(MODEL_DIR, "train_info.json"),
        {
            "device": describe(device),
            "torch": torch.__version__,
            "epochs": epochs,
            "train_samples": n,
            "parameters": sum(p.numel() for p in model.parameters()),
            "seconds_total": total_seconds,
            "seconds_per_epoch": sum(epoch_seconds) / max(1, len(epoch_seconds)),
            "seconds_first_epoch": epoch_seconds[0] if epoch_seconds else 0.0,
        },
    )
    write_rows(os.path.join("plots", "train_loss.csv"), ["epoch", "loss", "val_loss"], curve)
    print(f"train: done in {total_seconds:.2f} s ({sum(epoch_seconds):.2f} s in the epochs)", flush=True)


if __name__ == "__main__":
    main()
