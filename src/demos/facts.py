"""The sourced facts that slide prose and speaker notes state, one per row of data/facts.csv.

Slides write a fact through an inline expression, `{python} fact_text("gpt3_layers")` -> '96',
never as a typed number, so every number has a row with its `date`, `ref` and `source`.
Each lookup goes through `sourced_data.dated_row`: a fact dated after the active event's
start raises CutoffError, and the build stops naming the slide file and line (the demo
model's facts are `exempt`). `show` says how the value reads: num '12.288', words
'175 bilhões', usd 'US$ 2,06 milhões', pct '46,2%'."""
from __future__ import annotations

import datetime as dt

from demos.ptbr import fmt_auto, fmt_count, fmt_day, fmt_month
from demos.sourced_data import EVENT, dated_row


def fact_row(key: str, cutoff=EVENT):
    """The data/facts.csv row of `key` (KeyError if none; CutoffError if after the event)."""
    return dated_row("facts", "key", key, cutoff=cutoff)


def _value(row, key: str) -> float:
    value = row["value"]
    if value != value:  # NaN: an event fact (only a date), not a number
        raise ValueError(f"data/facts.csv line {row['_line']}: '{key}' has no value (it is a dated event)")
    return float(value)


def fact(key: str, cutoff=EVENT) -> float:
    """The fact's value as a number: fact('gpt3_layers') -> 96.0."""
    return _value(fact_row(key, cutoff), key)


def fact_text(key: str, show: str | None = None, cutoff=EVENT) -> str:
    """The fact as slide text, formatted by its `show` column (or `show`)."""
    row = fact_row(key, cutoff)
    v = _value(row, key)
    style = show or row["show"] or "num"
    if style == "num":
        return fmt_auto(v)
    if style == "words":
        return fmt_count(v)
    if style == "usd":
        return "US$ " + fmt_count(v)
    if style == "pct":
        return fmt_auto(v) + "%"
    raise ValueError(f"data/facts.csv line {row['_line']}: unknown show '{style}' (num, words, usd, pct)")


def fact_date(key: str, day: bool = False, cutoff=EVENT) -> str:
    """When the fact became true, pt-BR: 'dez. 2023' (or '20 dez. 2023' with day=True)."""
    d = fact_row(key, cutoff)["_as_of"]
    return fmt_day(d) if day else fmt_month(d)


def as_of_text(cutoff: dt.date | None) -> str:
    """'dados até jun. 2025' for a chart or table (empty when no cutoff applies)."""
    return f"dados até {fmt_month(cutoff)}" if cutoff else ""


def row_value(table: str, column: str, key, field: str, cutoff=EVENT):
    """One cell of another data table, dated like a fact: row_value('model_widths', 'model',
    'GPT-2 Large', 'dims') -> 1280.0."""
    return dated_row(table, column, key, cutoff=cutoff)[field]


def model_flops(model: str, cutoff=EVENT) -> float:
    """Training compute of `model` in FLOP, from data/model_compute.csv (dated like a fact)."""
    return float(dated_row("model_compute", "model", model, cutoff=cutoff)["flops"])
