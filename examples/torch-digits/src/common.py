"""Helpers shared by the torch-digits stages (standard library only, no torch here)."""

import csv
import json
import os

PARAMS_FILE = "params.yaml"
PREPARED_DIR = os.path.join("data", "prepared")
MODEL_DIR = "model"
N_CLASSES = 10
DIGITS = 6


def _scalar(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~", ""):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def load_params(path=PARAMS_FILE):
    """Read the block-mapping subset of YAML that params.yaml uses.

    PyYAML is not always installed next to torch, so this reads nested mappings
    (indentation), scalars and `#` comments. Keep params.yaml in that subset:
    no lists, no flow style, no multi-line strings.
    """
    root = {}
    stack = [(-1, root)]
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.split(" #", 1)[0].rstrip()
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip(" "))
            key, sep, value = line.strip().partition(":")
            if not sep:
                raise ValueError(f"{path}:{number}: expected 'key: value'")
            while indent <= stack[-1][0]:
                stack.pop()
            parent = stack[-1][1]
            if value.strip():
                parent[key.strip()] = _scalar(value)
            else:
                child = {}
                parent[key.strip()] = child
                stack.append((indent, child))
    return root


def rounded(value):
    if isinstance(value, float):
        result = round(value, DIGITS)
        return 0.0 if result == 0 else result
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def write_json(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rounded(data), handle, indent=2, sort_keys=True)
        handle.write("\n")


def write_rows(path, header, rows):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def fmt(value):
    return f"{value:.{DIGITS}f}"
