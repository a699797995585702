"""Read the deck's sourced data files (`data/*.csv`, `data/*.yml`) and refuse bad rows.

Every row must carry a non-empty `source` (a citation a reader can follow); declared
numeric columns must parse. A bad file stops the build with a one-line `DataError`
naming the file and the line to fix."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd

from demos.config import project_root

# Numeric columns per table; a trailing "?" marks a column whose cells may be empty.
NUMERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "gpu_estimates": ("year", "low", "high"),
    "chip_prices": ("price_low", "price_high"),
    "chip_specs": ("value",),
    "nvidia_revenue": ("revenue_usd", "data_center_usd?"),
    "nvidia_milestones": ("market_value_usd",),
    "model_energy": ("year", "energy_mwh", "co2e_t"),
    "model_compute": ("flops", "params?", "tokens?"),
    "hardware_rates": ("count", "rate_per_unit", "utilization"),
    "model_widths": ("dims",),
}
DATA_SUFFIXES = (".csv", ".yml", ".yaml")


class DataError(ValueError):
    """A data file that cannot be used as it is (the message names file, line and fix)."""


def data_dir(root: Path | None = None) -> Path:
    """The project's `data/` folder."""
    return (Path(root) if root else project_root()) / "data"


def all_tables(root: Path | None = None) -> list[str]:
    """File names (with suffix) of every data file in `data/`, sorted."""
    d = data_dir(root)
    return sorted(p.name for p in d.iterdir() if p.suffix in DATA_SUFFIXES) if d.is_dir() else []


def _rel(path: Path) -> str:
    """`data/<file>` for messages (the path as given when it is elsewhere)."""
    return f"{path.parent.name}/{path.name}"


def _parse_number(text: str) -> float:
    """A number as written in the CSV files: plain decimal point, no thousands separators."""
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (line number, row) pairs; rows with a wrong field count are refused."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header:
            raise DataError(f"{_rel(path)}: empty file, expected a header line")
        rows = []
        for fields in reader:
            if not any(cell.strip() for cell in fields):
                continue
            if len(fields) != len(header):
                raise DataError(f"{_rel(path)} line {reader.line_num}: {len(fields)} fields but the "
                                f"header has {len(header)}; quote cells that contain commas")
            rows.append((reader.line_num, dict(zip(header, fields))))
    return header, rows


def _read_yaml(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """A YAML data file: a list of mappings (the "line" in messages is the item number)."""
    import yaml
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DataError(f"{_rel(path)}: expected a list of mappings, one per fact")
    header = list(dict.fromkeys(k for item in items for k in item))
    return header, [(n, {k: "" if v is None else str(v) for k, v in item.items()})
                    for n, item in enumerate(items, start=1)]


def read_data_file(path: Path, numeric: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read one data file; check `source` on every row and parse the `numeric` columns."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{_rel(path)}: no such data file")
    header, rows = _read_yaml(path) if path.suffix in (".yml", ".yaml") else _read_csv(path)
    unit = "item" if path.suffix in (".yml", ".yaml") else "line"
    if "source" not in header:
        raise DataError(f"{_rel(path)}: no `source` column; add one with a citation per row")
    columns = {c.rstrip("?"): c.endswith("?") for c in numeric}
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(f"{_rel(path)}: missing numeric column(s) {', '.join(missing)}")
    records = []
    for line, row in rows:
        if not row.get("source", "").strip():
            raise DataError(f"{_rel(path)} {unit} {line}: empty `source`; add the citation "
                            "(author/organisation, title, year, URL)")
        for col, optional in columns.items():
            text = row.get(col, "").strip()
            if not text and optional:
                row[col] = float("nan")
                continue
            try:
                row[col] = _parse_number(text)
            except ValueError:
                raise DataError(f"{_rel(path)} {unit} {line}: column `{col}` = {text!r} is not a "
                                "number (write it like 1234.5, no thousands separators)") from None
        records.append(row)
    return pd.DataFrame.from_records(records, columns=header)


def load_table(name: str, root: Path | None = None,
               numeric: tuple[str, ...] | None = None) -> pd.DataFrame:
    """`data/<name>.csv` (or `.yml`) as a DataFrame, checked; numeric columns as floats.

    `numeric` names the columns to parse (a trailing "?" allows empty cells); by default
    the table's entry in NUMERIC_COLUMNS. Other columns stay strings."""
    d = data_dir(root)
    path = next((d / f"{name}{s}" for s in DATA_SUFFIXES if (d / f"{name}{s}").exists()),
                d / f"{name}.csv")
    return read_data_file(path, NUMERIC_COLUMNS.get(name, ()) if numeric is None else numeric)
