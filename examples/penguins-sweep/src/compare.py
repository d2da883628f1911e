"""Stage `compare`: one row per run (runs/<name>/metrics.json) in comparison.csv, best accuracy first."""

import json
import os

from common import write_rows


def main():
    rows = []
    for name in sorted(os.listdir("runs")):
        path = os.path.join("runs", name, "metrics.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                scores = json.load(handle)["eval"]
            rows.append([name, scores["accuracy"], scores["log_loss"]])
    rows.sort(key=lambda row: (-row[1], row[2], row[0]))
    write_rows("comparison.csv", ["run", "accuracy", "log_loss"], rows)
    print(f"compare: {len(rows)} runs, best {rows[0][0] if rows else '-'}")


if __name__ == "__main__":
    main()
