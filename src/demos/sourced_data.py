"""Read the deck's sourced data files (`data/*.csv`, `data/*.yml`) and refuse bad rows.

Every row must carry a non-empty `source` (a citation a reader can follow); declared
numeric columns must parse. A bad file stops the build with a one-line `DataError`
naming the file and the line to fix.

Time-sensitive tables have a `date` column: the day the row became true (2024-12-10), or
only its month or year (2024-11, 2024), which then counts from the END of that period. The
active profile's `event.start` is the cutoff: `load_table` leaves out rows dated after it
(rows with a non-empty `exempt`, such as the demo model, are kept), so a later event brings
newer rows in by itself. A slide that states one specific row goes through `dated_row`,
which raises `CutoffError` (one line, naming file and line) when that row postdates the event."""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from demos.config import project_root, record_read   # the cell cache keys cells by what they read

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
    "facts": ("value?",),
}
DATA_SUFFIXES = (".csv", ".yml", ".yaml")


EVENT = "event"          # load_table(cutoff=EVENT): the active profile's event.start
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class DataError(ValueError):
    """A data file that cannot be used as it is (the message names file, line and fix)."""


class CutoffError(DataError):
    """A slide states a fact that became true after the event it is given at."""


def parse_date(text: str) -> dt.date:
    """'2024-12-10' -> that day; '2024-11' -> 2024-11-30; '2024' -> 2024-12-31. A fact known only
    to the month or year counts from the end of it, so it is never shown before it was true."""
    m = _DATE.fullmatch(str(text).strip())
    if not m:
        raise ValueError(text)
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if not month:
        return dt.date(year, 12, 31)
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


@lru_cache(maxsize=None)
def _event(root: str, profile: str) -> tuple[dt.date | None, str]:
    """(event.start, the config file that sets it) of the merged project config."""
    from deckbuild.config import load_project_config
    cfg = load_project_config(Path(root), profile or None)
    start = (cfg.metadata.get("event") or {}).get("start")
    where = next((p.name for p in reversed(cfg.files)
                  if re.search(r"^\s+start:", p.read_text(encoding="utf-8"), re.M)), cfg.files[0].name)
    if start is not None and not isinstance(start, dt.date):
        start = dt.date.fromisoformat(str(start))
    return start, where


def event_cutoff(root: Path | None = None) -> dt.date | None:
    """The active profile's `event.start` (None when the folder has no _quarto.yml)."""
    r = Path(root) if root else project_root()
    if not (r / "_quarto.yml").exists():
        return None
    return _event(str(r.resolve()), os.environ.get("QUARTO_PROFILE", ""))[0]


def _profile_name(root: Path | None = None) -> str:
    """The config file that sets event.start, for messages."""
    r = Path(root) if root else project_root()
    if not (r / "_quarto.yml").exists():
        return "the profile"
    return _event(str(r.resolve()), os.environ.get("QUARTO_PROFILE", ""))[1]


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
    """Read one data file; check `source` on every row and parse the `numeric` columns.
    Adds `_line` (the row's line or item number) and, when there is a `date` column,
    `_as_of` (parse_date of it; None for an empty cell)."""
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
        if "date" in header:
            text = row.get("date", "").strip()
            try:
                row["_as_of"] = parse_date(text) if text else None
            except ValueError:
                raise DataError(f"{_rel(path)} {unit} {line}: `date` = {text!r} is not a date "
                                "(write 2024-12-10, or 2024-11 / 2024 when only the month or year is known)") from None
        row["_line"] = line
        records.append(row)
    extra = ["_line"] + (["_as_of"] if "date" in header else [])
    df = pd.DataFrame.from_records(records, columns=header + extra)
    df.attrs["file"] = _rel(path)
    return df


def _after(df: pd.DataFrame, cutoff: dt.date) -> pd.Series:
    """Rows dated after `cutoff` that are not exempt."""
    exempt = df["exempt"].astype(str).str.strip() != "" if "exempt" in df else False
    return df["_as_of"].map(lambda d: d is not None and d > cutoff).astype(bool) & ~exempt


def as_of(df: pd.DataFrame, cutoff: dt.date | None) -> pd.DataFrame:
    """The rows known at `cutoff` (all rows when None or when the table has no `date`);
    attrs["cutoff"] says which date was applied."""
    out = df if cutoff is None or "_as_of" not in df else df[~_after(df, cutoff)].reset_index(drop=True)
    out.attrs.update(df.attrs, cutoff=cutoff)
    return out


def _resolve_cutoff(cutoff, root: Path | None) -> dt.date | None:
    return event_cutoff(root) if cutoff == EVENT else cutoff


def load_table(name: str, root: Path | None = None, numeric: tuple[str, ...] | None = None,
               cutoff: dt.date | str | None = EVENT) -> pd.DataFrame:
    """`data/<name>.csv` (or `.yml`) as a DataFrame, checked; numeric columns as floats.

    `numeric` names the columns to parse (a trailing "?" allows empty cells); by default
    the table's entry in NUMERIC_COLUMNS. Other columns stay strings. Rows dated after
    `cutoff` are left out: by default the active event's start; a date; or None for all rows."""
    d = data_dir(root)
    path = next((d / f"{name}{s}" for s in DATA_SUFFIXES if (d / f"{name}{s}").exists()),
                d / f"{name}.csv")
    record_read(f"file:data/{path.name}")                # the cell cache keys cells by what they read
    if cutoff == EVENT:
        record_read("config:event.start")
    df = read_data_file(path, NUMERIC_COLUMNS.get(name, ()) if numeric is None else numeric)
    return as_of(df, _resolve_cutoff(cutoff, root))


def dated_row(name: str, column: str, value, root: Path | None = None,
              cutoff: dt.date | str | None = EVENT) -> pd.Series:
    """The one row of `data/<name>` whose `column` equals `value`, for a claim in slide text.
    CutoffError (one line: file, line, row date, cutoff) when the row postdates the event."""
    df = load_table(name, root, cutoff=None)
    if cutoff == EVENT:
        record_read("config:event.start")          # whether the claim may stand depends on it
    hits = df[df[column].astype(str) == str(value)] if column in df else df.iloc[0:0]
    if hits.empty:
        raise KeyError(f"data/{name}: no row with {column} = {value!r}")
    row = hits.iloc[0]
    limit = _resolve_cutoff(cutoff, root)
    if limit is not None and bool(_after(hits.iloc[:1], limit).iloc[0]):
        raise CutoffError(f"{df.attrs['file']} line {row['_line']}: {column} = {value!r} is dated "
                          f"{row['date']}, after the event (event.start {limit} in {_profile_name(root)}); "
                          "a slide cannot state it: remove the claim or give the talk at a later event")
    return row
