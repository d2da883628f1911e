"""Not a stage: estimate how many epochs make `train` last a given time on this machine.

Builds the model that params.yaml describes, times a few dozen training steps on random
data of the configured shape (on the device `train.device` picks), and prints one JSON
line with the estimated seconds per epoch and the epochs needed for --target-seconds.
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


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-seconds", type=float, default=75.0)
    parser.add_argument("--steps", type=int, default=50, help="timed steps (after 10 warm-up steps)")
    parser.add_argument("--write", action="store_true", help="write train.epochs into params.yaml")
    args = parser.parse_args()

    params = load_params()
    data, train = params["data"], params["train"]
    n_train = int(data["n_samples"]) - round(int(data["n_samples"]) * float(data["test_size"])) - round(
        int(data["n_samples"]) * float(data["val_size"])
    )
    size = int(data["image_size"])
    batch_size = int(train["batch_size"])
    device = pick_device(str(train["device"]))

    torch.manual_seed(0)
    model = build_model(size * size, int(train["hidden_size"]), int(train["hidden_layers"])).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=float(train["learning_rate"]))
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch_size, size, size, device=device)
    y = torch.randint(0, 10, (batch_size,), device=device)

    def step():
        loss = loss_fn(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    for _ in range(10):
        step()
    sync(device)
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    sync(device)
    step_seconds = (time.perf_counter() - start) / args.steps

    steps_per_epoch = math.ceil(n_train / batch_size)
    epoch_seconds = step_seconds * steps_per_epoch
    epochs = max(1, math.ceil(args.target_seconds / epoch_seconds))
    print(
        json.dumps(
            {
                "device": describe(device),
                "train_samples": n_train,
                "steps_per_epoch": steps_per_epoch,
                "seconds_per_step": round(step_seconds, 6),
                "seconds_per_epoch": round(epoch_seconds, 4),
                "target_seconds": args.target_seconds,
                "epochs": epochs,
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
        body = re.sub(r"^(\s+epochs:\s*)\d+", rf"\g<1>{epochs}", section.group(1), count=1, flags=re.M)
        text = text[: section.start(1)] + body + text[section.end(1) :]
        with open(PARAMS_FILE, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
