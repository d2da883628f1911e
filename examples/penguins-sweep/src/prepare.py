"""Stage `prepare`: drop incomplete rows, then split into train, val and test.

Reads data/penguins.csv and the `split` params; writes data/prepared/{train,val,test}.csv.
The split is stratified by species and drawn from random.Random(split.seed), so the
same params always give the same files.
"""

import os
import random
import shutil

from common import LABEL, PREPARED_DIR, load_params, read_rows, write_rows

MISSING = {"", "NA", "."}


def main():
    params = load_params()["split"]
    test_size = float(params["test_size"])
    val_size = float(params["val_size"])
    if not (0 < test_size < 1 and 0 < val_size < 1 and test_size + val_size < 1):
        raise SystemExit("split.test_size and split.val_size must be in (0, 1) and sum below 1")
    rng = random.Random(int(params["seed"]))

    raw = read_rows(os.path.join("data", "penguins.csv"))
    header = list(raw[0].keys())
    clean = [row for row in raw if not any(row[column].strip() in MISSING for column in header)]

    by_class = {}
    for index, row in enumerate(clean):
        by_class.setdefault(row[LABEL], []).append(index)

    assignment = {}
    for label in sorted(by_class):
        indices = by_class[label]
        rng.shuffle(indices)
        n_test = round(len(indices) * test_size)
        n_val = round(len(indices) * val_size)
        for position, index in enumerate(indices):
            if position < n_test:
                assignment[index] = "test"
            elif position < n_test + n_val:
                assignment[index] = "val"
            else:
                assignment[index] = "train"

    # DVC deletes outputs before a stage runs; do the same when run by hand.
    shutil.rmtree(PREPARED_DIR, ignore_errors=True)
    counts = {}
    for split in ("train", "val", "test"):
        rows = [
            [clean[index][column] for column in header]
            for index in sorted(assignment)
            if assignment[index] == split
        ]
        counts[split] = len(rows)
        write_rows(os.path.join(PREPARED_DIR, f"{split}.csv"), header, rows)

    print(
        f"prepare: {len(raw)} rows, {len(raw) - len(clean)} dropped for missing values, "
        + ", ".join(f"{split} {count}" for split, count in counts.items())
    )


if __name__ == "__main__":
    main()
