"""Reading data/ the plain way, independent of demos.sourced_data: the CSV rows as strings, the
last day a `date` cell stands for, and the default profile's event start (the cutoff)."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import yaml

from demos.sourced_data import data_dir

REPO = Path(__file__).resolve().parents[1]
DEFAULT_NAME = yaml.safe_load((REPO / "_quarto.yml").read_text(encoding="utf-8"))["profile"]["default"]
DEFAULT = yaml.safe_load((REPO / f"_quarto-{DEFAULT_NAME}.yml").read_text(encoding="utf-8"))
EVENT_START: dt.date = DEFAULT["event"]["start"]              # a date: 2025-06-10


def data_rows(name: str) -> list[dict]:
    """Every row of data/<name>.csv (name with or without .csv), as csv.DictReader reads it."""
    with (data_dir() / f"{name.removesuffix('.csv')}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def end_of_period(text: str) -> dt.date:
    """The last day a `date` cell stands for: 2024-11-05 itself, 2024-11 its 30th, 2024 Dec 31."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)
