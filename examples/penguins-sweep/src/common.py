"""Helpers shared by the penguins stages. Python standard library only."""

import csv
import json
import math
import os

PARAMS_FILE = "params.yaml"
PREPARED_DIR = os.path.join("data", "prepared")
FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
LABEL = "species"
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

    The standard library has no YAML parser, so this reads nested mappings
    (two-space indentation), scalars and `#` comments. Keep params.yaml in
    that subset: no lists, no flow style, no multi-line strings.
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


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(path, header, rows):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def fmt(value):
    """Fixed float formatting so every run writes the same bytes."""
    return f"{value:.{DIGITS}f}"


def rounded(value):
    """Round floats (recursively) before writing JSON."""
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


def load_split(name):
    """Rows of data/prepared/<name>.csv as (features, labels)."""
    rows = read_rows(os.path.join(PREPARED_DIR, f"{name}.csv"))
    features = [[float(row[column]) for column in FEATURES] for row in rows]
    labels = [row[LABEL] for row in rows]
    return features, labels


def standardise(features, mean, std):
    return [[(value - m) / s for value, m, s in zip(row, mean, std)] for row in features]


def softmax(logits):
    top = max(logits)
    exps = [math.exp(value - top) for value in logits]
    total = sum(exps)
    return [value / total for value in exps]


def predict_proba(model, features):
    """Class probabilities for raw (unstandardised) feature rows."""
    rows = standardise(features, model["mean"], model["std"])
    weights, bias = model["weights"], model["bias"]
    return [
        softmax([b + sum(w * x for w, x in zip(w_row, row)) for w_row, b in zip(weights, bias)])
        for row in rows
    ]


def cross_entropy(probabilities, targets):
    """Mean negative log-likelihood; targets are class indices."""
    eps = 1e-15
    total = sum(-math.log(max(p[t], eps)) for p, t in zip(probabilities, targets))
    return total / len(targets)
