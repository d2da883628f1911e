"""Stage `prepare`: generate a synthetic, learnable digits data set (numpy only).

No download: each sample is one of ten 5x7 digit glyphs, placed at a random offset
on an 8x8 canvas, with random stroke dropout and ink intensity, scaled up to
`data.image_size` pixels, plus Gaussian pixel noise of std `data.noise`, stored as
uint8. Everything is drawn from numpy's PCG64 seeded by `data.seed`, so the same
params give the same files.

Writes data/prepared/{x,y}_{train,val,test}.npy (x: uint8 [n, size, size], y: int64 [n]).
"""

import os
import shutil

import numpy as np

from common import N_CLASSES, PREPARED_DIR, load_params

GLYPHS = [
    ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    ["11111", "00010", "00100", "00010", "00001", "10001", "01110"],
    ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
]
CANVAS = 8
CHUNK = 50_000  # samples generated at a time, to bound memory for large data sets


def templates():
    """All glyphs at all offsets: array [class, dy, dx, 8, 8] of 0/1."""
    height, width = len(GLYPHS[0]), len(GLYPHS[0][0])
    out = np.zeros((N_CLASSES, CANVAS - height + 1, CANVAS - width + 1, CANVAS, CANVAS), np.float32)
    for label, glyph in enumerate(GLYPHS):
        bitmap = np.array([[int(c) for c in row] for row in glyph], np.float32)
        for dy in range(CANVAS - height + 1):
            for dx in range(CANVAS - width + 1):
                out[label, dy, dx, dy : dy + height, dx : dx + width] = bitmap
    return out


def generate(rng, n, image_size, noise, dropout):
    shapes = templates()
    scale = image_size // CANVAS
    xs, ys = [], []
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        labels = rng.integers(0, N_CLASSES, m)
        dy = rng.integers(0, shapes.shape[1], m)
        dx = rng.integers(0, shapes.shape[2], m)
        ink = shapes[labels, dy, dx]
        ink = ink * (rng.random((m, CANVAS, CANVAS)) >= dropout)
        ink = ink * rng.uniform(0.5, 1.0, (m, 1, 1))
        if scale > 1:
            ink = ink.repeat(scale, axis=1).repeat(scale, axis=2)
        pixels = ink + rng.normal(0.0, noise, ink.shape)
        xs.append(np.rint(np.clip(pixels, 0.0, 1.0) * 255).astype(np.uint8))
        ys.append(labels.astype(np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def main():
    params = load_params()["data"]
    n = int(params["n_samples"])
    image_size = int(params["image_size"])
    test_size = float(params["test_size"])
    val_size = float(params["val_size"])
    if image_size % CANVAS or image_size < CANVAS:
        raise SystemExit(f"data.image_size must be a multiple of {CANVAS}")
    if not (0 < test_size < 1 and 0 < val_size < 1 and test_size + val_size < 1):
        raise SystemExit("data.test_size and data.val_size must be in (0, 1) and sum below 1")

    rng = np.random.default_rng(int(params["seed"]))
    x, y = generate(rng, n, image_size, float(params["noise"]), float(params["dropout"]))

    # Samples are drawn independently, so contiguous slices are random splits.
    n_test, n_val = round(n * test_size), round(n * val_size)
    splits = {
        "test": slice(0, n_test),
        "val": slice(n_test, n_test + n_val),
        "train": slice(n_test + n_val, n),
    }

    # DVC deletes outputs before a stage runs; do the same when run by hand.
    shutil.rmtree(PREPARED_DIR, ignore_errors=True)
    os.makedirs(PREPARED_DIR)
    for name, part in splits.items():
        np.save(os.path.join(PREPARED_DIR, f"x_{name}.npy"), x[part])
        np.save(os.path.join(PREPARED_DIR, f"y_{name}.npy"), y[part])
    print(
        f"prepare: {n} samples of {image_size}x{image_size} "
        + ", ".join(f"{name} {len(y[part])}" for name, part in splits.items())
        + f", {x.nbytes / 2**20:.1f} MiB",
        flush=True,
    )


if __name__ == "__main__":
    main()
