"""The model and the torch helpers shared by train, evaluate and calibrate."""

import os

import numpy as np
import torch
from torch import nn

from common import N_CLASSES, PREPARED_DIR


def pick_device(name):
    """`auto` takes CUDA when it is there, else the CPU; `cuda` insists on a GPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit(f"train.device is {name!r} but CUDA is not available")
    return torch.device(name)


def describe(device):
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return f"cpu ({torch.get_num_threads()} threads)"


def build_model(input_size, hidden_size, hidden_layers):
    layers = [nn.Flatten()]
    width = input_size
    for _ in range(hidden_layers):
        layers += [nn.Linear(width, hidden_size), nn.ReLU()]
        width = hidden_size
    layers.append(nn.Linear(width, N_CLASSES))
    return nn.Sequential(*layers)


def load_split(name, device):
    """(x float32 in [0, 1], y int64) of data/prepared, moved to the device in one go."""
    x = np.load(os.path.join(PREPARED_DIR, f"x_{name}.npy"))
    y = np.load(os.path.join(PREPARED_DIR, f"y_{name}.npy"))
    x = torch.from_numpy(x).to(device).float().div_(255.0)
    y = torch.from_numpy(y).to(device)
    return x, y


@torch.no_grad()
def predict(model, x, batch_size=8192):
    """Logits for x, in batches so large splits fit in memory."""
    model.eval()
    return torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
