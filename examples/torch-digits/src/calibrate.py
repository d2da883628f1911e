"""Not a stage: estimate how many epochs make `train` last a given time on this machine.

Builds the model that params.yaml describes and times whole epochs of train.py's own
loop (`train_epoch` and `validate`) on random data of the configured shape, on the
device `train.device` picks: one warm-up epoch, then --timed-epochs timed ones. Prints
one JSON line with the seconds per epoch and the epochs needed for the training loop to
last --target-seconds (the process adds its start-up: imports, CUDA, loading the data).
With --write it also sets `train.epochs` in params.yaml to that number.

    python3 src/calibrate.py --target-seconds 75 --write
"""

import argparse
import json
import math
import re
import time

import torch
from torch import nn

from common import PARAMS_FILE, load_params
from model import build_model, describe, pick_device
from train import train_epoch, validate


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def split_sizes(data):
    n = int(data["n_samples"])
    n_test = round(n * float(data["test_size"]))
    n_val = round(n * float(data["val_size"]))
    return n - n_test - n_val, n_val


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-seconds", type=float, default=75.0)
    parser.add_argument("--timed-epochs", type=int, default=2, help="epochs timed after one warm-up epoch")
    parser.add_argument("--write", action="store_true", help="write train.epochs into params.yaml")
    args = parser.parse_args()
    if args.target_seconds <= 0 or args.timed_epochs < 1:
        parser.error("--target-seconds must be positive and --timed-epochs at least 1")

    params = load_params()
    data, train = params["data"], params["train"]
    n_train, n_val = split_sizes(data)
    size = int(data["image_size"])
    batch_size = int(train["batch_size"])
    device = pick_device(str(train["device"]))

    torch.manual_seed(0)
    model = build_model(size * size, int(train["hidden_size"]), int(train["hidden_layers"])).to(device)
    optimizer = torch.optim.Adam(
        model.parameters(), lr=float(train["learning_rate"]), weight_decay=float(train["weight_decay"])
    )
    loss_fn = nn.CrossEntropyLoss()
    order = torch.Generator().manual_seed(0)
    x_train = torch.rand(n_train, size, size, device=device)
    y_train = torch.randint(0, 10, (n_train,), device=device)
    x_val = torch.rand(n_val, size, size, device=device)
    y_val = torch.randint(0, 10, (n_val,), device=device)

    def epoch():
        train_epoch(model, optimizer, loss_fn, x_train, y_train, batch_size, order, device)
        validate(model, loss_fn, x_val, y_val)

    epoch()  # warm-up: CUDA kernels, allocator, autotuning
    sync(device)
    start = time.perf_counter()
    for _ in range(args.timed_epochs):
        epoch()
    sync(device)
    epoch_seconds = (time.perf_counter() - start) / args.timed_epochs

    epochs = max(1, math.ceil(args.target_seconds / epoch_seconds))
    print(
        json.dumps(
            {
                "device": describe(device),
                "train_samples": n_train,
                "steps_per_epoch": math.ceil(n_train / batch_size),
                "seconds_per_epoch": round(epoch_seconds, 4),
                "target_seconds": args.target_seconds,
                "epochs": epochs,
                "expected_training_seconds": round(epochs * epoch_seconds, 1),
            }
        ),
        flush=True,
    )

    if args.write:
        with open(PARAMS_FILE, encoding="utf-8") as handle:
            text = handle.read()
        # Replace `epochs:` inside the `train:` section only.
        section = re.search(r"^train:\n((?:[ \t]+.*\n?|\n)*)", text, re.M)
        if not section:
            raise SystemExit(f"no train section in {PARAMS_FILE}")
        body, count = re.subn(r"^(\s+epochs:\s*)\d+", rf"\g<1>{epochs}", section.group(1), count=1, flags=re.M)
        if not count:
            raise SystemExit(f"no train.epochs in {PARAMS_FILE}")
        text = text[: section.start(1)] + body + text[section.end(1) :]
        with open(PARAMS_FILE, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
